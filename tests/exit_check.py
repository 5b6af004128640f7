#!/usr/bin/python3
"""Checks exitsnoop-c's output against what the exit_cases workload saw:
each case's waitpid() status, and the sender it had send the signal.

Usage: exit_check.py json|text EXITSNOOP_OUT EXIT_CASES_OUT LABEL
Prints "ok"/"FAIL" lines, then "N passed, N failed, N skipped". Used on the host and
in the VM stage."""
import json
import re
import signal
import sys

from checks import Results

RESULTS = Results()
check = RESULTS.check


def load_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, pid, status, cause, spid, stid, scomm, syscall = line.split()
            cases.append({"case": name, "pid": int(pid), "status": int(status),
                          "cause": None if cause == "-" else cause,
                          "sender_pid": None if spid == "-" else int(spid),
                          "sender_tid": None if stid == "-" else int(stid),
                          "sender_comm": None if scomm == "-" else scomm,
                          "syscall": None if syscall == "-" else syscall})
    return cases


def workload_pid(cases):
    """The workload's PID: it is every case's parent (the pdeath case's once
    its parent died: the workload is its subreaper) and killed threads_kill."""
    return [c for c in cases if c["case"] == "threads_kill"][0]["sender_pid"]


def expected_exit(c):
    """What a line must say of the end, from the waitpid() status."""
    status = c["status"]
    sig = status & 0x7f
    return {"exit_code": status, "sig": sig or None,
            "status": None if sig else (status >> 8) & 0xff, "core_dumped": bool(status & 0x80)}


def check_json(out_path, cases, label):
    with open(out_path, encoding="utf-8", errors="surrogateescape") as f:
        objs = [json.loads(line) for line in f if line.startswith("{")]
    exits = [o for o in objs if o["type"] == "exit"]
    for c in cases:
        mine = [o for o in exits if o["pid"] == c["pid"]]
        what = f"{label} {c['case']} (pid {c['pid']})"
        check(f"{what}: one line for the process", len(mine) == 1, f"lines: {mine}")
        if len(mine) != 1:
            continue
        o = mine[0]
        want = expected_exit(c)
        got = {k: o[k] for k in want}
        check(f"{what}: the end waitpid() reported", got == want, f"want {want}, got {got}")
        check(f"{what}: comm", o["comm"] == c["case"][:15], o["comm"])
        check(f"{what}: its parent, the workload", o["ppid"] == workload_pid(cases), o["ppid"])
        if want["sig"]:
            want_signal = "SIG" + signal.Signals(want["sig"]).name[3:]
            check(f"{what}: signal name", o["signal"] == want_signal, o["signal"])
        if c["cause"] is None:
            check(f"{what}: no sender", o["sender"] is None, o["sender"])
            continue
        s = o["sender"] or {}
        want_sender = {"cause": c["cause"], "pid": c["sender_pid"], "tid": c["sender_tid"],
                       "comm": c["sender_comm"], "syscall": c["syscall"]}
        got_sender = {k: s.get(k) for k in want_sender}
        check(f"{what}: the sender", got_sender == want_sender,
              f"want {want_sender}, got {got_sender}")


def check_text(out_path, cases, label):
    with open(out_path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().splitlines()
    for c in cases:
        # PCOMM PID PPID TID AGE(s) EXIT_CODE...
        mine = [line for line in lines if re.match(rf"^\S+ +{c['pid']} +\d+ +\d+ +[0-9.]+ ", line)]
        what = f"{label} {c['case']} (pid {c['pid']})"
        check(f"{what}: one line for the process", len(mine) == 1, f"lines: {mine}")
        if len(mine) != 1:
            continue
        end = re.sub(r"^\S+ +\d+ +\d+ +\d+ +[0-9.]+ +", "", mine[0])
        want = expected_exit(c)
        if not want["sig"]:
            text = str(want["status"])
        else:
            text = f"signal {want['sig']} ({signal.Signals(want['sig']).name[3:]})"
            if want["core_dumped"]:
                text += ", core dumped"
            if c["cause"] == "syscall":
                text += (f" from {c['sender_pid']}/{c['sender_tid']} {c['sender_comm']}"
                         f" ({c['syscall']})")
            elif c["cause"] == "fault":
                text += " from a fault (si_code "
            elif c["cause"] == "parent_death":
                text += f" from its parent's death, {c['sender_pid']} {c['sender_comm']}"
        check(f"{what}: the end, and who sent its signal", end.startswith(text),
              f"want {text!r}, got {end!r}")


def main():
    kind, out_path, cases_path, label = sys.argv[1:5]
    cases = load_cases(cases_path)
    check(f"{label}: the workload reported every case", len(cases) == 7, f"{cases}")
    (check_json if kind == "json" else check_text)(out_path, cases, label)
    return RESULTS.summary()


if __name__ == "__main__":
    sys.exit(main())
