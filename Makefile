# snoop-c: BCC-style tracers in C on libbcc's C API.
#   make            build build/bin/*-c (installs nothing: see make deps)
#   make deps       install the Debian packages that build, run and test need
#   make run        deps, build, then run execsnoop-c (through sudo when not root)
#   make check      deps, build, then on this host: unit, command-line and
#                   integration tests (as root), and lint
#   make test       make check's tests, then the VM stage
#   make test-unit  unit and command-line tests (no root)
#   make test-vm    the VM stage alone: every tool in every mode on Debian's kernels
#   make bench      benchmarks against Python BCC and bpftrace, in bench/results/
#   make lint       cppcheck, shellcheck, clang-format (tests/lint)
#   make sanitize   the host tests on an ASan/UBSan build
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS (60) each
#   make install    PREFIX=/usr/local DESTDIR= : tools in sbin, man pages in share/man/man8,
#                   systemd units in lib/systemd/system, their user in lib/sysusers.d
#   make image      the container image snoop-c:VERSION, from Debian's archive only (root)
#   make test-container  the image and deploy/kubernetes/ under podman kube play (root)

VERSION   := 0.1.0
TOOLS     := execsnoop exitsnoop killsnoop ptraceguard sigsnoop
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

PKG_CFLAGS := $(shell pkg-config --cflags libbcc libbpf 2>/dev/null)
# libbcc_bpf loads and attaches; libbcc itself (clang, LLVM) is opened with
# dlopen by common/load/compile.c only when a program must be compiled. Linked
# statically, with libbpf, libelf and zlib: only the objects the tools use,
# and no libstdc++ (libbcc_bpf.so's dependency), which was most of the
# tools' resident memory.
PKG_LIBS   := -Wl,-Bstatic -lbcc_bpf -lbpf -lelf -lz -Wl,-Bdynamic -ldl -lcap -lseccomp
# The directory of the libbcc.so.0 that common/load/compile.c loads, by its
# absolute path: the file the cache key of compiled programs names.
# pkg-config's libdir (common/load/libbcc_libdir.sh: what else when it has none).
LIBBCC_LIBDIR ?= $(shell common/load/libbcc_libdir.sh)
CFLAGS    ?= -O2 -g -flto=auto
# Kept apart from CFLAGS so that a CFLAGS given on the command line keeps them.
SNOOP_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -DSNOOP_VERSION='"$(VERSION)"' \
		-DLIBBCC_LIBDIR='"$(LIBBCC_LIBDIR)"'
