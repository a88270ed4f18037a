# limen: see README.md. Everything builds into build/.
CC      ?= gcc
B       := build
# CFLAGS, CPPFLAGS, LDFLAGS are the user's (make CFLAGS=-O0 works); the
# flags limen needs are in LIMEN_CFLAGS, always added. make WERROR= builds
# without -Werror.
WERROR  ?= -Werror
WARN    := -Wall -Wextra $(WERROR) -Wmissing-prototypes -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
LIMEN_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -Isrc/common -Isrc -I$(B)/gen -Iinclude
ALL_CFLAGS = $(LIMEN_CFLAGS) $(CPPFLAGS) $(CFLAGS)
# Where make install puts things; the runtime's path is compiled into the
# limen binary (LIMEN_RUNTIME in the environment overrides it).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
MANDIR  ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
RTDIR   := $(LIBDIR)/limen
# The runtime runs inside the traced program, on the signal path: no stack
# protector (no TLS canary reads we do not control), no libc calls, PIC.
# Frames stay small: the signal path runs on a 64 KiB stack (rt.h).
RT_CFLAGS = $(ALL_CFLAGS) -mgeneral-regs-only -fPIC -fvisibility=hidden -fno-stack-protector \
	-fno-builtin -ftls-model=initial-exec -fno-omit-frame-pointer -Wframe-larger-than=5120
VERSION := 0.1.0

GEN       := $(B)/gen/systab.c $(B)/gen/systab_gen.h $(B)/gen/decoders.c \
	     $(B)/gen/xlat_check.c
TABLES    := tables/syscalls.tbl tables/xlat.tbl tables/structs.tbl tables/ioctl.tbl

