"""The test checkers' counting (tests/*_check.py): "ok"/"FAIL" lines, each
name after a prefix, and the closing "N passed, N failed" that
tests/lib.sh's count_summary adds to the run's counts."""


class Results:
    def __init__(self, prefix=""):
        self.prefix, self.passed, self.failed = prefix, 0, 0

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

    def summary(self):
        """Prints the closing line; the exit status: 1 if a check failed."""
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
