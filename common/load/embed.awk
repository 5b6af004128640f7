# Turns a BPF C program into a C string constant, inlining its local
# includes ("x.h", looked up beside the program) so that the tool carries
# one self-contained source. Usage: awk -v name=VAR -f embed.awk prog.bpf.c

# Backslash and quote escaped one character at a time: gsub's handling of
# backslashes in replacements differs between awk implementations.
function c_escape(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"")
			out = out "\\"
		out = out c
	}
	return out
}

function emit(path,    line, inc, dir) {
	dir = path
	sub(/[^\/]*$/, "", dir)
	while ((getline line < path) > 0) {
		if (line ~ /^#include "[^"]+"/) {
			inc = line
			sub(/^#include "/, "", inc)
			sub(/".*$/, "", inc)
			emit(dir inc)
			continue
		}
		print "\t\"" c_escape(line) "\\n\""
	}
	close(path)
}
BEGIN {
	print "/* Generated from " ARGV[1] " by common/load/embed.awk; do not edit. */"
	print "static const char " name "[] ="
	emit(ARGV[1])
	print "\t\"\";"
	exit
}
