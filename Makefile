# Plain GNU make: sources are found per folder; objects go to build/ (or build-asan/ with SAN=1).
ifeq ($(SAN),1)
B       := build-asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer
else
B       := build
SANFLAGS :=
endif

CC      ?= cc
PKGS    := libseccomp libelf libunwind jansson
CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Werror=implicit-function-declaration -Wpointer-arith \
           -Wno-unused-parameter -Wformat=2 -D_GNU_SOURCE -I. $(SANFLAGS) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDFLAGS := $(SANFLAGS)

SRCDIRS := sentry platform platform/ptrace fs net syscalls loader
SRCS    := $(foreach d,$(SRCDIRS),$(wildcard $(d)/*.c))
OBJS    := $(SRCS:%.c=$(B)/%.o)
LIBOBJS := $(filter-out $(B)/sentry/main.o,$(OBJS))

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps demo test unit bench fuzz asan lint clean syscalls.md
all: $(B)/sandbox

deps:
	@sh scripts/deps.sh

$(B)/sandbox: $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/%.o: %.c $(wildcard */*.h */*/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# Unit tests: each tests/unit/test_X.c links against all library objects.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
$(B)/tests/unit/%: tests/unit/%.c $(LIBOBJS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LDLIBS)

unit: $(UNIT_BINS)

# The README's two commands: `make demo` and `make test`.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(B)/sandbox

test: deps
	@$(MAKE) --no-print-directory all unit
	@sh tests/run.sh $(B)

asan:
	@$(MAKE) --no-print-directory SAN=1 all unit

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(B)

fuzz: deps
	@$(MAKE) --no-print-directory all
	@sh tests/fuzz.sh $(B)

lint:
	@sh scripts/lint.sh

syscalls.md: all
	@$(B)/sandbox syscalls > syscalls.md

clean:
	rm -rf build build-asan
