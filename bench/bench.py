#!/usr/bin/python3
"""snoop-c's benchmarks, side by side with its peers in one run: Python BCC
with equivalent tracepoint programs (bench/peers), this machine's bpftrace
with its execsnoop.bt and killsnoop.bt, and Debian's current release's
libbpf-tools (execsnoop-libbpf, killsnoop-libbpf, sigsnoop-libbpf) and
bpftrace in a chroot that mmdebstrap makes from Debian's archive
(BENCH_PEER_ROOT, default /var/cache/snoop-c-bench/trixie; /proc, /sys
and /dev bound into it while the benchmarks run).

  start-up   from exec to the first event shown (probes attached, output flowing):
             snoop-c's tools compiling (--no-cache) and from the cache of
             compiled programs
  memory     peak RSS at that point, steady RSS and anonymous memory 1 s later
  kill cost  ns per kill(getpid(), 0) of a storm, output to a file; lost events
             (killsnoop-c also with a one-page buffer: losses counted exactly?)
  exec cost  ns per fork+exec+wait of a storm from both cores; execs missing,
             and lines out of order: an exec shown after one its storm made
             later (each storm numbers its execs)
  signal storm  sigsnoop-c -D on kill(getpid(), SIGUSR1), each signal taken
             by a handler: ns per signal, the tool's CPU time per signal, and
             every loss it reports (perf buffers, full tables, deliveries
             without their send) against what is missing or unpaired; also
             with a one-page buffer, where the losses must add up exactly
             Each traced storm runs right after an untraced one, its baseline:
             the overhead is their difference, taken within the same minute.
  no loss    each burst NO_LOSS_RUNS times (default 20) at the default
             settings: killsnoop-c under a 200,000-kill storm from one core
             and a 2 x 100,000 one from both cores, in text and in JSON;
             sigsnoop-c -D under the signal storm; execsnoop-c under a
             two-core exec storm with 60 KB command lines. The runs with
             any event missing or reported lost are counted.
  readers    each tool's reader in text and in JSON, alone: stopped while a
             storm fills its buffers, then let go; its CPU time per line
  empty args the lines each exec tracer prints with an empty ARGS column, on
             a real workload: this project's build (make -B) and .ci/deps.sh

  modes      killsnoop-c in tracepoint, kprobe and fentry mode: start-up
             (compiling and from the cache) and cost under the kill storm,
             in a VM stage guest on Debian's 6.12 kernel (this host has
             no kprobes and refuses fentry); emulated, so only the ratios
             between modes mean something. BENCH_VM=0 skips it.

Each figure is the median of BENCH_REPEATS runs (default 5; storms use
fewer), with ratios against the peers. Writes results.md, results.json and
PNG plots (gnuplot) to bench/results/. Run as root: make bench.
BENCH_KILLS and BENCH_EXECS (per core) size the storms; BENCH_REPORT_ONLY=1
makes the report and plots again from results.json.

BENCH_BASE=DIR sets this build against another of snoop-c (DIR its build
directory, made from an older commit) and does nothing else: start-up
compiling and from the cache, peak RSS, and the storms' cost per operation
and per line, the two builds taking turns; each figure's median and range
a side, within noise when the two sides' runs overlap. Writes compare.md
and compare.json to bench/results/.
Usage: bench.py BUILD_DIR
"""
import atexit
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build"))
RESULTS = os.path.join(TOP, "bench", "results")
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
STORM_REPEATS = max(1, REPEATS // 2 + 1)
KILLS = int(os.environ.get("BENCH_KILLS", "200000"))
EXECS = int(os.environ.get("BENCH_EXECS", "1000"))  # per core
LONG_EXECS = int(os.environ.get("BENCH_LONG_EXECS", "500"))  # per core, with LONG_ARG bytes
LONG_ARG = 60000
NO_LOSS_RUNS = int(os.environ.get("BENCH_NO_LOSS_RUNS", "20"))
SIGNALS = int(os.environ.get("BENCH_SIGNALS", "200000"))
PY = "/usr/bin/python3"  # Debian's, which has BCC's module


def tool(name):
    return [os.path.join(BUILD, "bin", name)]


def peer(name):
    return [PY, os.path.join(TOP, "bench", "peers", name)]


PEER_SUITE = "trixie"
PEER_ROOT = os.environ.get("BENCH_PEER_ROOT", "/var/cache/snoop-c-bench/" + PEER_SUITE)


def release_peer(*cmd):
    """A program of the peers' chroot, run there (chroot execs it: same PID)."""
    return ["chroot", PEER_ROOT] + list(cmd)


def line_buffered(cmd):
    """libbpf-tools' stdout to a file is written a 4 KB block at a time: its
    start-up is timed with its lines written as they come (stdbuf)."""
    return cmd[:2] + ["stdbuf", "-oL"] + cmd[2:]


# name -> (command, kind): kind says which workload it traces. snoop-c's
# tools start from the cache (filled by a run before the measured ones)
# unless --no-cache makes them compile.
STARTUP = {
    "execsnoop-c, compiling": (tool("execsnoop-c") + ["--no-cache"], "exec"),
    "execsnoop-c, from the cache": (tool("execsnoop-c"), "exec"),
    "killsnoop-c, compiling": (tool("killsnoop-c") + ["--no-cache"], "kill"),
    "killsnoop-c, from the cache": (tool("killsnoop-c"), "kill"),
    "Python BCC execsnoop": (peer("execsnoop_bcc.py"), "exec"),
    "Python BCC killsnoop": (peer("killsnoop_bcc.py"), "kill"),
    "bpftrace execsnoop.bt": (["bpftrace", "/usr/sbin/execsnoop.bt"], "exec"),
    "bpftrace killsnoop.bt": (["bpftrace", "/usr/sbin/killsnoop.bt"], "kill"),
}
# Debian's current release's peers: their names say so.
RELEASE_PEERS = {
    "libbpf-tools execsnoop (%s)" % PEER_SUITE: (release_peer("/usr/sbin/execsnoop-libbpf"), "exec"),
    "libbpf-tools killsnoop (%s)" % PEER_SUITE: (release_peer("/usr/sbin/killsnoop-libbpf"), "kill"),
    # -k: kill()'s signals, 0 too (by default it traces signals generated).
    "libbpf-tools sigsnoop -k (%s)" % PEER_SUITE: (release_peer("/usr/sbin/sigsnoop-libbpf", "-k"),
                                                 "kill"),
    "bpftrace execsnoop.bt (%s)" % PEER_SUITE: (release_peer("bpftrace", "/usr/sbin/execsnoop.bt"),
                                              "exec"),
    "bpftrace killsnoop.bt (%s)" % PEER_SUITE: (release_peer("bpftrace", "/usr/sbin/killsnoop.bt"),
                                              "kill"),
}
STARTUP.update({name: (line_buffered(cmd) if "libbpf" in name else cmd, kind)
                for name, (cmd, kind) in RELEASE_PEERS.items()})
STORMS = {
    "execsnoop-c": (tool("execsnoop-c"), "exec"),
    "execsnoop-c --json": (tool("execsnoop-c") + ["--json"], "exec"),
    "killsnoop-c": (tool("killsnoop-c"), "kill"),
    "killsnoop-c --json": (tool("killsnoop-c") + ["--json"], "kill"),
    "killsnoop-c --buffer-pages 1": (tool("killsnoop-c") + ["--buffer-pages", "1"], "kill"),
    "Python BCC execsnoop": STARTUP["Python BCC execsnoop"],
    "Python BCC killsnoop": STARTUP["Python BCC killsnoop"],
    "bpftrace execsnoop.bt": STARTUP["bpftrace execsnoop.bt"],
    "bpftrace killsnoop.bt": STARTUP["bpftrace killsnoop.bt"],
    "sigsnoop-c": (tool("sigsnoop-c"), "kill"),
    "sigsnoop-c --json": (tool("sigsnoop-c") + ["--json"], "kill"),
}
# Each tool's reader, text against JSON: the storms above by name.
READERS = {"execsnoop-c": ("execsnoop-c", "execsnoop-c --json"),
           "killsnoop-c": ("killsnoop-c", "killsnoop-c --json"),
           "sigsnoop-c": ("sigsnoop-c", "sigsnoop-c --json")}
STORMS.update(RELEASE_PEERS)


def archive_uri():
    """The Debian archive this machine's apt already uses."""
    with open("/etc/os-release") as f:
        codename = re.search(r"^VERSION_CODENAME=(\S+)", f.read(), re.M).group(1)
    out = subprocess.run(["apt-get", "indextargets", "--format", "$(REPO_URI) $(RELEASE)"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        uri, release = line.split()
        if release == codename:
            return uri
    raise RuntimeError("no Debian archive in this machine's apt sources")


def release_peers_ready():
    """The peers' chroot made once (mmdebstrap, about 30 s), then /proc, /sys
    (with tracefs mounted first) and /dev bound into it until the run ends."""
    stamp = os.path.join(PEER_ROOT, ".snoop-c-peers")
    if not os.path.exists(stamp):
        print("peers: making a %s chroot in %s" % (PEER_SUITE, PEER_ROOT), flush=True)
        subprocess.run(["rm", "-rf", PEER_ROOT], check=True)
        os.makedirs(os.path.dirname(PEER_ROOT), exist_ok=True)
        subprocess.run(["mmdebstrap", "--quiet", "--variant=apt",
                        "--include=libbpf-tools,bpftrace", PEER_SUITE, PEER_ROOT, archive_uri()],
                       check=True)
        open(stamp, "w").close()
    if subprocess.run(["mountpoint", "-q", "/sys/kernel/tracing"]).returncode:
        subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"], check=True)
    for fs in ("proc", "sys", "dev"):
        subprocess.run(["mount", "--rbind", "/" + fs, os.path.join(PEER_ROOT, fs)], check=True)
        subprocess.run(["mount", "--make-rslave", os.path.join(PEER_ROOT, fs)], check=True)
        atexit.register(subprocess.run, ["umount", "-R", os.path.join(PEER_ROOT, fs)])


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def environment():
    """Python BCC needs a header tree: the one the tools merge from Debian's packages."""
    env = dict(os.environ)
    cache = "/var/cache/snoop-c/kernel-headers"
    trees = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
    if trees and "BCC_KERNEL_SOURCE" not in env:
        env["BCC_KERNEL_SOURCE"] = os.path.join(cache, trees[-1])
    env["PYTHONUNBUFFERED"] = "1"  # the peers' lines go out as they come, as ours do
    return env


class Tracer:
    """A tracer started with its output in a file."""

    def __init__(self, cmd, out_path):
        self.out_path = out_path
        self.err = tempfile.TemporaryFile()
        self.t0 = time.monotonic()
        # SIGINT back to its default: a background job's children ignore it,
        # and Python would then never stop on it.
        self.proc = subprocess.Popen(cmd, stdout=open(out_path, "w"), stderr=self.err,
                                     env=environment(),
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def wait_ready(self, kind, timeout=60):
        """Seconds from the start until the tracer shows an event: one is
        made every 10 ms (a kill(self, 0), or an exec), since a header line
        may come before the probes work (bpftrace prints it from BEGIN)."""
        mark = "snoopready%d" % os.getpid()
        kill = kind.startswith("kill")
        probe = re.compile(r'^\S+\s+%d\s|"pid":%d,' % (os.getpid(), os.getpid()) if kill else mark,
                           re.M)
        while time.monotonic() - self.t0 < timeout:
            with open(self.out_path, errors="replace") as f:
                if probe.search(f.read()):
                    return time.monotonic() - self.t0
            if self.proc.poll() is not None:
                break
            if kill:
                os.kill(os.getpid(), 0)
            else:
                subprocess.run(["/bin/true", mark])
            time.sleep(0.01)
        self.stop()
        raise RuntimeError("tracer did not start: %s" % self.stderr())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace")

    def reported(self, pattern):
        """The sum of the counts the tracer printed (on stderr or in its
        output) in lines that match pattern, whose groups are the counts."""
        text = self.stderr()
        with open(self.out_path) as f:
            text += f.read()
        return sum(int(n) for group in re.findall(pattern, text)
                   for n in (group if isinstance(group, tuple) else (group,)) if n)

    def lost(self):
        """Events the tracer says it lost (each says it its own way): perf
        or ring buffers full, a BPF table full."""
        return self.reported(r"(\d+) events lost|Lost (\d+) events|(\d+) events missed or left "
                             r"incomplete")

    def dropped(self):
        """Execs that execsnoop-c left out because some of their events
        were lost: counted in execs, where lost() counts events (an exec
        sends one an argument)."""
        return self.reported(r"(\d+) execs dropped")


def startup(name, cmd, kind):
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(cmd, out.name)
        seconds = t.wait_ready(kind)
        peak = status_kb(t.proc.pid, "VmHWM")
        time.sleep(1)
        steady = status_kb(t.proc.pid, "VmRSS")
        anon = status_kb(t.proc.pid, "RssAnon")
        t.stop()
    return {"startup_s": seconds, "peak_rss_mb": peak / 1024, "steady_rss_mb": steady / 1024,
            "anon_mb": anon / 1024}


# What each kind of workload is: how many operations, run by one process
# or one on each core, and the storm program's arguments.
WORKLOADS = {
    "kill": lambda mark: [["kill_storm", str(KILLS)]],
    "kill on both cores": lambda mark: [["kill_storm", str(KILLS // 2)]] * 2,
    "exec": lambda mark: [["exec_storm", str(EXECS), "%s.%d" % (mark, cpu)] for cpu in (0, 1)],
    "long exec": lambda mark: [["exec_storm", str(LONG_EXECS), "%s.%d" % (mark, cpu), str(LONG_ARG)]
                               for cpu in (0, 1)],
}


def operations(kind):
    return {"kill": KILLS, "kill on both cores": KILLS // 2 * 2, "exec": 2 * EXECS,
            "long exec": 2 * LONG_EXECS}[kind]


def run_storm(kind, mark):
    """The workload alone; returns ns per operation (a process on each
    core: their mean)."""
    bench_bin = os.path.join(BUILD, "bench")
    storms = WORKLOADS[kind](mark)
    if len(storms) == 1:
        out = subprocess.run([os.path.join(bench_bin, storms[0][0])] + storms[0][1:],
                             capture_output=True, text=True, check=True)
        return float(out.stdout)
    procs = [subprocess.Popen(["taskset", "-c", str(cpu), os.path.join(bench_bin, args[0])] + args[1:],
                              stdout=subprocess.PIPE, text=True)
             for cpu, args in enumerate(storms)]
    return statistics.mean(float(p.communicate()[0]) for p in procs)


def cpu_s(pid):
    """A process's CPU time so far (user and kernel), in seconds: the
    scheduler's count in nanoseconds for each of its threads, where
    /proc/PID/stat's ticks of 10 ms were most of an exec storm's reader
    time per line (a thread that ended takes its time with it)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return total / 1e9


def storm(name, cmd, kind):
    """A traced storm, right after its untraced baseline. The tracer's CPU
    time over the storm per line it showed is its reader's cost: formatting
    and writing a line."""
    baseline = run_storm(kind, "snoopbenchbase")
    m = traced_storm(cmd, kind)
    m["overhead_ns"] = m["ns_per_op"] - baseline
    return m


def storm_lines(text, cmd, kind, mark):
    """The lines in a tracer's output (text) that show the storm's operations."""
    if kind.startswith("kill") and "--json" in cmd:
        # sigsnoop-c has a syscall member before sig.
        return len(re.findall(r'"comm":"kill_storm",("syscall":"kill",)?"sig":0,', text))
    if kind.startswith("kill"):
        # sigsnoop-c has a SYSCALL column before SIG.
        return len(re.findall(r"^\S+\s+\d+\s+kill_storm\s+(kill\s+)?0\s", text, re.M))
    if "--json" in cmd:
        return len(re.findall(r'"%s\.\d\.\d+"[,\]]' % mark, text))
    # (libbpf-tools' execsnoop ends its ARGS with a space.)
    return len(re.findall(r" %s\.\d\.\d+( x+)? ?$" % mark, text, re.M))


def traced_storm(cmd, kind):
    """A storm traced by cmd: ns per operation, the workload's events
    missing from the output, the losses reported, the reader's ns per line."""
    mark = "snoopbench%d" % os.getpid()
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(cmd, out.name)
        t.wait_ready(kind)
        cpu_before = cpu_s(t.proc.pid)
        ns = run_storm(kind, mark)
        time.sleep(1)
        reader_s = cpu_s(t.proc.pid) - cpu_before
        t.stop()
        with open(out.name, errors="replace") as f:
            text = f.read()
        lost, dropped = t.lost(), t.dropped()
    seen = storm_lines(text, cmd, kind, mark)
    return {"ns_per_op": ns, "missing": operations(kind) - seen, "lost_reported": lost,
            "dropped_reported": dropped,
            "reader_ns_per_line": reader_s * 1e9 / seen if seen else 0,
            "out_of_order": 0 if kind.startswith("kill") else out_of_order(text, mark)}


def out_of_order(text, mark):
    """Exec lines shown after a line of an exec that their storm made later:
    each storm (one a core) numbers its execs MARK.CORE.N, one after the
    other, so N must grow down the output."""
    latest, late = {}, 0
    for core, n in re.findall(r"%s\.(\d)\.(\d+)" % mark, text):
        if int(n) < latest.get(core, -1):
            late += 1
        latest[core] = max(latest.get(core, -1), int(n))
    return late


# Bursts that must lose nothing at the default settings.
NO_LOSS = {
    "killsnoop-c, 200,000 kills from one core": (tool("killsnoop-c"), "kill"),
    "killsnoop-c --json, 200,000 kills from one core": (tool("killsnoop-c") + ["--json"], "kill"),
    "killsnoop-c, 2 x 100,000 kills from both cores": (tool("killsnoop-c"), "kill on both cores"),
    "killsnoop-c --json, 2 x 100,000 kills from both cores": (tool("killsnoop-c") + ["--json"],
                                                             "kill on both cores"),
    "execsnoop-c, two-core exec storm, 60 KB command lines": (tool("execsnoop-c"), "long exec"),
    "sigsnoop-c -D, signal storm": (tool("sigsnoop-c") + ["-D"], "signal"),
}


def no_loss():
    """NO_LOSS_RUNS runs of each burst: how many missed or lost any event,
    and the most missing and reported lost in one run."""
    found = {}
    for name, (cmd, kind) in NO_LOSS.items():
        print("no loss: %s, %d runs" % (name, NO_LOSS_RUNS), flush=True)
        runs = []
        for _ in range(NO_LOSS_RUNS):
            m = signal_storm(cmd) if kind == "signal" else traced_storm(cmd, kind)
            if kind == "signal":
                m["missing"] += m["undelivered"] + m["unmatched_reported"] + m["table_full_reported"]
            runs.append(m)
        found[name] = {"runs": len(runs),
                       "runs_with_loss": sum(1 for m in runs if m["missing"] or m["lost_reported"]
                                             or m.get("dropped_reported")),
                       "most_missing": max(m["missing"] for m in runs),
                       "most_lost_reported": max(m["lost_reported"] for m in runs),
                       "most_dropped_reported": max(m.get("dropped_reported", 0) for m in runs)}
    return found


def guard_overhead():
    """ptraceguard-c's cost to a kill storm, which goes through none of its
    doors: ns per kill with the guard running, and less the untraced run
    just before. Its programs that run for other syscalls count here (the
    tracepoint mode's raw_syscalls:sys_enter one for 32-bit doors, where
    the kernel has IA32 emulation)."""
    baseline = run_storm("kill", "snoopbenchbase")
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(tool("ptraceguard-c") + ["-v"], out.name)
        deadline = time.monotonic() + 60
        while " attach " not in t.stderr():
            if t.proc.poll() is not None or time.monotonic() > deadline:
                t.stop()
                raise RuntimeError("ptraceguard-c did not start: %s" % t.stderr())
            time.sleep(0.05)
        ns = run_storm("kill", "snoopbenchguard")
        t.stop()
    return {"ns_per_op": ns, "overhead_ns": ns - baseline}


# sigsnoop-c -D under the signal storm, by buffer size.
SIGNAL_STORMS = {
    "sigsnoop-c -D": tool("sigsnoop-c") + ["-D"],
    "sigsnoop-c -D --buffer-pages 1": tool("sigsnoop-c") + ["-D", "--buffer-pages", "1"],
}


def signal_storm(cmd):
    """signal_storm traced by cmd + -p its PID (untraced when cmd is None):
    ns per signal, and for a tracer its CPU time per signal, the storm's
    lines (missing: not shown; undelivered: shown without their delivery)
    and the losses it reports."""
    workload = subprocess.Popen([os.path.join(BUILD, "bench", "signal_storm"), str(SIGNALS)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if cmd is None:
        return float(workload.communicate("go\n")[0])
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(cmd + ["-v", "-p", str(workload.pid)], out.name)
        while " attach " not in t.stderr():
            if t.proc.poll() is not None or time.monotonic() - t.t0 > 60:
                workload.kill()
                raise RuntimeError("sigsnoop-c did not start: %s" % t.stderr())
            time.sleep(0.1)
        ns = float(workload.communicate("go\n")[0])
        # A delivery waits a second for its send before it counts as unpaired.
        time.sleep(2)
        with open("/proc/%d/stat" % t.proc.pid) as f:
            ticks = sum(int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13])
        t.stop()
        with open(out.name, errors="replace") as f:
            lines = re.findall(r"^\S+\s+%d\s+signal_storm\s+kill\s+10\s+%d\s+0\s+(.*)$"
                               % (workload.pid, workload.pid), f.read(), re.M)
    err = t.stderr()

    def reported(pattern):
        found = re.search(r"(\d+) " + pattern, err)
        return int(found.group(1)) if found else 0
    delivered = sum(1 for fate in lines if re.match(r"%d after \d+us$" % workload.pid, fate))
    return {"ns_per_op": ns, "cpu_ns_per_signal": ticks * 1e9 / os.sysconf("SC_CLK_TCK") / SIGNALS,
            "missing": SIGNALS - len(lines), "undelivered": len(lines) - delivered,
            "lost_reported": reported("events lost"),
            "unmatched_reported": reported("deliveries without their send"),
            "table_full_reported": reported("events missed or left incomplete")}


def losses_add_up(m):
    """Each lost event is a send (its line missing, its delivery unpaired)
    or a delivery (its send shown undelivered); both of one signal: missing
    and not unpaired."""
    both = m["missing"] - m["unmatched_reported"]
    return (m["lost_reported"] == m["missing"] + m["undelivered"] + both
            and m["table_full_reported"] == 0 and both >= 0)


# The exec tracers whose lines show ARGS as their last column, and how to
# tell a line of theirs with nothing in it.
EMPTY_ARGS = {
    "execsnoop-c": (tool("execsnoop-c") + ["-x"], re.compile(r"^\S+\s+\d+\s+\d+\s+-?\d+\s*$")),
    "Python BCC execsnoop": (peer("execsnoop_bcc.py"), re.compile(r"^\S+\s+\d+\s+\d+\s+-?\d+\s*$")),
    "bpftrace execsnoop.bt": (["bpftrace", "/usr/sbin/execsnoop.bt"], re.compile(r"^\d+\s+\d+\s*$")),
}


def real_workload(tmp):
    """This project built from scratch (make -B, both cores) and its package check."""
    src = os.path.join(tmp, "src")
    subprocess.run(["cp", "-r", TOP, src], check=True)
    subprocess.run(["rm", "-rf", os.path.join(src, "build"), os.path.join(src, ".git")], check=True)
    subprocess.run(["make", "-B", "-j2", "BUILD=" + os.path.join(tmp, "build"), "binaries"],
                   cwd=src, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    subprocess.run(["sh", ".ci/deps.sh", "test"], cwd=src, stdout=subprocess.DEVNULL, check=True)


def empty_args(name, cmd, empty):
    """Lines, and lines with an empty ARGS column, of one tracer on the real workload."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "trace.out")
        t = Tracer(cmd, out)
        t.wait_ready("exec")
        real_workload(tmp)
        time.sleep(1)
        t.stop()
        with open(out, errors="replace") as f:
            lines = [l for l in f.read().splitlines()[1:] if l.strip()]
    return {"lines": len(lines), "empty": sum(1 for l in lines if empty.match(l))}


def vm_modes():
    """The mode comparison in a guest:
    {mode: {ns_per_op, missing, lost_reported, compiling_s, from_cache_s}}."""
    listed = subprocess.run([os.path.join(TOP, "tests", "vm", "kernels")], cwd=TOP,
                            capture_output=True, text=True).stdout.split("\n")
    kernels = [line.split()[0] for line in listed if line.startswith("6.12.")]
    if not kernels:
        return None
    rel = kernels[-1]
    env = dict(os.environ, SNOOP_VM_SCRIPT="bench/vm_modes.sh", SNOOP_VM_KERNELS=rel,
               SNOOP_VM_TIMEOUT="900")
    out = subprocess.run([os.path.join(TOP, "tests", "vm", "run"), BUILD], env=env, cwd=TOP,
                         capture_output=True, text=True)
    path = os.path.join(BUILD, "vm", rel, "share", "work", "modes.txt")
    if out.returncode or not os.path.exists(path):
        print(out.stdout[-2000:], file=sys.stderr)
        raise RuntimeError("the mode comparison guest failed")
    modes = {}
    with open(path) as f:
        for line in f:
            mode, ns, missing, lost, compiling, cached = line.split()
            modes[mode] = {"ns_per_op": float(ns), "missing": int(missing),
                           "lost_reported": int(lost), "compiling_s": float(compiling),
                           "from_cache_s": float(cached)}
    return {"kernel": rel, "modes": modes}


# The storms a held reader's buffers take whole: a kill storm of HELD_KILLS
# (one core's 8 MiB perf buffer holds it), and the exec storm.
HELD_KILLS = 50000
HELD_WORKLOADS = {"kill": lambda mark: [["kill_storm", str(HELD_KILLS)]],
                  "exec": WORKLOADS["exec"]}
HELD_OPERATIONS = {"kill": HELD_KILLS, "exec": 2 * EXECS}


def held_reader(name, cmd, kind):
    """The reader's own cost a line, apart from the storm's pace (under a
    storm of execs, its wakeups every 20 ms cost more than the lines): the
    tracer is stopped (SIGSTOP) while a storm fills its buffers, then let go,
    and its CPU time until the last line is out is shared among the lines.
    Twice, the second measured: the first lap also faults in the buffers'
    pages, once in a tracer's life."""
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(cmd, out.name)
        t.wait_ready(kind)
        time.sleep(0.5)
        for lap in ("snoopwarm%d" % os.getpid(), "snoopheld%d" % os.getpid()):
            start = os.path.getsize(out.name)  # where the lap's lines begin
            t.proc.send_signal(signal.SIGSTOP)
            storms = HELD_WORKLOADS[kind](lap)
            procs = [subprocess.Popen(["taskset", "-c", str(cpu),
                                       os.path.join(BUILD, "bench", a[0])] + a[1:],
                                      stdout=subprocess.DEVNULL) for cpu, a in enumerate(storms)]
            for p in procs:
                p.wait()
            before = cpu_s(t.proc.pid)
            t.proc.send_signal(signal.SIGCONT)
            deadline = time.monotonic() + 60
            while True:
                with open(out.name, errors="replace") as f:
                    f.seek(start)
                    seen = storm_lines(f.read(), cmd, kind, lap)
                if seen >= HELD_OPERATIONS[kind] or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            spent = cpu_s(t.proc.pid) - before
        t.stop()
    return {"ns_per_line": spent * 1e9 / seen if seen else 0,
            "missing": HELD_OPERATIONS[kind] - seen}

# The exec tracers whose cost per exec is taken apart: execsnoop-c's
# programs with each field group off and on (text collects neither, as it
# shows neither; --lineage adds the effective IDs, the login UID and the
# two exec IDs; --json adds the file's path and the working directory too).
EXEC_COST = {
    "execsnoop-c": STORMS["execsnoop-c"],
    "execsnoop-c --lineage": (tool("execsnoop-c") + ["--lineage"], "exec"),
    "execsnoop-c --json": STORMS["execsnoop-c --json"],
    "libbpf-tools execsnoop (%s)" % PEER_SUITE: RELEASE_PEERS["libbpf-tools execsnoop (%s)" % PEER_SUITE],
    "bpftrace execsnoop.bt (%s)" % PEER_SUITE: RELEASE_PEERS["bpftrace execsnoop.bt (%s)" % PEER_SUITE],
    "Python BCC execsnoop": STARTUP["Python BCC execsnoop"],
}
# What each field group costs in the kernel: (group, with it, without it).
EXEC_FIELD_COSTS = [
    ("euid, egid, loginuid, exec_id, parent_exec_id", "execsnoop-c --lineage", "execsnoop-c"),
    ("exe, exe_deleted, cwd", "execsnoop-c --json", "execsnoop-c --lineage"),
]


def bpf_programs(pid):
    """The kernel's run time and run count of each BPF program a process
    holds, by program ID (a program held by several descriptors counts
    once): /proc/PID/fdinfo with kernel.bpf_stats_enabled on."""
    progs = {}
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) != "anon_inode:bpf-prog":
                continue
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                info = dict(line.split(":", 1) for line in f if ":" in line)
        except (FileNotFoundError, ValueError):  # closed meanwhile
            continue
        progs[int(info["prog_id"])] = (int(info.get("run_time_ns", 0)), int(info.get("run_cnt", 0)))
    return progs


def exec_cost(name, cmd, kind):
    """CPU an exec costs a tracer, measured apart from the exec storm's
    wall-clock noise: its BPF programs' run time (the kernel's own count,
    kernel.bpf_stats_enabled) and its reader's CPU time (the scheduler's),
    over the storm, per exec the storm made."""
    mark = "snoopcost%d" % os.getpid()
    with tempfile.NamedTemporaryFile(suffix=".out") as out:
        t = Tracer(cmd, out.name)
        t.wait_ready(kind)
        time.sleep(0.5)
        before, cpu_before = bpf_programs(t.proc.pid), cpu_s(t.proc.pid)
        run_storm(kind, mark)
        time.sleep(1)
        after, cpu_after = bpf_programs(t.proc.pid), cpu_s(t.proc.pid)
        t.stop()
        with open(out.name, errors="replace") as f:
            seen = storm_lines(f.read(), cmd, kind, mark)
    execs = operations(kind)
    bpf_ns = sum(run - before.get(prog, (0, 0))[0] for prog, (run, _) in after.items())
    return {"bpf_ns_per_exec": bpf_ns / execs, "reader_ns_per_exec": (cpu_after - cpu_before) * 1e9 / execs,
            "missing": execs - seen}


def with_bpf_stats(measure_all):
    """measure_all() with the kernel counting BPF programs' run time, which
    costs every program two clock reads a run: on for this alone."""
    path = "/proc/sys/kernel/bpf_stats_enabled"
    with open(path) as f:
        was = f.read().strip()
    with open(path, "w") as f:
        f.write("1")
    try:
        return measure_all()
    finally:
        with open(path, "w") as f:
            f.write(was)


def median_of(runs):
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def interleaved_runs(what, tracers, measure_one, repeats):
    """measure_one(name, cmd, kind) of every tracer, repeats times, the
    tracers taking turns (the machine's drift falls on all of them alike):
    {name: [each run's figures]}."""
    runs = {name: [] for name in tracers}
    for turn in range(repeats):
        for name, (cmd, kind) in tracers.items():
            print("%s, run %d of %d: %s" % (what, turn + 1, repeats, name), flush=True)
            runs[name].append(measure_one(name, cmd, kind))
    return runs


def interleaved(what, tracers, measure_one, repeats):
    """interleaved_runs, as {name: medians}."""
    runs = interleaved_runs(what, tracers, measure_one, repeats)
    return {name: median_of(r) for name, r in runs.items()}


# BENCH_BASE=DIR: another build of snoop-c (its BUILD directory) to set this
# one against, alone, in place of the whole run.
BASE = os.environ.get("BENCH_BASE")
# What the comparison measures, by the names STARTUP and STORMS give them,
# and the figure each is judged by.
COMPARED_STARTUP = ("execsnoop-c, compiling", "execsnoop-c, from the cache",
                    "killsnoop-c, from the cache")
COMPARED_STORMS = ("killsnoop-c", "killsnoop-c --json", "execsnoop-c --json", "sigsnoop-c")
COMPARED_FIGURES = (("startup", "startup_s", "s"), ("startup", "peak_rss_mb", "MB"),
                    ("storm", "overhead_ns", "ns per operation"),
                    ("storm", "reader_ns_per_line", "reader ns per line"))


def in_build(build, table, names):
    """table's commands of names, run from build's tools."""
    return {name: ([os.path.join(build, "bin", os.path.basename(table[name][0][0]))]
                   + table[name][0][1:], table[name][1]) for name in names}


def commit_of(build):
    """The commit of the work tree a build directory sits in, or "unknown"."""
    out = subprocess.run(["git", "-C", build, "describe", "--always", "--dirty"],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def compare(base):
    """This build against base: start-up and the storms' cost of each side,
    the two builds taking turns run by run."""
    if not os.path.isdir(os.path.join(base, "bin")):
        sys.exit("bench.py: BENCH_BASE=%s: no build directory (no bin/ in it)" % base)
    results = {"machine": os.uname().release,
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "build": BUILD, "build_commit": commit_of(BUILD), "base": base,
               "base_commit": commit_of(base), "repeats": REPEATS,
               "storm_repeats": STORM_REPEATS, "kills": KILLS, "execs_per_core": EXECS}
    for part, table, names, measure_one, repeats in (
            ("startup", STARTUP, COMPARED_STARTUP, startup, REPEATS),
            ("storm", STORMS, COMPARED_STORMS, storm, STORM_REPEATS)):
        sides = {}
        for side, build in (("base", base), ("this build", BUILD)):
            sides.update({"%s (%s)" % (name, side): run for name, run in
                          in_build(build, table, names).items()})
        if part == "startup":
            for name, (cmd, kind) in sides.items():
                if "--no-cache" not in cmd:
                    print("start-up, first run: %s" % name, flush=True)
                    measure_one(name, cmd, kind)  # fills the cache; page cache warm
        results[part] = interleaved_runs(part, sides, measure_one, repeats)
    return results


def compare_report(results):
    """compare.md: each figure's median on each side, the difference, and
    whether it is within noise: the two sides' runs overlap."""
    lines = ["# This build against another", "",
             "%s, kernel %s: %s (%s) against %s (%s, the base); %d start-ups and %d storms "
             "a side, the sides taking turns." % (
                 results["date"], results["machine"], results["build"], results["build_commit"],
                 results["base"], results["base_commit"], results["repeats"],
                 results["storm_repeats"]), "",
             "| figure | base: median (range) | this build: median (range) | difference "
             "| within noise |", "|---|---|---|---|---|"]
    for part, key, unit in COMPARED_FIGURES:
        names = COMPARED_STARTUP if part == "startup" else COMPARED_STORMS
        for name in names:
            base = [r[key] for r in results[part]["%s (base)" % name]]
            this = [r[key] for r in results[part]["%s (this build)" % name]]
            a, b = statistics.median(base), statistics.median(this)
            overlap = max(min(base), min(this)) <= min(max(base), max(this))
            lines.append("| %s: %s, %s | %.4g (%.4g-%.4g) | %.4g (%.4g-%.4g) | %s | %s |" % (
                name, key, unit, a, min(base), max(base), b, min(this), max(this),
                "%+.1f%%" % ((b - a) / abs(a) * 100) if a else "-", "yes" if overlap else "NO"))
    with open(os.path.join(RESULTS, "compare.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def measure():
    results = {"machine": os.uname().release, "date": time.strftime("%Y-%m-%d %H:%M"),
               "repeats": REPEATS, "kills": KILLS, "execs_per_core": EXECS, "signals": SIGNALS,
               "startup": {}, "storm": {}, "baseline": {}}
    release_peers_ready()
    for name, (cmd, kind) in STARTUP.items():
        print("start-up, first run: %s" % name, flush=True)
        startup(name, cmd, kind)  # fills the cache; page cache warm for every tracer
    results["startup"] = interleaved("start-up", STARTUP, startup, REPEATS)
    for kind in ("kill", "exec"):
        print("baseline: %s storm" % kind, flush=True)
        results["baseline"][kind] = statistics.median(
            run_storm(kind, "snoopbenchbase") for _ in range(STORM_REPEATS))
    results["storm"] = interleaved("storm", STORMS, storm, STORM_REPEATS)
    results["held_reader"] = interleaved(
        "held reader", {run: STORMS[run] for pair in READERS.values() for run in pair},
        held_reader, REPEATS)
    results["exec_cost"] = with_bpf_stats(
        lambda: interleaved("exec cost", EXEC_COST, exec_cost, REPEATS))
    print("baseline: signal storm", flush=True)
    results["baseline"]["signal"] = statistics.median(
        signal_storm(None) for _ in range(STORM_REPEATS))
    results["signal_storm"] = {}
    for name, cmd in SIGNAL_STORMS.items():
        print("signal storm: %s" % name, flush=True)
        runs = [signal_storm(cmd) for _ in range(STORM_REPEATS)]
        # Exact accounting is a property of each run, not of the medians.
        results["signal_storm"][name] = dict(median_of(runs),
                                             losses_add_up=all(losses_add_up(m) for m in runs))
    results["no_loss"] = no_loss()
    print("guard: ptraceguard-c under the kill storm", flush=True)
    results["guard"] = median_of([guard_overhead() for _ in range(STORM_REPEATS)])
    results["empty_args"] = {}
    for name, (cmd, empty) in EMPTY_ARGS.items():
        print("empty arguments: %s" % name, flush=True)
        results["empty_args"][name] = empty_args(name, cmd, empty)
    if os.environ.get("BENCH_VM", "1") != "0":
        print("modes: killsnoop-c in a VM guest (emulated)", flush=True)
        results["vm"] = vm_modes()
    return results


def ratio(a, b):
    return "%.2fx" % (a / b) if b else "-"


def target(figure, want, got, ok):
    return "| %s | %s | %s | %s |" % (figure, want, got, "met" if ok else "NOT met")


def missed(m):
    """What a tracer missed in a storm: not shown, or reported lost."""
    return max(m["missing"], m["lost_reported"])


def ratio_target(figure, want, ours, peer, peer_name, limit):
    """A target that is a ratio to a peer's figure: none when the peer
    missed events, as it then did less work per event than a tracer that
    shows them all."""
    if missed(peer):
        return target(figure, want, "no ratio: %s missed %d events" % (peer_name, missed(peer)),
                      False)
    value = ours["overhead_ns"] / peer["overhead_ns"]
    return target(figure, want, "%.2fx" % value, value <= limit)


def exec_cpu(m):
    """An exec's CPU cost to a tracer: its BPF programs' and its reader's."""
    return m["bpf_ns_per_exec"] + m["reader_ns_per_exec"]


def exec_cost_target(xc):
    """execsnoop-c with every field on (JSON) against libbpf-tools, per exec,
    in the same run: no ratio against a peer that missed execs."""
    figure = "execsnoop-c --json CPU per exec (BPF and reader), against libbpf-tools (%s)" % (
        PEER_SUITE)
    if not xc:
        return target(figure, "below", "not measured", False)
    ours, peer = xc["execsnoop-c --json"], xc["libbpf-tools execsnoop (%s)" % PEER_SUITE]
    if peer["missing"]:
        return target(figure, "below", "no ratio: libbpf-tools missed %d execs" % peer["missing"],
                      False)
    return target(figure, "below", "%.2f us against %.2f us (%.2fx)" % (
        exec_cpu(ours) / 1e3, exec_cpu(peer) / 1e3, exec_cpu(ours) / exec_cpu(peer)),
        exec_cpu(ours) < exec_cpu(peer) and not ours["missing"])


def report(r):
    s, st = r["startup"], r["storm"]
    lines = [
        "# snoop-c benchmarks",
        "",
        "Measured %s on kernel %s (this machine: 2 cores under a hypervisor, no kprobes, so "
        "every tracer uses tracepoints); medians of %d runs (storms: %d), the tracers taking "
        "turns run by run. Made by `make bench`."
        % (r["date"], r["machine"], r["repeats"], STORM_REPEATS),
        "",
        "## Start-up and memory",
        "",
        "libbpf-tools' start-up is timed with its output line-buffered (`stdbuf -oL`: to "
        "a file, it writes 4 KB at a time); its storms run as it is. The peers named "
        "(%s) are Debian %s's, run in a chroot." % (PEER_SUITE, PEER_SUITE),
        "",
        "| tracer | start-up (s) | peak RSS (MB) | steady RSS (MB) | anonymous (MB) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, m in s.items():
        lines.append("| %s | %.3f | %.1f | %.1f | %.1f |" % (
            name, m["startup_s"], m["peak_rss_mb"], m["steady_rss_mb"], m["anon_mb"]))
    lines += ["", "## Event cost", "",
              "Without a tracer: %.2f us per kill(getpid(), 0), %.1f us per fork+exec+wait "
              "(medians). Each traced storm ran right after an untraced one: the overhead is the "
              "difference of the two (median over the runs)."
              % (r["baseline"]["kill"] / 1e3, r["baseline"]["exec"] / 1e3), "",
              "| tracer | workload | us per operation | overhead (us) | missing | lost (reported) "
              "| exec lines out of order | reader CPU per line shown (us) |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, m in st.items():
        kind = STORMS[name][1]
        lost = "%d" % m["lost_reported"]
        if m.get("dropped_reported"):
            lost += " (%d execs dropped)" % m["dropped_reported"]
        lines.append("| %s | %s storm | %.2f | %.2f | %d | %s | %s | %.2f |" % (
            name, kind, m["ns_per_op"] / 1e3, m["overhead_ns"] / 1e3, m["missing"],
            lost, "%d" % m["out_of_order"] if kind == "exec" else "-",
            m.get("reader_ns_per_line", 0) / 1e3))
    held = r.get("held_reader")
    lines += ["", "## Reader throughput: text and JSON", ""]
    if held:
        lines += ["Each tool's reader alone: the tool stopped (SIGSTOP) while a storm fills "
                  "its buffers (%d kills from one core; the exec storm), then let go; its CPU "
                  "time (user and kernel, output to a file) until the last line is out, per "
                  "line, and the lines a second one core of it formats and writes. Medians "
                  "of %d runs." % (HELD_KILLS, r["repeats"]), "",
                  "| tool | text (us a line) | text (lines/s) | JSON (us a line) | JSON (lines/s) "
                  "| JSON against text | lines missing |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, (text_run, json_run) in READERS.items():
            tn, jn = held[text_run]["ns_per_line"], held[json_run]["ns_per_line"]
            lines.append("| %s | %.3f | %s | %.3f | %s | %s | %d, %d |" % (
                name, tn / 1e3, "%.0f" % (1e9 / tn) if tn else "-", jn / 1e3,
                "%.0f" % (1e9 / jn) if jn else "-", ratio(jn, tn),
                held[text_run]["missing"], held[json_run]["missing"]))
    else:
        lines.append("Not measured in this run (results.json from before the held reader).")
    xc = r.get("exec_cost")
    lines += ["", "## Cost per exec, in the kernel and in the reader", ""]
    if xc:
        lines += ["The exec storm (%d execs from each core), traced by each: the run time of "
                  "the tracer's BPF programs (the kernel's own count, `kernel.bpf_stats_enabled`) "
                  "and its reader's CPU time (user and kernel), per exec; apart from the "
                  "fork+exec+wait's own wall-clock noise. Medians of %d runs." % (
                      EXECS, r["repeats"]), "",
                  "| tracer | BPF programs (us per exec) | reader (us per exec) | together (us) "
                  "| execs missing |", "| --- | --- | --- | --- | --- |"]
        for name, m in xc.items():
            lines.append("| %s | %.2f | %.2f | %.2f | %d |" % (
                name, m["bpf_ns_per_exec"] / 1e3, m["reader_ns_per_exec"] / 1e3,
                exec_cpu(m) / 1e3, m["missing"]))
        lines += ["", "What execsnoop-c's fields cost in its BPF programs: each group is off "
                  "unless the output shows it (text shows neither; `--lineage` the first; "
                  "JSON both).", "", "| fields | us per exec in the kernel |", "| --- | --- |"]
        for fields, on, off in EXEC_FIELD_COSTS:
            lines.append("| %s | %.2f |" % (
                fields, (xc[on]["bpf_ns_per_exec"] - xc[off]["bpf_ns_per_exec"]) / 1e3))
    else:
        lines.append("Not measured in this run (results.json from before it).")
    if "guard" in r:
        g = r["guard"]
        lines += ["", "## ptraceguard-c's cost to everyone else", "",
                  "The kill storm, which goes through none of the guard's doors, with "
                  "ptraceguard-c running: %.2f us per kill, %.3f us more than without it "
                  "(medians)." % (g["ns_per_op"] / 1e3, g["overhead_ns"] / 1e3)]
    ss = r["signal_storm"]
    lines += ["", "## Signal storm: sigsnoop-c -D", "",
              "%d kill(getpid(), SIGUSR1), each taken by a handler as the call returns; "
              "without a tracer %.2f us per signal. sigsnoop-c -D -p follows each to its "
              "delivery. CPU is the tool's own time per signal; the losses are what it "
              "reports on exit." % (r["signals"], r["baseline"]["signal"] / 1e3), "",
              "| tracer | us per signal | overhead (us) | tool CPU per signal (us) | missing "
              "| shown undelivered | lost (reported) | unpaired (reported) | table full (reported) |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, m in ss.items():
        lines.append("| %s | %.2f | %.2f | %.2f | %d | %d | %d | %d | %d |" % (
            name, m["ns_per_op"] / 1e3, (m["ns_per_op"] - r["baseline"]["signal"]) / 1e3,
            m["cpu_ns_per_signal"] / 1e3, m["missing"], m["undelivered"], m["lost_reported"],
            m["unmatched_reported"], m["table_full_reported"]))
    ea = r["empty_args"]
    lines += ["", "## Empty arguments on a real workload", "",
              "This project built from scratch (`make -B -j2`) and its package check "
              "(`.ci/deps.sh`), traced by each: the lines whose ARGS column is empty. "
              "The Python BCC peer reads arguments at the syscall's entry, as BCC's "
              "execsnoop does; bpftrace's execsnoop.bt does too.", "",
              "| tracer | exec lines | empty ARGS | share |", "| --- | --- | --- | --- |"]
    for name, m in ea.items():
        lines.append("| %s | %d | %d | %.1f%% |" % (name, m["lines"], m["empty"],
                                                    100.0 * m["empty"] / max(m["lines"], 1)))
    kc, kp = st["killsnoop-c"], st["Python BCC killsnoop"]
    kl = st["libbpf-tools killsnoop (%s)" % PEER_SUITE]
    lbt_rss = min(s["libbpf-tools %s (%s)" % (t, PEER_SUITE)]["peak_rss_mb"]
                  for t in ("execsnoop", "killsnoop"))
    ec = st["execsnoop-c"]["overhead_ns"]
    ep, eb = st["Python BCC execsnoop"]["overhead_ns"], st["bpftrace execsnoop.bt"]["overhead_ns"]
    tiny = st["killsnoop-c --buffer-pages 1"]
    cold = s["execsnoop-c, compiling"]["startup_s"] / s["Python BCC execsnoop"]["startup_s"]
    hit = s["execsnoop-c, from the cache"]["startup_s"] / s["Python BCC execsnoop"]["startup_s"]
    rss = s["execsnoop-c, from the cache"]["peak_rss_mb"] / s["bpftrace execsnoop.bt"]["peak_rss_mb"]
    sd, s1 = ss["sigsnoop-c -D"], ss["sigsnoop-c -D --buffer-pages 1"]
    nl = r.get("no_loss", {})
    if nl:
        lines += ["", "## No loss at the default settings", "",
                  "Each burst %d times; a run counts when any of its events is missing from "
                  "the output or reported lost. Reported losses are events; execsnoop-c also "
                  "reports the execs it dropped for a lost piece, in execs." % NO_LOSS_RUNS, "",
                  "| burst | runs with a loss | most missing in a run | most reported lost "
                  "| most execs reported dropped |",
                  "| --- | --- | --- | --- | --- |"]
        for name, m in nl.items():
            lines.append("| %s | %d of %d | %d | %d | %s |" % (
                name, m["runs_with_loss"], m["runs"], m["most_missing"], m["most_lost_reported"],
                "%d" % m["most_dropped_reported"] if "execsnoop" in name and "most_dropped_reported" in m
                else "-"))
    lossy = sum(m["runs_with_loss"] for m in nl.values())
    lines += ["", "## Targets", "",
              "| figure | target | measured | |", "| --- | --- | --- | --- |",
              target("execsnoop-c start-up compiling, against Python BCC", "<= 0.7x",
                     "%.2fx" % cold, cold <= 0.7),
              target("execsnoop-c start-up from the cache, against Python BCC", "<= 0.1x",
                     "%.2fx" % hit, hit <= 0.1),
              target("execsnoop-c peak RSS from the cache, against bpftrace", "<= 0.25x",
                     "%.2fx" % rss, rss <= 0.25),
              target("execsnoop-c and killsnoop-c peak RSS from the cache", "<= 3.0 MB",
                     "%.2f MB, %.2f MB" % (s["execsnoop-c, from the cache"]["peak_rss_mb"],
                                          s["killsnoop-c, from the cache"]["peak_rss_mb"]),
                     max(s["execsnoop-c, from the cache"]["peak_rss_mb"],
                         s["killsnoop-c, from the cache"]["peak_rss_mb"]) <= 3.0),
              target("execsnoop-c and killsnoop-c peak RSS from the cache, against Debian's "
                     "libbpf-tools (%s)" % PEER_SUITE, "below",
                     "%.2f MB against %.2f MB" % (
                         max(s["execsnoop-c, from the cache"]["peak_rss_mb"],
                             s["killsnoop-c, from the cache"]["peak_rss_mb"]), lbt_rss),
                     max(s["execsnoop-c, from the cache"]["peak_rss_mb"],
                         s["killsnoop-c, from the cache"]["peak_rss_mb"]) < lbt_rss),
              ratio_target("killsnoop-c overhead per kill, against Python BCC", "<= 0.15x", kc,
                           kp, "Python BCC", 0.15),
              ratio_target("killsnoop-c overhead per kill, against libbpf-tools (%s)" % PEER_SUITE,
                           "<= 0.15x", kc, kl, "libbpf-tools", 0.15),
              target("JSON reader CPU per line, against text's in the same run (each tool)",
                     "<= 1.00x", ", ".join("%s %s" % (name, ratio(held[j]["ns_per_line"],
                                                                  held[t]["ns_per_line"]))
                                           for name, (t, j) in READERS.items()),
                     all(held[j]["ns_per_line"] <= held[t]["ns_per_line"]
                         and not held[j]["missing"] for t, j in READERS.values()))
              if held else target("JSON reader CPU per line, against text's in the same run",
                                  "<= 1.00x", "not measured", False),
              target("execsnoop-c exec storm on both cores: lines out of order", "0",
                     "%d" % st["execsnoop-c"]["out_of_order"],
                     st["execsnoop-c"]["out_of_order"] == 0),
              target("killsnoop-c kill storm, default buffer: events lost", "0",
                     "%d missing, %d reported" % (kc["missing"], kc["lost_reported"]),
                     kc["missing"] == 0 and kc["lost_reported"] == 0),
              target("killsnoop-c kill storm, one-page buffer: losses reported exactly",
                     "missing = reported", "%d missing, %d reported" % (
                         tiny["missing"], tiny["lost_reported"]),
                     tiny["missing"] == tiny["lost_reported"]),
              target("every burst above, at the default settings: runs with a loss",
                     "0", "%d of %d" % (lossy, sum(m["runs"] for m in nl.values())),
                     bool(nl) and lossy == 0),
              target("execsnoop-c exec storm on both cores: execs missing", "0",
                     "%d" % st["execsnoop-c"]["missing"], st["execsnoop-c"]["missing"] == 0),
              target("execsnoop-c overhead per exec, against Python BCC's and bpftrace's",
                     "below both", "%.1f us (%.1f, %.1f)" % (ec / 1e3, ep / 1e3, eb / 1e3),
                     ec < ep and ec < eb),
              exec_cost_target(xc),
              target("execsnoop-c lines with empty ARGS on the real workload", "0",
                     "%d" % ea["execsnoop-c"]["empty"], ea["execsnoop-c"]["empty"] == 0),
              target("sigsnoop-c -D signal storm, default buffer: signals missing or "
                     "undelivered, losses reported", "0",
                     "%d missing, %d undelivered, %d reported" % (
                         sd["missing"], sd["undelivered"],
                         sd["lost_reported"] + sd["unmatched_reported"] + sd["table_full_reported"]),
                     sd["missing"] + sd["undelivered"] + sd["lost_reported"]
                     + sd["unmatched_reported"] + sd["table_full_reported"] == 0),
              target("sigsnoop-c -D signal storm, one-page buffer: losses add up exactly, "
                     "every run", "lost = missing + undelivered + both",
                     "%d lost; %d missing, %d undelivered, %d unpaired" % (
                         s1["lost_reported"], s1["missing"], s1["undelivered"],
                         s1["unmatched_reported"]), s1["losses_add_up"]),
              ""]
    vm = r.get("vm")
    if vm:
        m = vm["modes"]
        base = m["none"]["ns_per_op"]
        tp = m["tracepoint"]["ns_per_op"] - base
        lines += ["## Modes (emulated guest)", "",
                  "killsnoop-c in a VM stage guest on Debian's %s kernel, under plain "
                  "emulation (TCG, one CPU): the absolute figures are the emulator's; compare "
                  "the modes with each other. Start-up is from the tool's start to its probes "
                  "attached (its -v phases added up), compiling (--no-cache) and from the "
                  "cache; the kill cost is under %d-kill storms. Without a tracer: %.2f us "
                  "per kill." % (vm["kernel"], int(os.environ.get("BENCH_VM_KILLS", "20000")),
                                 base / 1e3), "",
                  "| mode | start-up compiling (s) | from the cache (s) | us per kill "
                  "| overhead (us) | against tracepoint | missing | lost (reported) |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for mode in ("tracepoint", "kprobe", "fentry"):
            if mode in m:
                over = m[mode]["ns_per_op"] - base
                lines.append("| %s | %.2f | %.3f | %.2f | %.2f | %s | %d | %d |" % (
                    mode, m[mode]["compiling_s"], m[mode]["from_cache_s"],
                    m[mode]["ns_per_op"] / 1e3, over / 1e3, ratio(over, tp),
                    m[mode]["missing"], m[mode]["lost_reported"]))
        lines.append("")
    else:
        lines.append("Mode comparison not measured (BENCH_VM=0, or no Debian 6.12 kernel).")
    with open(os.path.join(RESULTS, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(RESULTS, "results.json"), "w") as f:
        json.dump(r, f, indent=1)


def plot(name, title, ylabel, rows):
    """A bar chart of (label, value) rows, as bench/results/NAME.png."""
    data = os.path.join(RESULTS, name + ".dat")
    with open(data, "w") as f:
        for label, value in rows:
            f.write('"%s" %f\n' % (label, value))
    script = ("set terminal png size 1000,500; set output '%s'; set bmargin 6; set rmargin 14;"
              "set title '%s'; set ylabel '%s'; set style fill solid 0.6; set boxwidth 0.6;"
              "set yrange [0:*]; set xtics rotate by -20; unset key;"
              "plot '%s' using 0:2:xtic(1) with boxes"
              % (os.path.join(RESULTS, name + ".png"), title, ylabel, data))
    subprocess.run(["gnuplot", "-e", script], check=True)
    os.unlink(data)


def plots(r):
    s, st = r["startup"], r["storm"]
    plot("startup", "Start-up: exec to the first event shown (median)", "seconds",
         [(n, m["startup_s"]) for n, m in s.items()])
    plot("memory", "Peak RSS at start-up (median)", "MB", [(n, m["peak_rss_mb"]) for n, m in s.items()])
    for kind in ("kill", "exec"):
        plot(kind + "_cost", "Overhead per %s under a storm (median)" % kind, "us",
             [(n, m["overhead_ns"] / 1e3) for n, m in st.items() if STORMS[n][1] == kind])


def main():
    os.makedirs(RESULTS, exist_ok=True)
    if os.environ.get("BENCH_REPORT_ONLY"):
        # The report and plots again, from the last run's results.json.
        with open(os.path.join(RESULTS, "results.json")) as f:
            results = json.load(f)
    elif os.geteuid() != 0:
        sys.exit("bench.py: run as root (make bench)")
    elif BASE:
        results = compare(os.path.abspath(BASE))
        with open(os.path.join(RESULTS, "compare.json"), "w") as f:
            json.dump(results, f, indent=1)
        compare_report(results)
        print(open(os.path.join(RESULTS, "compare.md")).read())
        return
    else:
        results = measure()
    report(results)
    plots(results)
    print(open(os.path.join(RESULTS, "results.md")).read())


if __name__ == "__main__":
    main()
