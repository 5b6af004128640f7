#include "columns.h"

#include <stdio.h>
#include <string.h>

int pid_column_width(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	int width = 7;

	if (f) {
		char buf[32];

		/* The digits and one more, as BCC's killsnoop does. */
		if (fgets(buf, sizeof(buf), f))
			width = (int)strcspn(buf, "\n") + 1;
		fclose(f);
	}
	return width;
}