ALL_CFLAGS = $(SNOOP_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -I$(BUILD)/gen
# The build ID names the program that planned a compile, in the cache's keys.
LINK_FLAGS := -Wl,--build-id=sha1

COMMON_SRC := $(wildcard common/*.c common/*/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
# A tool is tools/NAME/: main.c, and modules of its own that the unit tests
# and fuzzers take too (execsnoop's exec joining, sigsnoop's delivery pairing,
# ptraceguard's repairs).
MODULE_SRC := $(filter-out %/main.c,$(wildcard tools/*/*.c))
MODULE_OBJ := $(MODULE_SRC:%.c=$(BUILD)/obj/%.o)
HEADERS    := common/*.h common/*/*.h programs/*.h tools/*/*.h tests/*.h tests/unit/unit.h
BINS       := $(TOOLS:%=$(BUILD)/bin/%-c)
UNITS      := execsnoop-c.service ptraceguard-c.service
UNIT_SRC   := $(wildcard tests/unit/*.c)
UNIT_OBJ   := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN   := $(BUILD)/bin/unit-tests
# Test programs that load BPF (root): each built from one file over common/,
# for the host (tests/integration) or for the VM stage's guests (tests/vm).
HOST_TESTS := $(patsubst tests/integration/%.c,$(BUILD)/bin/%,$(wildcard tests/integration/*.c))
VM_TESTS   := $(patsubst tests/vm/%.c,$(BUILD)/bin/%,$(wildcard tests/vm/*.c))
ROOT_TESTS := $(HOST_TESTS) $(VM_TESTS)
# Workloads the tests run (no BPF): each from one file; those of
# tests/workloads/sanitized/ with AddressSanitizer, whatever the build.
WORKLOADS  := $(patsubst tests/workloads/%.c,$(BUILD)/bin/%,$(wildcard tests/workloads/*.c))
SANITIZED_WORKLOADS := $(patsubst tests/workloads/sanitized/%.c,$(BUILD)/bin/%,$(wildcard tests/workloads/sanitized/*.c))
TOOL_OBJ   := $(TOOLS:%=$(BUILD)/obj/tools/%/main.o)
# A killsnoop-c whose event loop makes a call outside its seccomp filter
# (SNOOP_TEST_FORBIDDEN_CALL): tests/integration/confine.sh sees it end.
FORBIDDEN_CALL_BIN := $(BUILD)/bin/killsnoop-c-forbidden-call
FORBIDDEN_CALL_OBJ := $(BUILD)/obj/forbidden_call/common/bpf_runtime.o

.PHONY: all binaries deps deps-lint deps-vm deps-bench deps-container image test-container bench run check test test-unit test-vm lint sanitize fuzz fuzzers install uninstall clean

all: binaries

binaries: $(BINS) $(UNIT_BIN) $(ROOT_TESTS) $(WORKLOADS) $(SANITIZED_WORKLOADS) $(FORBIDDEN_CALL_BIN)

# Packages are installed here and by the targets that name deps, never by a build.
deps:
	@.ci/deps.sh test lint

deps-lint:
	@.ci/deps.sh lint

# The VM stage's packages, then its kernels (tests/vm/kernels.list), fetched once.
deps-vm:
	@.ci/deps.sh vm
	@$(SUDO) tests/vm/kernels >/dev/null

deps-bench:
	@.ci/deps.sh bench

deps-container:
	@.ci/deps.sh container

image: deps deps-container
	@$(MAKE) --no-print-directory binaries
	$(SUDO) deploy/image/build.sh $(VERSION)

test-container: image
	$(SUDO) tests/container/run $(VERSION) $(BUILD)

.SECONDARY:
$(BUILD)/gen/%.bpf.inc: programs/%.bpf.c programs/*.h common/load/embed.awk
	@mkdir -p $(@D)
	awk -v name=$*_bpf_source -f common/load/embed.awk $< > $@.tmp && mv $@.tmp $@

$(COMMON_OBJ) $(MODULE_OBJ) $(UNIT_OBJ): $(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The unit tests plan the tools' descriptors (tests/kernel_rows.h).
$(UNIT_OBJ): $(TOOLS:%=$(BUILD)/gen/%.bpf.inc)

$(TOOL_OBJ): $(BUILD)/obj/tools/%/main.o: tools/%/main.c $(BUILD)/gen/%.bpf.inc $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

.SECONDEXPANSION:
# (No % inside the second expansion: make would put the stem there.)
$(BUILD)/bin/%-c: $(BUILD)/obj/tools/%/main.o \
		$$(addprefix $(BUILD)/obj/,$$(subst .c,.o,$$(filter-out tools/$$*/main.c,$$(wildcard tools/$$*/*.c)))) \
		$(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LINK_FLAGS) $^ -o $@ $(PKG_LIBS)

$(FORBIDDEN_CALL_OBJ): common/bpf_runtime.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DSNOOP_TEST_FORBIDDEN_CALL -c $< -o $@

$(FORBIDDEN_CALL_BIN): $(BUILD)/obj/tools/killsnoop/main.o $(FORBIDDEN_CALL_OBJ) \
		$(filter-out $(BUILD)/obj/common/bpf_runtime.o,$(COMMON_OBJ))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LINK_FLAGS) $^ -o $@ $(PKG_LIBS)

$(BUILD)/obj/tests/%.o: tests/%.c $(TOOLS:%=$(BUILD)/gen/%.bpf.inc) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# They take the tools' descriptors (tools/*/tool.h), which name functions of the tools' modules.
$(HOST_TESTS): $(BUILD)/bin/%: $(BUILD)/obj/tests/integration/%.o $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LINK_FLAGS) $^ -o $@ $(PKG_LIBS)

$(VM_TESTS): $(BUILD)/bin/%: $(BUILD)/obj/tests/vm/%.o $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LINK_FLAGS) $^ -o $@ $(PKG_LIBS)

# Plain programs whatever CFLAGS say: a sanitizer's runtime would change what
# they do (its own signal handlers, ptrace for leak checks, the address space).
$(WORKLOADS): $(BUILD)/bin/%: tests/workloads/%.c
	@mkdir -p $(@D)
	$(CC) $(SNOOP_CFLAGS) -O2 -g -pthread $< -o $@

$(SANITIZED_WORKLOADS): $(BUILD)/bin/%: tests/workloads/sanitized/%.c
	@mkdir -p $(@D)
	$(CC) $(SNOOP_CFLAGS) -O0 -g -fsanitize=address $< -o $@

$(UNIT_BIN): $(UNIT_OBJ) $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LINK_FLAGS) $^ -o $@ $(PKG_LIBS)

run: deps
	@$(MAKE) --no-print-directory binaries
	$(SUDO) $(BUILD)/bin/execsnoop-c $(ARGS)

# This host alone: the loop to run while working.
check: deps
	@$(MAKE) --no-print-directory binaries
	$(SUDO) tests/run --lint $(BUILD)

# make check's tests, then the VM stage (tests/vm/run: Debian's kernels under qemu).
test: deps deps-vm
	@$(MAKE) --no-print-directory binaries
	$(SUDO) tests/run --lint --vm $(BUILD)

test-vm: deps deps-vm
	@$(MAKE) --no-print-directory binaries
	$(SUDO) tests/vm/run $(BUILD)

test-unit: deps
	@$(MAKE) --no-print-directory binaries
	tests/run --unit-only $(BUILD)

lint: deps-lint
	tests/lint

# Every tool and the unit tests built with ASan and UBSan, then the whole test suite on them.
SANITIZE_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/sanitize CFLAGS='$(SANITIZE_CFLAGS)' binaries
	$(SUDO) tests/run build/sanitize

# libFuzzer harnesses (tests/fuzz/fuzz_*.c) over common/ and the tools' modules, built with clang,
# ASan and UBSan, each run FUZZ_SECONDS from its corpus in tests/fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz-build
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_NAMES   := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

fuzzers: $(FUZZ_NAMES:%=$(BUILD)/fuzz/bin/%)

$(BUILD)/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(SNOOP_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) $< $(MODULE_OBJ) $(COMMON_OBJ) -o $@ $(PKG_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		CFLAGS='$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link' fuzzers
	tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Benchmarks against Python BCC and bpftrace: bench/results/ (results.md, *.png);
# the mode comparison boots a VM stage guest (BENCH_VM=0 skips it).
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

$(BENCH_BINS): $(BUILD)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(SNOOP_CFLAGS) $(CFLAGS) $< -o $@

bench: deps deps-bench deps-vm
	@$(MAKE) --no-print-directory binaries $(BENCH_BINS)
	$(SUDO) /usr/bin/python3 bench/bench.py $(BUILD)

# The units name the tools where the default PREFIX puts them.
install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/snoop-c \
		$(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 $(TOOLS:%=man/man8/%-c.8) $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 deploy/schema/snoop-c-events.schema.json $(DESTDIR)$(PREFIX)/share/snoop-c/
	for unit in $(UNITS); do \
		sed 's|^ExecStart=/usr/local/sbin/|ExecStart=$(PREFIX)/sbin/|' deploy/systemd/$$unit \
			>$(DESTDIR)$(PREFIX)/lib/systemd/system/$$unit && \
		chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/$$unit || exit 1; \
	done
	install -m 0644 deploy/systemd/snoop-c.sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/snoop-c.conf

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(PREFIX)/sbin/%-c) $(TOOLS:%=$(DESTDIR)$(PREFIX)/share/man/man8/%-c.8)
	rm -f $(UNITS:%=$(DESTDIR)$(PREFIX)/lib/systemd/system/%) $(DESTDIR)$(PREFIX)/lib/sysusers.d/snoop-c.conf
	rm -rf $(DESTDIR)$(PREFIX)/share/snoop-c

clean:
	rm -rf build
