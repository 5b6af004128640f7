#include "kernel_facts.h"
#include "../array_size.h"
#include "btf_fields.h"
#include "cgroups.h"
#include "kernel_env.h"
#include "../text.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Adds each name once; compat marks those whose 32-bit entry points are traced. */
static int add_syscalls(struct kernel_facts *f, const char *const *names, size_t n, bool compat,
			char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		struct syscall_fact *s = (struct syscall_fact *)kernel_facts_syscall(f, names[i]);

		if (!s) {
			if (f->nsyscalls == FACTS_MAX_SYSCALLS) {
				snprintf(err, errlen, "more than %d syscalls", FACTS_MAX_SYSCALLS);
				return -1;
			}
			s = &f->syscalls[f->nsyscalls++];
			s->syscall = names[i];
		}
		s->compat |= compat;
	}
	return 0;
}

int kernel_facts_init(struct kernel_facts *f, const struct snoop_tool *tool, char *err,
		      size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->cgroup_ssid = -1;
	f->lsm_hook = tool->nlsm_hooks ? tool->lsm_hooks[0] : NULL;
	return add_syscalls(f, tool->syscalls, tool->nsyscalls, false, err, errlen) ||
			       add_syscalls(f, tool->compat_syscalls, tool->ncompat_syscalls, true,
					    err, errlen)
		       ? -1
		       : 0;
}

const struct syscall_fact *kernel_facts_syscall(const struct kernel_facts *f, const char *syscall)
{
	for (size_t i = 0; i < f->nsyscalls; i++) {
		if (!strcmp(f->syscalls[i].syscall, syscall))
			return &f->syscalls[i];
	}
	return NULL;
}

/* The helpers, in one pass that ends once both are found. */
static void probe_btf(struct kernel_facts *f)
{
	const char *const helpers[] = { "BPF_FUNC_task_pt_regs", "BPF_FUNC_ringbuf_output" };
	bool found[ARRAY_SIZE(helpers)] = { false };

	/* A BTF file that cannot be read is BTF still: reading it fails, loudly. */
	f->btf = access(KERNEL_BTF_PATH, F_OK) == 0;
	if (f->btf)
		btf_find_names(KERNEL_BTF_PATH, helpers, ARRAY_SIZE(helpers), found);
	f->task_pt_regs = found[0];
	f->ringbuf = found[1];
}

/*
 * Each syscall's two possible x86 32-bit entry points, in one pass: most
 * kernels have one of the two, so the pass reads every name.
 */
static void probe_ia32(struct kernel_facts *f)
{
	enum { PER_SYSCALL = 2 };
	char entries[FACTS_MAX_SYSCALLS][PER_SYSCALL][FACT_FUNC_LEN];
	const char *names[FACTS_MAX_SYSCALLS * PER_SYSCALL];
	bool found[ARRAY_SIZE(names)] = { false };
	size_t n = 0;

	for (size_t i = 0; i < f->nsyscalls; i++) {
		if (!f->syscalls[i].compat)
			continue;
		strfmt(entries[i][0], FACT_FUNC_LEN, "__ia32_compat_sys_%s",
		       f->syscalls[i].syscall);
		strfmt(entries[i][1], FACT_FUNC_LEN, "__ia32_sys_%s", f->syscalls[i].syscall);
		names[n++] = entries[i][0];
		names[n++] = entries[i][1];
	}
	if (f->btf)
		btf_find_names(KERNEL_BTF_PATH, names, n, found);
	n = 0;
	for (size_t i = 0; i < f->nsyscalls; i++) {
		if (!f->syscalls[i].compat)
			continue;
		f->syscalls[i].ia32_entry = found[n] || found[n + 1];
		n += PER_SYSCALL;
	}
}

static int probe_tracepoints(struct kernel_facts *f, char *err, size_t errlen)
{
	if (tracing_fs_prepare(err, errlen))
		return -1;
	for (size_t i = 0; i < f->nsyscalls; i++)
		f->syscalls[i].tracepoint = kernel_has_syscall_tracepoint(f->syscalls[i].syscall);
	return 0;
}

