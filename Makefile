# tteaudit - offline signature verifier and compliance auditor.
#
#   make            build build/tteaudit over build/libtteaudit.a
#   make deps       install the Debian packages the build and tests need
#   make fixtures   make the throw-away test PKI and signed documents
#   make test       deps, build, fixtures, then every test (T=name for one)
#   make test SAN=1 the same under AddressSanitizer + UBSan (build-san/)
#   make demo       deps, build, fixtures, then verify the fixtures
#   make check-style  ban unsafe libc calls

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
	     $(CFLAGS) $(SANFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC = $(filter-out verifier/cli/%,$(wildcard verifier/*.c verifier/*/*.c \
	  policy/*.c reports/*.c))
CLI_SRC = $(wildcard verifier/cli/*.c)
TEST_SRC = $(wildcard tests/unit/*/*_test.c)
TEST_LIB_SRC = $(wildcard tests/lib/*.c)

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_LIB_OBJ = $(TEST_LIB_SRC:%.c=$(BUILD)/%.o)
TEST_BIN = $(TEST_SRC:%.c=$(BUILD)/%)
LIB = $(BUILD)/libtteaudit.a
BIN = $(BUILD)/tteaudit
FIXTURES = $(BUILD)/fixtures

DEBS = build-essential pkg-config openssl libssl-dev libxml2-dev libzip-dev zlib1g-dev \
       libcmocka-dev zip unzip python3 poppler-utils

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

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) $(TEST_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(TEST_LIB_OBJ) $(LIB) \
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

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