RT_SRC    := $(wildcard src/runtime/*.c) $(wildcard src/session/*.c)
RT_ASM    := $(wildcard src/runtime/arch/x86_64/*.S)
DEC_SRC   := $(wildcard src/decode/*.c)
CTF_SRC   := $(wildcard src/ctf/*.c)
CLI_SRC   := $(wildcard src/cli/*.c) $(wildcard src/collector/*.c) $(wildcard src/bt/*.c) \
	     $(wildcard src/sinks/*.c) \
	     $(wildcard src/session/*.c) $(CTF_SRC)

RT_OBJ    := $(patsubst %.c,$(B)/rt/%.o,$(RT_SRC)) \
	     $(patsubst %.S,$(B)/rt/%.o,$(RT_ASM)) $(B)/rt/gen/systab.o
DEC_OBJ   := $(patsubst %.c,$(B)/obj/%.o,$(DEC_SRC)) $(B)/obj/gen/systab.o \
	     $(B)/obj/gen/decoders.o $(B)/obj/gen/xlat_check.o
CLI_OBJ   := $(patsubst %.c,$(B)/obj/%.o,$(CLI_SRC))
# the CTF writer and reader, with what they need (tests, bench)
CTF_OBJ   := $(patsubst %.c,$(B)/obj/%.o,$(CTF_SRC) src/cli/clock.c) \
	     $(B)/obj/gen/systab.o
CTF_PROGS := $(B)/tests/ctf/ctf_synth $(B)/tests/ctf/ctf_record \
	     $(B)/bench/ctf_bench $(B)/bench/uevent $(B)/bench/uevent_rate

TEST_PROGS := $(patsubst tests/progs/%.c,$(B)/tests/%,$(wildcard tests/progs/*.c))
UNIT_PROGS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/*.c))

all: $(B)/limen $(B)/liblimen.so $(B)/limen-loader $(TEST_PROGS) $(UNIT_PROGS) $(CTF_PROGS) \
	$(B)/bench/stepcount

$(GEN) &: tables/gen.awk $(TABLES)
	@mkdir -p $(B)/gen
	awk -f tables/gen.awk -v out=$(B)/gen $(TABLES)

$(B)/rt/gen/systab.o: $(B)/gen/systab.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -DLIMEN_NAMELESS -c -o $@ $<
$(B)/rt/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -c -o $@ $<
$(B)/rt/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -MMD -c -o $@ $<
$(B)/obj/gen/%.o: $(B)/gen/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/obj/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -DLIMEN_VERSION='"$(VERSION)"' -c -o $@ $<

# The runtime's directory, compiled in: rewritten only when it changes, so
# that make install PREFIX=... after make rebuilds what it must.
$(B)/gen/rtdir.h: FORCE
	@mkdir -p $(B)/gen
	@printf '#define LIMEN_RTDIR "%s"\n' '$(RTDIR)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(B)/obj/src/cli/main.o: $(B)/gen/rtdir.h
FORCE:

# -nostdlib: the runtime must not call into libc (it would run on the
# signal path and could re-enter a libc lock the program holds).
$(B)/liblimen.so: $(RT_OBJ)
	$(CC) -shared -nostdlib -Wl,-z,now -Wl,-z,noexecstack $(LDFLAGS) -o $@ $^ -lgcc

# -k unwinds with elfutils' libdw (libdw-dev, libelf-dev). Without its
# headers limen still builds, and -k says it needs them.
HAVE_LIBDW := $(shell printf '\043include <elfutils/libdwfl.h>\n' | \
	$(CC) -E -x c - >/dev/null 2>&1 && echo 1)
ifeq ($(HAVE_LIBDW),1)
DW_LIBS := -ldw -lelf
$(B)/obj/src/sinks/unwind.o: LIMEN_CFLAGS += -DLIMEN_HAVE_LIBDW
FUZZ_DW := -DLIMEN_HAVE_LIBDW
endif
# limen's loader (src/loader/loader.c): a static-pie with no libc that
# carries a second build of the runtime, whose per-thread state is reached
# through %gs instead of TLS (rt.h, LIMEN_GS_TLS), for static programs.
LOADER_OBJ := $(patsubst %.c,$(B)/rtgs/%.o,$(RT_SRC) $(wildcard src/loader/*.c)) \
	      $(patsubst %.S,$(B)/rtgs/%.o,$(RT_ASM) $(wildcard src/loader/*.S)) \
	      $(B)/rtgs/gen/systab.o
$(B)/rtgs/gen/systab.o: $(B)/gen/systab.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -DLIMEN_GS_TLS -DLIMEN_NAMELESS -c -o $@ $<
$(B)/rtgs/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -DLIMEN_GS_TLS -Isrc/runtime -MMD -c -o $@ $<
$(B)/rtgs/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -DLIMEN_GS_TLS -MMD -c -o $@ $<
$(B)/limen-loader: $(LOADER_OBJ)
	$(CC) -static-pie -nostdlib -Wl,-z,noexecstack -Wl,-e,limen_loader_start \
		$(LDFLAGS) -o $@ $^ -lgcc

$(B)/limen: $(CLI_OBJ) $(DEC_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

# user events: what a check and an emit cost (bench/uevent.sh)
$(B)/bench/uevent: bench/uevent.c include/limen/uevent.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $<
$(B)/bench/uevent_rate: bench/uevent_rate.c include/limen/uevent.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -o $@ $< -lpthread
# LTTng-UST for reference (liblttng-ust-dev): built by bench/uevent.sh
$(B)/bench/uevent_lttng: bench/uevent_lttng.c bench/lttng_tp.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Ibench -o $@ $< -llttng-ust -ldl

$(B)/tests/%: tests/progs/%.c tests/progs/fam.h tests/progs/rawsys.h \
	      tests/progs/user_events_uapi.h tests/progs/uevent_calls.h \
	      tests/progs/acksignals.h tests/progs/tick.h tests/progs/blocked_in.h \
	      tests/progs/kill_at.h tests/progs/canary_site.h \
	      tests/progs/file_offset.h include/limen/uaccess.h \
	      include/limen/uevent.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -D_GNU_SOURCE -Wall -Iinclude -o $@ $< -lpthread $(TEST_LDFLAGS)
# the session's layout (src/session): where its pages are
$(B)/tests/session_pages: TEST_LDFLAGS := -Isrc
# backtrace_symbols_fd names the program's functions only if they are exported
$(B)/tests/sigbacktrace: TEST_LDFLAGS := -rdynamic
# -k against strace -k: named functions, no frame pointers to lean on
$(B)/tests/stackcalls: TEST_LDFLAGS := -rdynamic -fomit-frame-pointer

$(B)/tests/unit/%: tests/unit/%.c tests/unit/harness.h tests/unit/tap.h $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(DEC_OBJ)
# the decoder of rewritable call sites, included whole (rewrite_forms.c,
# and insn_len.c for its ModRM lengths)
$(B)/tests/unit/test_forms: src/runtime/rewrite_forms.c src/runtime/rewrite_forms.h \
		src/runtime/insn_len.c src/runtime/insn_len.h
# the instruction-length decoder, included whole (insn_len.c)
$(B)/tests/unit/test_insn_len: src/runtime/insn_len.c src/runtime/insn_len.h
# the rendezvous sockets and the session's lookup of ids it kept; the
# runtime's side of the pathname socket (reach.o) as the runtime has it
$(B)/tests/unit/test_rendezvous: tests/unit/test_rendezvous.c tests/unit/tap.h \
		$(B)/obj/src/cli/rendezvous.o $(B)/obj/src/cli/session.o \
		$(B)/obj/src/cli/clock.o $(B)/rt/src/runtime/reach.o $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(filter %.o,$^)
# the ELF probe, counting its reads
$(B)/tests/unit/test_elfprobe: tests/unit/test_elfprobe.c tests/unit/tap.h \
		$(B)/obj/src/session/elfprobe.o $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(filter %.o,$^)
# the runtime's decimal formatting (rt.h)
$(B)/tests/unit/test_fmt_dec: src/runtime/rt.h
# the when= note an execve carries (filter.h)
$(B)/tests/unit/test_when_note: src/runtime/filter.h
# the session's drain alone, on rings filled by hand (its mmap and malloc
# wrapped: a ring with no room to map it, an arena with no room to copy)
$(B)/tests/unit/test_drain_slices: tests/unit/test_drain_slices.c tests/unit/tap.h \
		$(B)/obj/src/cli/session.o $(B)/obj/src/cli/clock.o $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wl,--wrap=mmap,--wrap=malloc,--wrap=memmove -o $@ $< $(filter %.o,$^)
# the pages the session's drain makes present ahead of a writer
$(B)/tests/unit/test_populate_ahead: tests/unit/test_populate_ahead.c tests/unit/tap.h \
		$(B)/obj/src/cli/session.o $(B)/obj/src/cli/clock.o $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(filter %.o,$^)

$(B)/tests/ctf/%: tests/ctf/%.c $(CTF_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CTF_OBJ)
# the drain loop of main.c, recording and replaying (tests/ctf/ctf_record.c)
$(B)/tests/ctf/ctf_record: tests/ctf/ctf_record.c $(filter-out %/main.o,$(CLI_OBJ)) $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lpthread $(DW_LIBS)
$(B)/bench/stepcount: bench/stepcount.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<
$(B)/bench/%: bench/%.c $(CTF_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CTF_OBJ)

# The fuzz harness (tests/fuzz/fuzz_drain.c): the collector's drain loop
# (its mmap wrapped: rings mapped, then with no room to map them; its
# malloc, session.c's alone, named limen_fuzz_session_malloc there: with no
# room for a second arena) and every decoder under libFuzzer,
# AddressSanitizer and UBSan. Needs clang
# and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev); without
# them it is not built and tests/fuzz/fuzz.t skips, saying so.
FUZZ_CC    ?= clang
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	      -g -O1 -std=gnu11 -D_GNU_SOURCE -Isrc/common -Isrc -I$(B)/gen -Iinclude
FUZZ_SRC   := tests/fuzz/fuzz_drain.c src/cli/clock.c \
	      $(wildcard src/collector/*.c) $(wildcard src/sinks/*.c) \
	      $(DEC_SRC) $(B)/gen/systab.c $(B)/gen/decoders.c
FUZZ_TIME  ?= 600

$(B)/fuzz/session.o: src/cli/session.c $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Dmalloc=limen_fuzz_session_malloc -c -o $@ $<

$(B)/fuzz/fuzz_drain: $(FUZZ_SRC) $(B)/fuzz/session.o $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_DW) -Wl,--wrap=mmap -o $@ $(FUZZ_SRC) \
		$(B)/fuzz/session.o -lpthread $(DW_LIBS)

# User events' format parser and payload renderer (tests/fuzz/fuzz_uevent.c)
$(B)/fuzz/fuzz_uevent: tests/fuzz/fuzz_uevent.c src/collector/uevent.c $(DEC_SRC) \
		$(B)/gen/systab.c $(B)/gen/decoders.c $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_uevent.c src/collector/uevent.c \
		$(DEC_SRC) $(B)/gen/systab.c $(B)/gen/decoders.c

# The CTF writer and reader (tests/fuzz/fuzz_ctf.c): round trip of any
# events, then damaged recordings.
$(B)/fuzz/fuzz_ctf: tests/fuzz/fuzz_ctf.c $(CTF_SRC) $(B)/gen/systab.c $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_ctf.c $(CTF_SRC) $(B)/gen/systab.c

# The --filter language and the runtime's filter program
# (tests/fuzz/fuzz_filter.c): the parser, the compiler, the validator.
$(B)/fuzz/fuzz_filter: tests/fuzz/fuzz_filter.c src/cli/filter_compile.c src/runtime/filter.c \
		src/runtime/procdir.c \
		$(DEC_SRC) $(B)/gen/systab.c $(B)/gen/decoders.c $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_filter.c src/cli/filter_compile.c \
		src/runtime/filter.c src/runtime/procdir.c $(DEC_SRC) $(B)/gen/systab.c $(B)/gen/decoders.c
# limen bt's parser, checker and BEGIN/END evaluation (tests/fuzz/fuzz_bt.c)
BT_SRC := $(wildcard src/bt/*.c)
$(B)/fuzz/fuzz_bt: tests/fuzz/fuzz_bt.c src/sinks/comm.c src/decode/oom.c $(filter-out src/bt/sink.c src/bt/cli.c src/bt/push.c,$(BT_SRC)) \
		$(B)/gen/systab.c $(GEN) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_bt.c src/sinks/comm.c src/decode/oom.c \
		$(filter-out src/bt/sink.c src/bt/cli.c src/bt/push.c,$(BT_SRC)) $(B)/gen/systab.c

# An event's filter (tests/fuzz/fuzz_uevfilt.c): its check and evaluation
$(B)/fuzz/fuzz_uevfilt: tests/fuzz/fuzz_uevfilt.c src/runtime/uevent_filter.c \
		src/runtime/uevent_filter.h src/session/uevent_fmt.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_uevfilt.c src/runtime/uevent_filter.c

# What the pad form reads of a program's file (tests/fuzz/fuzz_pad.c):
# ELF headers, .symtab, Go's pclntab; and the instruction decoder
$(B)/fuzz/fuzz_pad: tests/fuzz/fuzz_pad.c src/runtime/rewrite_pad.c src/runtime/insn_len.c \
		src/runtime/rewrite_pad.h src/runtime/insn_len.h src/runtime/procmap.h $(GEN)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Isrc/runtime -o $@ tests/fuzz/fuzz_pad.c

fuzz-build: $(GEN)
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' | \
	    $(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null; then \
		$(MAKE) --no-print-directory $(B)/fuzz/fuzz_drain $(B)/fuzz/fuzz_ctf $(B)/fuzz/fuzz_uevent \
			$(B)/fuzz/fuzz_filter $(B)/fuzz/fuzz_bt $(B)/fuzz/fuzz_uevfilt \
			$(B)/fuzz/fuzz_pad; \
	else \
		echo "fuzz: $(FUZZ_CC) -fsanitize=fuzzer does not work (install clang libclang-rt-14-dev): harness not built"; \
	fi

# A long run, keeping its corpus in build/fuzz/corpus; crashes land in
# build/fuzz/ (add them to tests/fuzz/regress/ once fixed).
fuzz: fuzz-build
	@mkdir -p $(B)/fuzz/corpus
	cd $(B)/fuzz && ./fuzz_drain -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
		corpus $(CURDIR)/tests/fuzz/regress
	@mkdir -p $(B)/fuzz/corpus_uevent
	cd $(B)/fuzz && ./fuzz_uevent -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
		corpus_uevent $(CURDIR)/tests/fuzz/regress_uevent
	@mkdir -p $(B)/fuzz/corpus_filter
	cd $(B)/fuzz && ./fuzz_filter -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
		corpus_filter $(CURDIR)/tests/fuzz/regress_filter
	@mkdir -p $(B)/fuzz/corpus_bt
	cd $(B)/fuzz && ./fuzz_bt -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
		corpus_bt $(CURDIR)/tests/fuzz/regress_bt
	@mkdir -p $(B)/fuzz/corpus_uevfilt
	cd $(B)/fuzz && ./fuzz_uevfilt -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
		corpus_uevfilt $(CURDIR)/tests/fuzz/regress_uevfilt

check: all fuzz-build
	LIMEN=$(CURDIR)/$(B)/limen LIMEN_TESTBIN=$(CURDIR)/$(B)/tests \
		LIMEN_FUZZ=$(CURDIR)/$(B)/fuzz/fuzz_drain \
		LIMEN_FUZZ_UEVENT=$(CURDIR)/$(B)/fuzz/fuzz_uevent \
		LIMEN_FUZZ_FILTER=$(CURDIR)/$(B)/fuzz/fuzz_filter \
		LIMEN_FUZZ_BT=$(CURDIR)/$(B)/fuzz/fuzz_bt \
		LIMEN_FUZZ_UEVFILT=$(CURDIR)/$(B)/fuzz/fuzz_uevfilt \
		LIMEN_FUZZ_PAD=$(CURDIR)/$(B)/fuzz/fuzz_pad prove -r tests/

bench: all
	bench/run

# What the runtime's filter adds to a call (bench/filter_eval.c): ns per
# decision, without the SIGSYS round trip; bench/filter.sh: with it.
$(B)/bench/filter_eval: bench/filter_eval.c src/runtime/filter.c src/runtime/procdir.c src/cli/filter_compile.c \
		$(DEC_OBJ) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fno-builtin -o $@ bench/filter_eval.c src/runtime/filter.c src/runtime/procdir.c \
		src/cli/filter_compile.c $(DEC_OBJ)
bench-filter: $(B)/bench/filter_eval all
	$(B)/bench/filter_eval
	bench/filter.sh

# Decoder micro-benchmark: ns per decoded read/openat line (bench/decode.c).
$(B)/bench/decode: bench/decode.c $(DEC_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(DEC_OBJ)
bench-decode: $(B)/bench/decode
	$(B)/bench/decode

# How many system calls have memory-effect rules and full decoding.
coverage-table: all
	$(B)/tests/unit/coverage --table

# DESTDIR stages the tree (packaging); the paths compiled in are without it.
install: $(B)/limen $(B)/liblimen.so $(B)/limen-loader
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(RTDIR)" "$(DESTDIR)$(MANDIR)/man1"
	install -m 755 $(B)/limen "$(DESTDIR)$(BINDIR)/limen"
	install -m 644 $(B)/liblimen.so "$(DESTDIR)$(RTDIR)/liblimen.so"
	install -m 755 $(B)/limen-loader "$(DESTDIR)$(RTDIR)/limen-loader"
	install -m 644 docs/limen.1 "$(DESTDIR)$(MANDIR)/man1/limen.1"
	install -d "$(DESTDIR)$(COMPDIR)"
	install -m 644 completion/limen "$(DESTDIR)$(COMPDIR)/limen"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/limen" "$(DESTDIR)$(RTDIR)/liblimen.so" \
		"$(DESTDIR)$(RTDIR)/limen-loader" \
		"$(DESTDIR)$(MANDIR)/man1/limen.1" "$(DESTDIR)$(COMPDIR)/limen"
	-rmdir "$(DESTDIR)$(RTDIR)"

clean:
	rm -rf $(B)

.PHONY: FORCE all check install uninstall bench bench-decode bench-filter clean coverage-table fuzz fuzz-build
-include $(shell find $(B) -name '*.d' 2>/dev/null)
