# tteaudit - offline signature verifier and compliance auditor.
#
#   make            build build/tteaudit over build/libtteaudit.a
#   make deps       install the Debian packages the build and tests need
#   make fixtures   make the throw-away test PKI and signed documents
#   make test       deps, build, fixtures, then every test (T=name for one)
#   make test SAN=1 the same under AddressSanitizer + UBSan (build-san/)
#   make demo       deps, build, fixtures, then verify the fixtures
#   make check-style  ban unsafe libc calls
#   make fuzz       build each tests/fuzz/*_fuzz.c with clang + libFuzzer
#                   (build-fuzz/) and run each FUZZ_SECONDS (default 30) s

SAN ?=
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

CC ?= cc
PKGS = openssl libxml-2.0 libzip zlib
WARN = -Wall -Wextra -Werror -Wshadow -Wcast-align -Wwrite-strings \
       -Wformat=2 -Wswitch-enum -Wvla
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) \
	     -DTTE_POLICY_DIR=\"$(CURDIR)/policy\" \
	     $(CFLAGS) $(SANFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC = $(filter-out verifier/cli/%,$(wildcard verifier/*.c verifier/*/*.c \
	  policy/*.c reports/*.c))
CLI_SRC = $(wildcard verifier/cli/*.c)
TEST_SRC = $(wildcard tests/unit/*/*_test.c)

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN = $(TEST_SRC:%.c=$(BUILD)/%)
LIB = $(BUILD)/libtteaudit.a
BIN = $(BUILD)/tteaudit
FIXTURES = $(BUILD)/fixtures

DEBS = build-essential pkg-config openssl libssl-dev libxml2-dev libzip-dev zlib1g-dev \
       libcmocka-dev zip unzip python3 poppler-utils clang libclang-rt-14-dev \
       libxml2-utils

.PHONY: all deps test test-unit test-e2e fixtures demo clean check-style

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB) \
		$(TEST_LIBS) $(LIBS)

# Installs only what is missing; needs root (or sudo) on a fresh Debian 12.
deps:
	@missing=$$(for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			$$missing >/dev/null; \
	fi

fixtures: $(FIXTURES)/.done

$(FIXTURES)/.done: $(wildcard fixtures/*.sh fixtures/*.py fixtures/*.cnf)
	@rm -rf $(FIXTURES)
	bash fixtures/mkall.sh $(FIXTURES)
	@touch $@

test: deps
	$(MAKE) all fixtures $(TEST_BIN)
	BUILD=$(BUILD) bash tests/run.sh $(T)

demo: deps
	$(MAKE) all fixtures
	bash fixtures/demo.sh $(BIN) $(FIXTURES)

check-style:
	@! grep -nE '\<(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|alloca)[[:space:]]*\(' \
		$$(find verifier policy reports tests -name '*.[ch]') \
		|| (echo "banned call found" && false)

clean:
	rm -rf build build-san

# ---- fuzzing (STYLE.md rule 16, tests/fuzz) ----
# Each harness tests/fuzz/<name>_fuzz.c is built twice: with clang and
# libFuzzer over a copy of the library compiled with coverage, ASan and
# UBSan into build-fuzz/ (make fuzz), and with $(CC) and tests/fuzz/replay.c
# as $(BUILD)/tests/fuzz/<name>_replay, which make test runs over the
# committed corpus and the reproducers of fixed bugs (tests/run.sh).
# make fuzz T=pdf runs only the harnesses whose name contains "pdf". The
# pdf_* harnesses use the dictionary tests/fuzz/pdf.dict, cms_* and pki_*
# tests/fuzz/der.dict. Each starts from build-fuzz/corpus/<name> (where
# new inputs go), tests/fuzz/corpus/<name> and build-fuzz/seed/<name>
# (files of ../shared/corpora, copied once by tests/fuzz/seed.sh). Findings
# go to build-fuzz/artifacts/<name>/, the output to build-fuzz/<name>.log.
FUZZ_SECONDS ?= 30
FUZZ_BUILD = build-fuzz
FUZZ_CC = clang
FUZZ_CFLAGS ?= -O1 -g
FUZZ_ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) \
	-DTTE_POLICY_DIR=\"$(CURDIR)/policy\" \
	$(FUZZ_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# -timeout is 2 s so that a slow input is a finding, not a flake; an
# input over 1 s is a bug too: -report_slow_units=1 logs it ("Slowest
# unit") and saves it as slow-unit-* among the artifacts.
# FUZZ_SEED fixes libFuzzer's random choices (CI sets it): a run then
# repeats what a run here did, bar what a slower machine gets through.
FUZZ_SEED ?= 0
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -timeout=2 -rss_limit_mb=2048 \
	-report_slow_units=1 -print_final_stats=1 -seed=$(FUZZ_SEED)
# The OpenSSL leaks of tests/lsan.supp need full stacks to match.
FUZZ_ENV = ASAN_OPTIONS=fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
FUZZ_SRC = $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_NAMES = $(patsubst tests/fuzz/%_fuzz.c,%,$(FUZZ_SRC))
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB = $(FUZZ_BUILD)/libtteaudit.a
FUZZ_BIN = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz/%_fuzz)
TEST_BIN += $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/%_replay)

.PHONY: fuzz

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
		-c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz/%_fuzz: tests/fuzz/%_fuzz.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< \
		$(FUZZ_LIB) $(LIBS)

$(BUILD)/tests/fuzz/%_replay: tests/fuzz/%_fuzz.c \
		$(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_REPLAY -MMD -MP -o $@ $< \
		$(BUILD)/tests/fuzz/replay.o \
		$(LIB) $(LIBS)

fuzz: deps
	$(MAKE) $(FUZZ_BIN)
	@failed=; for n in $(FUZZ_NAMES); do \
		case "$$n" in *"$(T)"*) ;; *) continue ;; esac; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/artifacts/$$n; \
		[ -d $(FUZZ_BUILD)/seed/$$n ] || \
			bash tests/fuzz/seed.sh $$n $(FUZZ_BUILD)/seed/$$n; \
		echo "== fuzz $$n ($(FUZZ_SECONDS) s)"; \
		case "$$n" in pdf_*) dict=-dict=tests/fuzz/pdf.dict ;; \
		cms_*|pki_*) dict=-dict=tests/fuzz/der.dict ;; *) dict= ;; esac; \
		if ! $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz/$${n}_fuzz $(FUZZ_FLAGS) $$dict \
			-artifact_prefix=$(FUZZ_BUILD)/artifacts/$$n/ \
			$(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
			$(FUZZ_BUILD)/seed/$$n \
			>$(FUZZ_BUILD)/$$n.log 2>&1; then \
			failed="$$failed $$n"; tail -n 60 $(FUZZ_BUILD)/$$n.log; \
		fi; \
		grep -E '^(stat::(number_of_executed_units|peak_rss_mb)|Slowest)' \
			$(FUZZ_BUILD)/$$n.log; \
		grep -E '^#[0-9]+.*(DONE|cov:)' $(FUZZ_BUILD)/$$n.log | tail -n 1; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz failed:$$failed"; exit 1; fi

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
