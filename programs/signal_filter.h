/*
 * The filters killsnoop and sigsnoop share (-x, -p, -T, -s), as part of
 * each tool's config map value: parsed by common/options/signal_filter_options.c, checked
 * by signal_filter_passes() in programs/snoop.bpf.h.
 */
#ifndef SNOOP_SIGNAL_FILTER_H
#define SNOOP_SIGNAL_FILTER_H

struct signal_filter {
	__u64 signals[2]; /* bit n of the 128: signal n is traced */
	__u32 pid;	  /* -p: the sender */
	__s32 tpid;	  /* -T: the target, as the call names it */
	__u8 filter_pid;
	__u8 filter_tpid;
	__u8 filter_signals;
	__u8 failed_only; /* -x */
};

#endif