static void probe_functions(struct kernel_facts *f)
{
	struct syscall_function sf[FACTS_MAX_SYSCALLS] = { 0 };

	for (size_t i = 0; i < f->nsyscalls; i++)
		sf[i].syscall = f->syscalls[i].syscall;
	f->kallsyms_error = 0;
	if (syscall_kernel_functions("/proc/kallsyms", sf, f->nsyscalls)) {
		f->kallsyms_error = errno ? errno : EIO;
		return;
	}
	for (size_t i = 0; i < f->nsyscalls; i++) {
		struct syscall_fact *s = &f->syscalls[i];

		strfmt(s->fn, sizeof(s->fn), "%s", sf[i].fn);
		strfmt(s->compat_fn, sizeof(s->compat_fn), "%s", sf[i].compat_fn);
		s->wrapper = sf[i].wrapper;
	}
}

/*
 * The verifier's reason for refusing a program: its first line that is not
 * an instruction (those start with their number), without the newline.
 */
static const char *verifier_reason(char *log)
{
	char *line = log;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (*line < '0' || *line > '9') {
			line[len] = '\0';
			return line;
		}
		line += len + (line[len] == '\n');
	}
	return "";
}

static void refuse(struct trampoline_fact *t, enum refusal why, int error, const char *detail)
{
	t->refusal = why;
	t->error = error;
	strfmt(t->detail, sizeof(t->detail), "%s", detail);
}

/*
 * Loads a program of type on kernel function fn (its BTF ID, by
 * attach_type's naming) that reads the function's first argument, as the
 * tools' programs do, and attaches it for a moment.
 */
static void probe_trampoline(enum bpf_prog_type type, enum bpf_attach_type attach_type,
			     const char *fn, struct trampoline_fact *t)
{
	/* r0 = *(u64 *)(r1 + 0) (the first argument); r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char log[4096] = "";
	struct bpf_prog_load_opts opts = {
		.sz = sizeof(opts),
		.expected_attach_type = attach_type,
		.log_buf = log,
		.log_size = sizeof(log),
		.log_level = 1,
	};
	int btf_id = fn[0] ? libbpf_find_vmlinux_btf_id(fn, attach_type) : -1;
	const char *reason;
	int prog_fd, link_fd;

	refuse(t, REFUSAL_NONE, 0, "");
	if (btf_id < 0) {
		refuse(t, REFUSAL_NO_FUNCTION, 0, "");
		return;
	}
	opts.attach_btf_id = (__u32)btf_id;
	prog_fd = bpf_prog_load(type, "snoopc_probe", "GPL", insns, ARRAY_SIZE(insns), &opts);
	reason = prog_fd < 0 && errno == EACCES ? verifier_reason(log) : "";
	if (*reason) {
		/* The verifier refused to read the argument (5.10: "arg0 type FWD is not a struct"). */
		refuse(t, REFUSAL_ARGS_UNREADABLE, 0, reason);
		return;
	}
	if (prog_fd < 0) {
		refuse(t, REFUSAL_LOAD, errno, "");
		return;
	}
	link_fd = bpf_raw_tracepoint_open(NULL, prog_fd);
	if (link_fd < 0)
		refuse(t, REFUSAL_ATTACH, errno, "");
	else
		close(link_fd);
	close(prog_fd);
}

static void probe_fentry(struct kernel_facts *f)
{
	for (size_t i = 0; i < f->nsyscalls; i++) {
		struct syscall_fact *s = &f->syscalls[i];

		if (!f->btf) {
			refuse(&s->fentry, REFUSAL_NO_BTF, 0, "");
			refuse(&s->compat_fentry, REFUSAL_NO_BTF, 0, "");
			continue;
		}
		probe_trampoline(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, s->fn, &s->fentry);
		if (s->compat)
			probe_trampoline(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, s->compat_fn,
					 &s->compat_fentry);
	}
}

#define SECURITYFS "/sys/kernel/security"

/* The LSM list names the bpf LSM (a comma list: "lockdown,capability,bpf"), or t says why not. */
static bool bpf_lsm_listed(struct trampoline_fact *t)
{
	char list[512], names[512], *name, *save = NULL, err[256];
	FILE *lsm;
	bool found = false;

	if (mount_if_missing(SECURITYFS "/lsm", "securityfs", SECURITYFS, err, sizeof(err))) {
		refuse(t, REFUSAL_MOUNT, errno, "");
		return false;
	}
	lsm = fopen(SECURITYFS "/lsm", "r");
	if (!lsm || !fgets(list, sizeof(list), lsm)) {
		refuse(t, REFUSAL_NO_LSM_LIST, 0, "");
		if (lsm)
			fclose(lsm);
		return false;
	}
	fclose(lsm);
	list[strcspn(list, "\n")] = '\0';
	memcpy(names, list, sizeof(names)); /* strtok_r cuts what it reads */
	for (name = strtok_r(names, ",", &save); name && !found; name = strtok_r(NULL, ",", &save))
		found = !strcmp(name, "bpf");
	if (!found)
		refuse(t, REFUSAL_LSM_NOT_LISTED, 0, list);
	return found;
}

