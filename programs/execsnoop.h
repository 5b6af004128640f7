/* Events and settings shared by execsnoop.bpf.c and tools/execsnoop.c. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define EXEC_ARG_SIZE 128
/* The most arguments --max-args may ask for (checked against the verifier in every mode). */
#define EXEC_MAX_ARGS 128
#define EXEC_COMM_SIZE 16

/*
 * One exec arrives in pieces: an ARG event per argument (the filename
 * first), an ARGS_END event with the count, both from the entry on one CPU,
 * and a RET event from the exit, possibly on another CPU. exec_id (the
 * entry's timestamp) ties them together.
 */
enum exec_event_kind {
	EXEC_EVENT_ARG = 1,
	EXEC_EVENT_ARGS_END = 2,
	EXEC_EVENT_RET = 3,
};

#define EXEC_ARG_TRUNCATED 0x1	/* ARG: cut at EXEC_ARG_SIZE - 1 bytes */
#define EXEC_ARGS_MORE 0x1	/* ARGS_END: argv had more than max_args entries */

struct exec_event {
	__u64 exec_id;		/* entry timestamp; 0 in a RET whose entry was not seen */
	__u64 ktime;		/* RET: when the exec returned (CLOCK_MONOTONIC) */
	__u32 kind;
	__u32 tgid;
	__u32 tid;
	__u32 index;		/* ARG: argument index; ARGS_END: arguments sent */
	__u32 flags;
	__u32 uid;		/* RET */
	__u32 ppid;		/* RET */
	__u32 cpu;		/* RET */
	__s32 retval;		/* RET */
	__u32 reserved;
	char comm[EXEC_COMM_SIZE];	/* RET: the new program's name */
	char pcomm[EXEC_COMM_SIZE];	/* RET: the parent's name */
	char arg[EXEC_ARG_SIZE];	/* ARG only */
};

/* ARGS_END and RET events end before arg. */
#define EXEC_EVENT_HEADER_SIZE __builtin_offsetof(struct exec_event, arg)

/* Filters, set by user space in the config map before attaching. */
struct execsnoop_config {
	__u32 uid;
	__u32 ppid;
	__u32 max_args;		/* arguments sent per exec, 1 to EXEC_MAX_ARGS */
	__u8 filter_uid;
	__u8 filter_ppid;
	__u8 reserved[2];
};

#endif
