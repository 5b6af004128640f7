#include "event_loop.h"
#include "../clock.h"
#include "output.h"
#include "../privileges.h"
#include "../stop_signals.h"

#include <linux/types.h>

#include "../../programs/event_send.h"

#include <bcc/libbpf.h>
#include <bcc/perf_reader.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

/* An event to the tool, in its turn. */
static void deliver(void *ctx, const void *data, size_t size)
{
	struct event_loop *l = ctx;

	l->batch_events++;
	l->reading.fn(l->reading.ctx, data, size);
}

/* An event read from a buffer: to the tool now, or once its turn comes. */
static void take_event(struct event_loop *l, void *raw, size_t size)
{
	uint64_t t;

	l->events++;
	t = l->reading.time_of ? l->reading.time_of(raw, size) : 0;
	if (!t || !event_order_push(&l->order, t, raw, size, deliver, l)) {
		deliver(l, raw, size);
		return;
	}
	/*
	 * A ring holds events in the order they were sent: none still to come
	 * is older than the newest read less the window, so those go out now
	 * rather than after the batch (execsnoop's pieces then wait for their
	 * exec's end a millisecond, not a whole batch).
	 */
	if (l->ring && t > l->newest) {
		l->newest = t;
		if (t > EVENT_ORDER_WINDOW_NS)
			event_order_release(&l->order, t - EVENT_ORDER_WINDOW_NS, deliver, l);
	}
}

static void on_perf_sample(void *cookie, void *raw, int size)
{
	if (size > 0)
		take_event(cookie, raw, (size_t)size);
}

static int on_ring_sample(void *cookie, void *raw, size_t size)
{
	take_event(cookie, raw, size);
	return 0;
}

/*
 * The kernel's count of a perf buffer's lost events, which comes only with
 * the CPU's next event that fits: the program's own (count_lost) is used.
 * Without this callback libbcc would print each count to stderr.
 */
static void on_lost(void *cookie, uint64_t lost)
{
	(void)cookie;
	(void)lost;
}

/* CPUs from a list such as "0-3,6" in path. Returns how many were stored. */
static int cpu_list(const char *path, int *cpus, int max)
{
	FILE *f = fopen(path, "r");
	int n = 0, lo, hi;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &hi) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		for (int c = lo; c <= hi && n < max; c++)
			cpus[n++] = c;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

/*
 * The most a buffer fills before the reader is woken. A batch that large
 * holds some execs' pieces in execsnoop's joining until the batch's end
 * (their ends wait there for their turn): 64 execs of 60 KB command lines
 * filled it when a quarter of an 8 MiB buffer was the mark.
 */
#define WAKEUP_MAX_BYTES (256U << 10)

static size_t wakeup_bytes(size_t quarter)
{
	return quarter < WAKEUP_MAX_BYTES ? quarter : WAKEUP_MAX_BYTES;
}

/*
 * A BPF output perf event on cpu and its reader. The reader is woken when a
 * quarter of the buffer (at most WAKEUP_MAX_BYTES) is full, not at every
 * event (as libbcc's bpf_open_perf_buffer does): each wakeup costs the
 * traced task an interrupt, which made a kill() storm 15 times slower. The run loop reads
 * every buffer after each poll timeout, so few events still show at once.
 */
static struct perf_reader *open_cpu_buffer(struct event_loop *l, int cpu, int pages)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
		.wakeup_watermark =
			(__u32)wakeup_bytes((size_t)pages * (size_t)sysconf(_SC_PAGESIZE) / 4),
	};
	struct perf_reader *reader;
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return NULL;
	reader = perf_reader_new(on_perf_sample, on_lost, l, pages);
	if (!reader) {
		close(fd);
		return NULL;
	}
	/* The reader owns fd from here: perf_reader_free closes it. */
	perf_reader_set_fd(reader, fd);
	if (perf_reader_mmap(reader) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		perf_reader_free(reader);
		return NULL;
	}
	return reader;
}

#define MAX_CPUS 4096

/*
 * Each CPU wakes the reader after an equal share of a quarter of the ring
 * (or WAKEUP_MAX_BYTES), so that the reader is at work long before the
 * ring is full, however many CPUs send.
 */
static void set_wakeup_bytes(struct event_loop *l, size_t ring_bytes)
{
	const struct event_reading *r = &l->reading;

	for (int i = 0; i < r->nsend_states; i++)
		r->send_states[i].wakeup_bytes =
			wakeup_bytes(ring_bytes / 4 / (size_t)r->nsend_states);
}

/* Events the buffers had no room for, all CPUs' counts summed. */
static void count_lost(struct event_loop *l)
{
	uint64_t lost = 0;

	for (int i = 0; i < l->reading.nsend_states; i++)
		lost += l->reading.send_states[i].lost;
	l->lost = lost;
}

