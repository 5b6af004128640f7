/* What the kernel offers: syscall functions from a kallsyms file. */
#include <stdlib.h>
#include <unistd.h>

#include "../../common/plan/kernel_env.h"
#include "unit.h"

static void syscall_functions_in_one_pass(void)
{
	char path[] = "/tmp/snoopc-kallsyms.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct syscall_function sf[] = { { .syscall = "kill" },
					 { .syscall = "execve" },
					 { .syscall = "tkill" },
					 { .syscall = "nosuch" } };

	CHECK(f != NULL);
	if (!f)
		return;
	/* The plain sys_ name before and after the wrapper: the wrapper wins either way. */
	fputs("0000000000000000 T sys_kill\n"
	      "0000000000000000 T __x64_sys_kill\n"
	      "0000000000000000 T __ia32_sys_kill\n"
	      "0000000000000000 T __x64_sys_execve\n"
	      "0000000000000000 T sys_execve\n"
	      "0000000000000000 t __se_sys_tkill\n"
	      "0000000000000000 T sys_tkill\n"
	      "0000000000000000 T __x64_sys_killpg_not\n"
	      /* execve's 32-bit table entry is the compat form, whichever comes first */
	      "0000000000000000 T __ia32_compat_sys_execve\n"
	      "0000000000000000 T __ia32_sys_execve\n",
	      f);
	fclose(f);
	CHECK(syscall_kernel_functions(path, sf, 4) == 0);
	CHECK_STR(sf[0].fn, "__x64_sys_kill");
	CHECK(sf[0].wrapper);
	CHECK_STR(sf[1].fn, "__x64_sys_execve");
	CHECK(sf[1].wrapper);
	CHECK_STR(sf[2].fn, "sys_tkill");
	CHECK(!sf[2].wrapper);
	CHECK_STR(sf[3].fn, "");
	CHECK_STR(sf[0].compat_fn, "__ia32_sys_kill");
	CHECK_STR(sf[1].compat_fn, "__ia32_compat_sys_execve");
	CHECK_STR(sf[2].compat_fn, "");
	unlink(path);
	CHECK(syscall_kernel_functions("/nonexistent/kallsyms", sf, 4) == -1);
}

UNIT_SUITE(kernel_env_tests,
	   { "kernel: syscall functions from kallsyms, wrappers and compat forms first",
	     syscall_functions_in_one_pass });
