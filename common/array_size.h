/* The number of elements of an array (not of a pointer). */
#ifndef SNOOP_ARRAY_SIZE_H
#define SNOOP_ARRAY_SIZE_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
