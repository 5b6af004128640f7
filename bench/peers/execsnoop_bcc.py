#!/usr/bin/python3
"""The benchmark's Python BCC peer of execsnoop-c: tracepoints, one event
per argument at entry and one at exit, argv joined in user space, as BCC's
execsnoop does (with tracepoints instead of kprobes, so that it runs
where kprobes do not). Like BCC's, it reads the parent through
linux/sched.h: with headers of another release its PPID is wrong, which
does not change what it costs."""
from collections import defaultdict

from bcc import BPF
from peer_loop import run

PROGRAM = r"""
#include <linux/sched.h>
#define ARGSIZE 128
#define MAXARG 20
enum kind { ARG, RET };
struct event_t { u32 pid; u32 ppid; int kind; int ret; char comm[16]; char arg[ARGSIZE]; };
BPF_PERF_OUTPUT(events);
BPF_PERCPU_ARRAY(scratch, struct event_t, 1);

static int submit(void *ctx, struct event_t *e, const char *p)
{
    bpf_probe_read_user_str(e->arg, sizeof(e->arg), p);
    events.perf_submit(ctx, e, sizeof(*e));
    return 0;
}

TRACEPOINT_PROBE(syscalls, sys_enter_execve)
{
    int zero = 0;
    struct event_t *e = scratch.lookup(&zero);
    const char *const *argv = (const char *const *)args->argv;
    const char *p = NULL;
    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->kind = ARG;
    submit(args, e, args->filename);
    #pragma unroll
    for (int i = 1; i < MAXARG; i++) {
        bpf_probe_read_user(&p, sizeof(p), &argv[i]);
        if (!p)
            break;
        submit(args, e, p);
    }
    return 0;
}

TRACEPOINT_PROBE(syscalls, sys_exit_execve)
{
    int zero = 0;
    struct event_t *e = scratch.lookup(&zero);
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->kind = RET;
    e->ret = args->ret;
    e->ppid = task->real_parent->tgid;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    events.perf_submit(args, e, sizeof(*e));
    return 0;
}
"""

b = BPF(text=PROGRAM)
argv = defaultdict(list)


def on_event(cpu, data, size):
    e = b["events"].event(data)
    if e.kind == 0:
        argv[e.pid].append(e.arg.decode(errors="replace"))
        return
    print("%-16s %-7d %-7d %3d %s" % (e.comm.decode(errors="replace"), e.pid, e.ppid, e.ret,
          " ".join(argv.pop(e.pid, []))))


run(b, on_event, "%-16s %-7s %-7s %3s %s" % ("COMM", "PID", "PPID", "RET", "ARGS"), "execsnoop_bcc.py")
