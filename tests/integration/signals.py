#!/usr/bin/python3
"""Workload for sigsnoop-c's tests: each signal-sending syscall once, at the
target given, with the signal given (numbers). Prints nothing.
Usage: signals.py TARGET_PID SIG"""
import ctypes
import os
import signal
import struct
import sys

SYS_RT_SIGQUEUEINFO, SYS_TKILL, SYS_TGKILL, SYS_RT_TGSIGQUEUEINFO = 129, 200, 234, 297  # x86-64
SI_QUEUE = -1

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
target, sig = int(sys.argv[1]), int(sys.argv[2])


def siginfo(signo):
    """A siginfo_t as sigqueue(3) fills it: si_code SI_QUEUE, our pid and uid."""
    head = struct.pack("iiiiII", signo, 0, SI_QUEUE, 0, os.getpid(), os.getuid())
    return ctypes.create_string_buffer(head.ljust(128, b"\0"), 128)


os.kill(target, sig)
libc.syscall(SYS_TKILL, target, sig)
libc.syscall(SYS_TGKILL, target, target, sig)
libc.syscall(SYS_RT_SIGQUEUEINFO, target, sig, siginfo(sig))
libc.syscall(SYS_RT_TGSIGQUEUEINFO, target, target, sig, siginfo(sig))
fd = os.pidfd_open(target)
signal.pidfd_send_signal(fd, sig)
