#!/usr/bin/python3
"""Checks execsnoop-c's lineage and context fields and exitsnoop-c's exec_id
against what the workloads themselves saw.

Usage: lineage_check.py EXECSNOOP_JSON EXITSNOOP_JSON CHAIN_OUT SHELL_PID REUSE_OUT
       SETUID_PID SETUID_UID SETUID_EUID LOGIN_PID LOGINUID
CHAIN_OUT: tests/workloads/lineage_chain.sh's "LEVEL PID PPID" lines, the
first level started by the shell SHELL_PID. REUSE_OUT: "PID" twice, two
processes that had the same PID one after the other. SETUID_PID ran a setuid
file, mount, as SETUID_UID (its owner SETUID_EUID); LOGIN_PID set its
loginuid to LOGINUID before it exec'd true. Prints "ok"/"FAIL" lines, then "N passed, N failed, N skipped"."""
import json
import sys

from checks import Results

RESULTS = Results()
check = RESULTS.check


def load(path, kind):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return [o for o in map(json.loads, f) if o["type"] == kind]


def only(objs, name):
    check(f"{name}: one line", len(objs) == 1, f"lines: {objs}")
    return objs[0] if len(objs) == 1 else None


def id_pid(exec_id):
    return int(exec_id.split("-")[0]) if exec_id else None


def main():
    exec_path, exit_path, chain_path, shell_pid, reuse_path = sys.argv[1:6]
    setuid_pid, setuid_uid, setuid_euid, login_pid, loginuid = map(int, sys.argv[6:11])
    execs, exits = load(exec_path, "exec"), load(exit_path, "exit")
    chain = [tuple(map(int, line.split())) for line in open(chain_path, encoding="utf-8")]
    check("lineage: the chain ran three levels", [c[0] for c in chain] == [1, 2, 3], chain)

    parent_exec_id = None
    for level, pid, ppid in chain:
        what = f"lineage: level {level} (pid {pid})"
        e = only([o for o in execs if o["pid"] == pid and o["ret"] == 0], f"{what} exec")
        x = only([o for o in exits if o["pid"] == pid], f"{what} exit")
        if not e or not x:
            continue
        check(f"{what}: ppid as bash saw it", e["ppid"] == ppid, e["ppid"])
        check(f"{what}: exec_id names its process", id_pid(e["exec_id"]) == pid, e["exec_id"])
        if level == 1:
            check(f"{what}: parent_exec_id names the shell that started it",
                  id_pid(e["parent_exec_id"]) == int(shell_pid), e["parent_exec_id"])
        else:
            check(f"{what}: parent_exec_id is the exec_id of level {level - 1}'s exec",
                  e["parent_exec_id"] == parent_exec_id,
                  f"{e['parent_exec_id']} != {parent_exec_id}")
        check(f"{what}: its exit carries its exec's exec_id", x["exec_id"] == e["exec_id"],
              f"{x['exec_id']} != {e['exec_id']}")
        check(f"{what}: its exit status", x["status"] == level, x["status"])
        parent_exec_id = e["exec_id"]
    ids = [o["exec_id"] for o in execs]
    check("lineage: every exec_id is unique", len(ids) == len(set(ids)),
          [i for i in ids if ids.count(i) > 1][:5])

    reused = [int(line) for line in open(reuse_path, encoding="utf-8")]
    if check_pid_reuse(reused):
        pid = reused[0]
        mine = [o for o in execs if o["pid"] == pid and o["ret"] == 0]
        ends = [o for o in exits if o["pid"] == pid]
        check(f"PID reuse: two execs and two exits of pid {pid}", len(mine) == 2 and len(ends) == 2,
              f"execs {mine}, exits {ends}")
        if len(mine) == 2 and len(ends) == 2:
            check("PID reuse: two exec_ids", mine[0]["exec_id"] != mine[1]["exec_id"],
                  mine[0]["exec_id"])
            check("PID reuse: each exit joins its own exec",
                  [o["exec_id"] for o in ends] == [o["exec_id"] for o in mine],
                  f"{[o['exec_id'] for o in ends]} != {[o['exec_id'] for o in mine]}")

    e = only([o for o in execs if o["pid"] == setuid_pid and o["comm"] == "mount"], "setuid exec")
    if e:
        check("setuid exec: uid the caller's, euid the file owner's",
              (e["uid"], e["euid"]) == (setuid_uid, setuid_euid), f"{e['uid']} {e['euid']}")
    e = only([o for o in execs if o["pid"] == login_pid and o["comm"] == "true"], "loginuid exec")
    if e:
        check("loginuid: the audit login UID the process set", e["loginuid"] == loginuid,
              e["loginuid"])
    return RESULTS.summary()


def check_pid_reuse(reused):
    ok = len(reused) == 2 and reused[0] == reused[1]
    check("PID reuse: the workload had one PID twice", ok, reused)
    return ok


if __name__ == "__main__":
    sys.exit(main())
