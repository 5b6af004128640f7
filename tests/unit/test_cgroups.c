/* Cgroup paths as container runtimes and kubelets make them; the hierarchy events name. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../common/plan/cgroups.h"
#include "../../common/clock.h"
#include "unit.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "5c3b9a8e-1f2d-4c5b-9e7f-0a1b2c3d4e5f"
#define UID_ "5c3b9a8e_1f2d_4c5b_9e7f_0a1b2c3d4e5f"

static void check_container(const char *path, const char *want)
{
	char id[CONTAINER_ID_LEN + 1];
	bool found = container_id_from_path(path, id);

	CHECK(found == (want != NULL));
	if (found && want)
		CHECK_STR(id, want);
}

static void check_pod(const char *path, const char *want)
{
	char uid[POD_UID_LEN + 1];
	bool found = pod_uid_from_path(path, uid);

	CHECK(found == (want != NULL));
	if (found && want)
		CHECK_STR(uid, want);
}

static void container_ids(void)
{
	check_container("/docker/" ID, ID);				     /* docker, cgroupfs */
	check_container("/system.slice/docker-" ID ".scope", ID);	     /* docker, systemd */
	check_container("/libpod_parent/libpod-" ID, ID);		     /* podman, cgroup v1 */
	check_container("/machine.slice/libpod-" ID ".scope/container", ID); /* podman, v2 */
	check_container("/kubepods/besteffort/pod" UID "/" ID, ID); /* containerd, cgroupfs */
	check_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			".slice/cri-containerd-" ID ".scope",
			ID); /* containerd, systemd */
	check_container("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope", ID);
	check_container("/kubepods/pod" UID "/crio-" ID, ID); /* CRI-O, cgroupfs */
	/* conmon's cgroup is not the container's; nor is a host's service or a short name. */
	check_container("/libpod_parent/libpod-conmon-" ID, NULL);
	check_container("/machine.slice/libpod-conmon-" ID ".scope", NULL);
	check_container("/system.slice/ssh.service", NULL);
	check_container("/", NULL);
	check_container("/docker/0123456789abcdef", NULL);
	check_container("/docker/" ID "0", NULL);
	check_container("/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
			NULL);
}

static void pod_uids(void)
{
	check_pod("/kubepods/besteffort/pod" UID "/" ID, UID);
	check_pod("/kubepods/pod" UID, UID);
	check_pod("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
		  ".slice/cri-containerd-" ID ".scope",
		  UID);
	check_pod("/docker/" ID, NULL);
	check_pod("/kubepods/besteffort", NULL);
	check_pod("/x/mypod" UID, NULL); /* not a component's start */
	check_pod("/kubepods/pod" UID "x", NULL);
	check_pod("/kubepods/pod5c3b9a8e-1f2d-4c5b-9e7f", NULL);
}

/* This host's kind: v1 controllers under a tmpfs, and the unified hierarchy beside them. */
static const char v1_mountinfo[] =
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char proc_cgroups[] =
	"#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
	"cpuset\t3\t1\t1\ncpu\t1\t1\t1\ncpuacct\t2\t1\t1\nblkio\t7\t1\t1\nmemory\t4\t14\t1\n"
	"devices\t5\t1\t1\nfreezer\t6\t1\t1\nnet_cls\t0\t1\t1\nperf_event\t0\t1\t1\n"
	"net_prio\t0\t1\t1\nhugetlb\t0\t1\t1\npids\t8\t1\t1\n";

