"""The test checkers' counting (tests/*_check.py): "ok", "FAIL" and "skip"
lines, each name after a prefix, and the closing "N passed, N failed, N
skipped" that tests/lib.sh's count_summary adds to the run's counts."""


class Results:
    def __init__(self, prefix=""):
        self.prefix, self.passed, self.failed, self.skipped = prefix, 0, 0, 0

    def check(self, name, ok, *detail):
        if ok:
            self.passed += 1
            print(f"ok   {self.prefix}{name}")
        else:
            self.failed += 1
            print(f"FAIL {self.prefix}{name}")
            for line in detail:
                print(f"     {line}"[:600])
        return ok

    def skip(self, name, fact):
        """A check this machine cannot make for want of fact, a kernel fact of
        tests/lib.sh, which the runner tests again (a skip of what the machine
        can do fails there)."""
        self.skipped += 1
        print(f"skip {self.prefix}{name}: without {fact}")

    def summary(self):
        """Prints the closing line; the exit status: 1 if a check failed."""
        print(f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped")
        return 1 if self.failed else 0