static void probe_lsm(struct kernel_facts *f)
{
	refuse(&f->lsm, REFUSAL_NONE, 0, "");
	if (f->lsm_hook && bpf_lsm_listed(&f->lsm))
		probe_trampoline(BPF_PROG_TYPE_LSM, BPF_LSM_MAC, f->lsm_hook, &f->lsm);
}

static void probe_fmod_ret(struct kernel_facts *f)
{
	char fn[FACT_FUNC_LEN];

	refuse(&f->fmod_ret, REFUSAL_NONE, 0, "");
	if (f->lsm_hook && strfmt(fn, sizeof(fn), "security_%s", f->lsm_hook))
		probe_trampoline(BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, fn, &f->fmod_ret);
}

int kernel_facts_probe(struct kernel_facts *f, unsigned want, char *err, size_t errlen)
{
	unsigned todo = want & ~f->known;

	/* Fentry's facts need the functions, and they and the 32-bit entry points the BTF. */
	if (todo & FACT_FENTRY)
		todo |= FACT_FUNCTIONS & ~f->known;
	if (todo & (FACT_FENTRY | FACT_IA32))
		todo |= FACT_BTF & ~f->known;
	if (todo & FACT_BTF)
		probe_btf(f);
	if (todo & FACT_IA32)
		probe_ia32(f);
	if ((todo & FACT_TRACEPOINTS) && probe_tracepoints(f, err, errlen))
		return -1;
	if (todo & FACT_KPROBES)
		f->kprobes = kernel_has_kprobes();
	if (todo & FACT_FUNCTIONS)
		probe_functions(f);
	if (todo & FACT_FENTRY)
		probe_fentry(f);
	if (todo & FACT_LSM)
		probe_lsm(f);
	if (todo & FACT_FMOD_RET)
		probe_fmod_ret(f);
	if (todo & FACT_CGROUP) {
		const struct cgroup_hierarchy *h = cgroup_hierarchy();

		f->cgroup_ssid = h ? h->ssid : -1;
	}
	f->known |= todo;
	return 0;
}

void refusal_text(const struct trampoline_fact *t, const char *what, const char *fn, char *buf,
		  size_t len)
{
	strfmt(buf, len, "refused (cause %d)", (int)t->refusal);
	switch (t->refusal) {
	case REFUSAL_NONE:
		strfmt(buf, len, "%s programs load and attach on %s", what, fn);
		break;
	case REFUSAL_NO_BTF:
		strfmt(buf, len, "this kernel has no BTF (%s)", KERNEL_BTF_PATH);
		break;
	case REFUSAL_NO_FUNCTION:
		strfmt(buf, len, "the kernel's BTF has no function %s", fn);
		break;
	case REFUSAL_ARGS_UNREADABLE:
		strfmt(buf, len, "the kernel refuses %s programs that read %s's arguments (%s)",
		       what, fn, t->detail);
		break;
	case REFUSAL_LOAD:
		strfmt(buf, len, "the kernel refuses to load %s programs: %s", what,
		       strerror(t->error));
		break;
	case REFUSAL_ATTACH:
		strfmt(buf, len, "the kernel refuses to attach %s programs to %s: %s", what, fn,
		       strerror(t->error));
		break;
	case REFUSAL_NO_LSM_LIST:
		strfmt(buf, len, "this kernel has no LSM list (" SECURITYFS "/lsm)");
		break;
	case REFUSAL_LSM_NOT_LISTED:
		strfmt(buf, len, "the bpf LSM is not among this kernel's LSMs (%s)", t->detail);
		break;
	case REFUSAL_MOUNT:
		strfmt(buf, len, "cannot mount securityfs at " SECURITYFS ": %s",
		       strerror(t->error));
		break;
	}
}