static void hierarchies(void)
{
	struct cgroup_hierarchy h;
	/* A container's own memory cgroup, mounted over by the host's (the later line). */
	static const char container_mountinfo[] =
		"500 400 0:31 /libpod_parent/libpod-x /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n"
		"600 400 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
	static const char cpu_only[] =
		"31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";

	CHECK(cgroup_hierarchy_parse(&h, v1_mountinfo, proc_cgroups, false));
	CHECK(h.ssid == 4);
	CHECK_STR(h.mount, "/sys/fs/cgroup/memory");
	CHECK_STR(h.root, "/");
	CHECK(cgroup_hierarchy_parse(&h, container_mountinfo, proc_cgroups, false));
	CHECK_STR(h.root, "/");
	CHECK(cgroup_hierarchy_parse(&h, cpu_only, proc_cgroups, false));
	CHECK(h.ssid == 1);
	CHECK_STR(h.mount, "/sys/fs/cgroup/cpu,cpuacct");
	/* cgroup v2: the unified hierarchy, whatever v1 mounts remain. */
	CHECK(cgroup_hierarchy_parse(&h, "50 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				     proc_cgroups, true));
	CHECK(h.ssid == -1);
	CHECK_STR(h.mount, "/sys/fs/cgroup");
	CHECK(!cgroup_hierarchy_parse(&h, "30 22 0:27 / /tmp rw - tmpfs tmpfs rw\n", proc_cgroups,
				      false));
}

/*
 * An RFC 3339 time with nanoseconds read back, every field of it, as
 * nanoseconds since the epoch; -1 when it is not "YYYY-MM-DDTHH:MM:SS.NNNNNNNNNZ".
 */
static long long rfc3339_ns(const char *s)
{
	struct tm tm = { 0 };
	unsigned ns;
	int used = 0;

	if (strlen(s) != 30 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%9u%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ns, &used) != 7 ||
	    used != 29 || s[29] != 'Z')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) * 1000000000LL + ns;
}

static long long timespec_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* Now, as the monotonic clock says it, is now on the wall clock, to within the clock reads. */
static void rfc3339_times(void)
{
	char buf[40];
	struct timespec real, mono;
	long long got;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	CHECK(clock_rfc3339(buf, sizeof(buf), (unsigned long long)timespec_ns(&mono)) == 30);
	got = rfc3339_ns(buf);
	CHECK(got >= 0);
	/* The tool reads the two clocks again itself: apart by microseconds. */
	CHECK(llabs(got - timespec_ns(&real)) < 10000000LL);
}

/*
 * Every digit of the date and the nanoseconds: times 123 ns apart, one shift
 * of the clocks apart, read back to the nanosecond; a second later the
 * shift is read again; a short buffer gets the time's start.
 */
static void rfc3339_digits(void)
{
	const unsigned long long t = 1000000000ULL * 100000 + 999999000ULL;
	char a[40], b[40], c[40], short_buf[10];
	struct wall_time w;
	long long at, bt, ct;

	clock_rfc3339(a, sizeof(a), t);
	clock_rfc3339(b, sizeof(b), t + 123);
	clock_rfc3339(c, sizeof(c), t + 1000000000ULL);
	w = clock_wall(t + 1000000000ULL + 5);
	at = rfc3339_ns(a);
	bt = rfc3339_ns(b);
	ct = rfc3339_ns(c);
	CHECK(at >= 0 && bt >= 0 && ct >= 0);
	CHECK(bt - at == 123);
	/* The same shift as c's: what clock_wall says, formatted to the nanosecond. */
	CHECK(w.sec * 1000000000LL + w.ns == ct + 5);
	/* The shift read again: apart from the first by the clock reads' jitter. */
	CHECK(llabs(ct - at - 1000000000LL) < 10000000LL);
	clock_rfc3339(short_buf, sizeof(short_buf), t);
	CHECK(strlen(short_buf) == 9 && !strncmp(short_buf, a, 9));
}

UNIT_SUITE(cgroups_tests,
	   { "cgroups: container IDs of docker, containerd, CRI-O and podman paths, conmon's not",
	     container_ids },
	   { "cgroups: pod UIDs of kubelet paths, cgroupfs and systemd drivers", pod_uids },
	   { "cgroups: the hierarchy events name, v1 and v2, the last mount of a controller",
	     hierarchies },
	   { "clock: a kernel timestamp in RFC 3339, UTC, nanoseconds", rfc3339_times },
	   { "clock: RFC 3339 nanoseconds, each second formatted anew, cut to the buffer",
	     rfc3339_digits });
