#!/usr/bin/python3
"""The benchmark's Python BCC peer of killsnoop-c: the same tracepoint
program (entry in a hash map keyed by thread, one event at exit) and the
same columns, through BCC's Python front end."""
import time

from bcc import BPF
from peer_loop import run

PROGRAM = r"""
struct start_t { int tpid; int sig; };
struct event_t { u32 pid; int tpid; int sig; int ret; char comm[16]; };
BPF_HASH(starts, u32, struct start_t);
BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_kill)
{
    u32 tid = bpf_get_current_pid_tgid();
    struct start_t s = { .tpid = args->pid, .sig = args->sig };
    starts.update(&tid, &s);
    return 0;
}

TRACEPOINT_PROBE(syscalls, sys_exit_kill)
{
    u32 tid = bpf_get_current_pid_tgid();
    struct start_t *s = starts.lookup(&tid);
    struct event_t e = {};
    if (!s)
        return 0;
    e.pid = bpf_get_current_pid_tgid() >> 32;
    e.tpid = s->tpid;
    e.sig = s->sig;
    e.ret = args->ret;
    bpf_get_current_comm(e.comm, sizeof(e.comm));
    starts.delete(&tid);
    events.perf_submit(args, &e, sizeof(e));
    return 0;
}
"""

b = BPF(text=PROGRAM)


def on_event(cpu, data, size):
    e = b["events"].event(data)
    print("%-9s %-7d %-16s %-4d %-7d %d" % (time.strftime("%H:%M:%S"), e.pid,
          e.comm.decode(errors="replace"), e.sig, e.tpid, e.ret))


run(b, on_event, "%-9s %-7s %-16s %-4s %-7s %s" % ("TIME", "PID", "COMM", "SIG", "TPID", "RESULT"), "killsnoop_bcc.py")
