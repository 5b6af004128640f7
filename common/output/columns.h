/* Column widths of the tools' text output. */
#ifndef SNOOP_COLUMNS_H
#define SNOOP_COLUMNS_H

/* Columns wide enough for the largest PID (kernel.pid_max), as BCC's tools size them. */
int pid_column_width(void);

#endif