int event_loop_open_ring(struct event_loop *l, int map_fd, size_t ring_bytes,
			 const struct event_reading *r, char *err, size_t errlen)
{
	l->reading = *r;
	set_wakeup_bytes(l, ring_bytes);
	l->ring = bpf_new_ringbuf(map_fd, on_ring_sample, l);
	if (!l->ring) {
		snprintf(err, errlen, "cannot open the ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int event_loop_open_perf(struct event_loop *l, int map_fd, int pages, const struct event_reading *r,
			 char *err, size_t errlen)
{
	static int cpus[MAX_CPUS];
	int ncpus = cpu_list("/sys/devices/system/cpu/online", cpus, MAX_CPUS);

	if (ncpus <= 0) {
		snprintf(err, errlen, "cannot read the online CPUs");
		return -1;
	}
	if (privileges_check_perf_pages(ncpus, pages, err, errlen))
		return -1;
	l->reading = *r;
	l->readers = calloc((size_t)ncpus, sizeof(*l->readers));
	if (!l->readers) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < ncpus; i++) {
		int fd;

		l->readers[i] = open_cpu_buffer(l, cpus[i], pages);
		if (!l->readers[i]) {
			/* libbcc's mmap() failure leaves no errno: the user's other buffers count too. */
			snprintf(
				err, errlen, "cannot open a perf buffer on CPU %d%s", cpus[i],
				privileges_have(CAP_IPC_LOCK)
					? ""
					: " (the user's other perf buffers may hold what "
					  "kernel.perf_event_mlock_kb allows without CAP_IPC_LOCK)");
			return -1;
		}
		l->nreaders++;
		fd = perf_reader_fd(l->readers[i]);
		if (bpf_update_elem(map_fd, &cpus[i], &fd, 0)) {
			snprintf(err, errlen, "cannot register the perf buffer of CPU %d: %s",
				 cpus[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * How long one poll waits. The kernel wakes the reader only after a quarter
 * of a buffer, so this bounds how late a lone event shows; idle, the tool
 * wakes 50 times a second for a few microseconds.
 */
#define POLL_TIMEOUT_MS 20

/* A ring call's result (events read, or -errno) as 0, or -1 with errno set. */
static int ring_result(int n)
{
	if (n >= 0)
		return 0;
	errno = -n;
	return -1;
}

/* Waits for a buffer past its wakeup mark, up to POLL_TIMEOUT_MS, and reads what it has. */
static int poll_events(struct event_loop *l)
{
	if (!l->ring)
		return perf_reader_poll(l->nreaders, l->readers, POLL_TIMEOUT_MS) < 0 ? -1 : 0;
	return ring_result(bpf_poll_ringbuf(l->ring, POLL_TIMEOUT_MS));
}

/* Reads every event in the buffers now, and the count of those lost. */
static int consume_events(struct event_loop *l)
{
	if (l->ring ? ring_result(bpf_consume_ringbuf(l->ring))
		    : perf_reader_consume(l->nreaders, l->readers) < 0)
		return -1;
	count_lost(l);
	return 0;
}

/*
 * A guard's failed write: counted, and said on stderr and to syslog each
 * time the error changes. stdout is cleared, so that later lines go out
 * once it can take them again (a disk with room again).
 */
static void output_failed(struct event_loop *l, const char *tool, int err)
{
	l->unwritten += l->batch_events;
	l->batch_events = 0;
	if (err != l->output_errno) {
		fprintf(stderr,
			"%s: writing output failed: %s; still guarding, the events go "
			"unreported\n",
			tool, strerror(err));
		syslog(LOG_WARNING,
		       "writing output failed: %s; still guarding, the events go "
		       "unreported",
		       strerror(err));
		l->output_errno = err;
	}
	clearerr(stdout);
}

void event_loop_syslog_open(const char *tool)
{
	openlog(tool, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int event_loop_run(struct event_loop *l, const char *tool, bool output_errors_counted,
		   void (*after_batch)(void *ctx), void *ctx, char *err, size_t errlen)
{
	bool stopped_writing = false;
	int rc = 0;

	while (!stop_was_requested()) {
		uint64_t read_start;

		/* Buffers past their wakeup mark are read, then the rest. */
		if (poll_events(l) && errno != EINTR) {
			snprintf(err, errlen, "reading the events failed: %s", strerror(errno));
			rc = -1;
			break;
		}
		/* Every event of a time before this, less the window, is in the buffers now. */
		read_start = monotonic_ns();
		if (consume_events(l)) {
			snprintf(err, errlen, "reading the events failed: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (read_start > EVENT_ORDER_WINDOW_NS)
			event_order_release(&l->order, read_start - EVENT_ORDER_WINDOW_NS, deliver,
					    l);
		if (after_batch)
			after_batch(ctx);
		if (output_flush()) {
			l->batch_events = 0;
			continue;
		}
		/*
		 * The stop came while a write was blocked (a full pipe that
		 * nobody reads, Ctrl-C on "| less"): a clean exit, and no more
		 * writes, which would block again.
		 */
		if ((errno == EINTR || errno == EAGAIN) && stop_was_requested()) {
			stopped_writing = true;
			break;
		}
		if (output_errors_counted) {
			output_failed(l, tool, errno);
			continue;
		}
		if (errno != EPIPE) {
			snprintf(err, errlen, "writing output failed: %s", strerror(errno));
			rc = -1;
		}
		break;
	}
	/* Events already in the buffers when the stop came are still shown. */
	l->draining = true;
	if (rc == 0 && !stopped_writing && consume_events(l) == 0) {
		event_order_release(&l->order, UINT64_MAX, deliver, l);
		if (after_batch)
			after_batch(ctx);
		if (!output_flush() && output_errors_counted)
			output_failed(l, tool, errno);
	}
	stop_restore_output();
	return rc;
}

void event_loop_close(struct event_loop *l)
{
	if (l->ring)
		bpf_free_ringbuf(l->ring);
	l->ring = NULL;
	for (int i = 0; i < l->nreaders; i++)
		perf_reader_free(l->readers[i]);
	free(l->readers);
	l->readers = NULL;
	l->nreaders = 0;
	event_order_free(&l->order);
}
