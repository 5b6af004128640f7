#!/usr/bin/python3
"""Checks execsnoop-c --json against what exec-cases passed (its own report)
and against the kernel's view of each new program (/proc/PID/cmdline and
/proc/PID/exe, which exec-cases read while it was stopped).

Usage: exec_check.py EXECSNOOP_JSON EXEC_CASES_OUT MODE [CASE...]
MODE is the tool's mode (tracepoint, kprobe, fentry). Prints "ok"/"FAIL"
lines, then "N passed, N failed, N skipped". Used on the host and in the VM stage."""
import json
import os
import sys

from checks import Results

# Cases whose exec fails while the file is opened: from Linux 6.8 on, the
# kernel opens it before it reads argv (never, then), and an argument on a
# page the caller has not touched since fork() cannot be read.
OPEN_FAILURES = {"enoent", "enoent_untouched", "eacces", "compat32_enoent"}
COMPAT = {"compat32", "compat32_enoent"}


def kernel_opens_first():
    major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    return (major, minor) >= (6, 8)


def has_btf():
    """Whether execsnoop-c walks the paths of exe and cwd (with BTF's offsets)."""
    return os.path.exists("/sys/kernel/btf/vmlinux")


def unhex(s):
    return None if s is None else bytes.fromhex(s).decode("utf-8", "surrogateescape")


def load(path, hexed):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        objs = [json.loads(line) for line in f if line.startswith("{")]
    objs = [o for o in objs if o.get("type") != "stats"]  # the tool's own counts
    if hexed:
        for o in objs:
            o["filename"] = unhex(o["filename"])
            o["exe"] = unhex(o["exe"])
            o["cwd"] = unhex(o["cwd"])
            for key in ("argv", "cmdline"):
                if o[key] is not None:
                    o[key] = [unhex(a) for a in o[key]]
    return objs


def expected_file(c):
    """What the line must show first."""
    if c["ret"] == 0 and c["dirfd"] >= 0 and c["case"] != "script":
        return c["exe"]  # an exec by descriptor: the path of the file it ran
    if c["dirfd"] >= 0:
        name = c["filename"] or ""
        return f"/dev/fd/{c['dirfd']}" + (f"/{name}" if name else "")
    return c["filename"]


def check_case(r, mode, c, lines):
    name = f"{c['case']}: {c['filename'] or 'fd ' + str(c['dirfd'])}"
    mine = [o for o in lines if o["pid"] == c["pid"] and o["ret"] == c["ret"]]
    if c["case"] in COMPAT and c["ret"] is None:
        # Killed: int $0x80 is refused where the kernel has no IA32 emulation
        # (the runner fails this skip where the kernel has it).
        r.skip(c["case"], "kernel_has_ia32")
        return
    if c["case"] == "compat32_enoent" and mode == "tracepoint":
        r.check(f"{name}: not seen (syscall tracepoints never fire for 32-bit syscalls)",
                not mine, f"got: {mine}")
        return
    if len(mine) != 1:
        r.check(f"{name}: one line, PID {c['pid']}, ret {c['ret']}", False,
                f"lines of that PID: {[o for o in lines if o['pid'] == c['pid']]}")
        return
    o = mine[0]
    passed = c["argv"]
    args = o["args"]
    problems = []
    if args[0] != expected_file(c):
        problems.append(f"file {args[0]!r}, want {expected_file(c)!r}")
    if c["case"] == "bad_argv":
        want_rest = [None]  # argv itself unreadable: one unreadable argument
    else:
        want_rest = passed[1:]
    got_rest = args[1:]
    if len(got_rest) != len(want_rest):
        problems.append(f"{len(got_rest)} arguments, want {len(want_rest)}")
    for i, (got, want) in enumerate(zip(got_rest, want_rest)):
        if got == want:
            continue
        # Unreadable is the one other answer, and only where it is true.
        untouched = c["case"] in OPEN_FAILURES and kernel_opens_first()
        if got is None and untouched:
            continue
        problems.append(f"argument {i + 1}: {got!r}, want {want!r}")
    if o["more_args"] or o["truncated"] or o["truncated_args"]:
        problems.append("marked cut or incomplete")
    if any(a == "" and (w or "") != "" for a, w in zip(args[1:], want_rest)):
        problems.append("an empty argument where one was passed")
    if c["case"] == "thread" and o["tid"] != c["tid"]:
        problems.append(f"tid {o['tid']}, want the exec'ing thread's {c['tid']}")
    if c["ret"] == 0:
        # The kernel's own view of the new program.
        if c["case"] == "script":
            cmdline = o["interpreter"] + args
        else:
            cmdline = [o["argv0"]] + args[1:]
        if cmdline != c["cmdline"]:
            problems.append(f"command line {cmdline!r}, /proc/PID/cmdline {c['cmdline']!r}")
        # The paths are walked with BTF's offsets; without BTF they are null.
        want_exe, want_cwd = (c["exe"], c["cwd"]) if has_btf() else (None, None)
        exe = o["exe"] + " (deleted)" if o["exe"] and o["exe_deleted"] else o["exe"]
        if exe != want_exe:
            problems.append(f"exe {o['exe']!r} (deleted: {o['exe_deleted']}), want {want_exe!r}")
        if o["cwd"] != want_cwd:
            problems.append(f"cwd {o['cwd']!r}, want {want_cwd!r}")
    else:
        if c["case"] in COMPAT and o["syscall"] != "execve_32":
            problems.append(f"syscall {o['syscall']!r}, want execve_32")
        if o["exe"] is not None or o["cwd"] is not None:
            problems.append(f"a failed exec with exe {o['exe']!r}, cwd {o['cwd']!r}")
    r.check(f"{name}: ret {c['ret']}, arguments as passed"
            + (", as /proc/PID/cmdline shows, exe and cwd as /proc shows" if c["ret"] == 0 else ""),
            not problems, *problems)


def main():
    lines = load(sys.argv[1], False)
    cases = load(sys.argv[2], True)
    r = Results(f"execsnoop-c -m {sys.argv[3]}: ")
    wanted = set(sys.argv[4:])
    for c in cases:
        if not wanted or c["case"] in wanted:
            check_case(r, sys.argv[3], c, lines)
    if not cases:
        r.check("exec-cases reported its execs", False)
    return r.summary()


if __name__ == "__main__":
    sys.exit(main())
