#!/bin/sh
# Prints the directory whose libbcc.so.0 a compile loads (common/load/compile.c
# loads LIBBCC_LIBDIR/libbcc.so.0 by that absolute path): libbcc's libdir as
# pkg-config says, else the directory the dynamic loader's cache lists it
# in, else /usr/lib. The build (Makefile) asks here, and so does the VM
# stage (tests/vm/run), which copies that file into its guests' memory.
dir=$(pkg-config --variable=libdir libbcc 2>/dev/null)
if [ -z "$dir" ]; then
	lib=$(PATH=$PATH:/sbin:/usr/sbin ldconfig -p 2>/dev/null |
		awk '$1 == "libbcc.so.0" { print $NF; exit }')
	dir=${lib%/*}
fi
echo "${dir:-/usr/lib}"
