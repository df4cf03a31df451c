# SPDX-License-Identifier: GPL-2.0
#
# mfwd - out-of-tree IPv4 multicast forwarding module.
#
#   make                 build module/mfwd.ko and tools/mfwdctl/mfwdctl
#   make KVER=6.12.117+deb12-amd64   build against /lib/modules/KVER/build
#   make KDIR=/path/to/kernel/build  build against any prepared kernel tree
#   make deps            install build/test dependencies with apt (root)
#   make check           build for each kernel in KERNELS, run selftests in VMs
#   make demo            deps + build + boot a VM and show the module loaded
#   make install         module -> /lib/modules/KVER/updates, tool -> /usr/local/sbin
#
# Other targets (lint, bench, dkms-install, regen, ...) are added as
# fragments mk/*.mk, which are included at the end of this file; list them in
# EXTRA_HELP so "make help" shows them.

# ---------------------------------------------------------------- kernel ---
# KDIR: /lib/modules/$(KVER)/build when KVER is given or the running kernel has
# its build tree; otherwise the newest installed Debian amd64 headers.
# A short KVER (6.1, 6.12) means the newest installed kernel of that series.
ifneq ($(KVER),)
ifeq ($(wildcard /lib/modules/$(KVER)/build),)
# KVER=debug: the debug kernel's cached tree (mk/debug.mk)
ifeq ($(origin KDIR),undefined)
KDIR := $(shell tools/vm/run -k $(KVER) --kdir 2>/dev/null)
endif
override KVER := $(or $(shell tools/vm/run -k $(KVER) --kver 2>/dev/null),$(KVER))
endif
KDIR ?= /lib/modules/$(KVER)/build
else ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KVER := $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
else
KDIR ?= $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
KVER := $(patsubst linux-headers-%,%,$(notdir $(KDIR)))
endif

# Kernels "make check" tests on (short forms resolved by tools/vm/run -k;
# "debug" is the debug kernel of mk/debug.mk, built while the others' tests
# run if it is not built yet: selftests/check).  Not in the default: its
# subset takes over an hour of VM time there, and 71-fail-nth's packet
# path does not pass there yet (README.md "Tests").
KERNELS ?= 6.1 6.12
# Tests "make check" runs (default: all of selftests/[0-9]*.sh).
TESTS ?=
# The debug kernel's subset (globs over test names): what "make check" runs
# there when debug is one of several KERNELS and no TESTS were named; every
# test with KERNELS=debug.  CI does not run the debug leg (.ci/run says why).
# Measured: a shell test that spawns a process per step (topologies, Python
# senders/receivers) takes 10-20 minutes there, so the subset is the
# fuzzer, fault injection and stress tests, the C API test and one
# forwarding test; README.md "Tests" has the numbers.
DEBUG_SUBSET ?= 10-fwd-sg 53-nl-strict 70-nl-fuzz 71-fail-nth 72-stress
DEBUG_TESTS ?= $(if $(TESTS),,$(if $(filter-out debug,$(KERNELS)),$(DEBUG_SUBSET)))
# Test VMs "make check" runs at once (each VM uses one host core).
JOBS ?= 2

PREFIX ?= /usr/local
DESTDIR ?=
MODDIR ?= updates

MODULE_DIR := $(CURDIR)/module
TOOL_DIR := $(CURDIR)/tools/mfwdctl

.PHONY: all module tools clean deps check demo install uninstall help

all: module tools

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || \
		{ echo "No kernel build tree (KDIR='$(KDIR)'); run 'make deps' or set KDIR/KVER" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(MODULE_DIR) modules

tools:
	@if [ -f $(TOOL_DIR)/Makefile ]; then $(MAKE) -C $(TOOL_DIR); \
	else echo "tools/mfwdctl not present yet, skipping"; fi

clean:
	@if [ -d "$(KDIR)" ] && [ -f $(MODULE_DIR)/Kbuild ]; then \
		$(MAKE) -C $(KDIR) M=$(MODULE_DIR) clean; fi
	@if [ -f $(TOOL_DIR)/Makefile ]; then $(MAKE) -C $(TOOL_DIR) clean; fi
	rm -rf build

deps:
	tools/vm/deps

# selftests/run builds mfwdctl and, per kernel, mfwd.ko in build/<kver>/.
# Tests 50 and 51 need the kernel's netlink schemas and YNL CLI: extracting
# them here once is much faster than in every VM.
check:
	tools/lint/ksrc.sh build/ksrc schema ynl kselftest
	KERNELS="$(KERNELS)" JOBS=$(JOBS) DEBUG_TESTS="$(DEBUG_TESTS)" selftests/check $(TESTS)

demo: deps
	$(MAKE) all
	tools/vm/demo.sh $(KVER)

# The module; mfwdctl, mfwd-smcrouted, mfwd-smcroutectl and their man pages.
install: all
	install -D -m 0644 $(MODULE_DIR)/mfwd.ko $(DESTDIR)/lib/modules/$(KVER)/$(MODDIR)/mfwd.ko
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi
	$(MAKE) -C $(TOOL_DIR) install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/$(MODDIR)/mfwd.ko
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi
	$(MAKE) -C $(TOOL_DIR) uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

EXTRA_HELP ?=
help:
	@sed -n '3,15s/^# \{0,1\}//p' Makefile
	@echo "KDIR=$(KDIR) KVER=$(KVER) KERNELS=$(KERNELS)"
	@$(foreach h,$(EXTRA_HELP),echo "  $(h)";)

# Targets added by others (lint, bench, dkms-install, regen, ...).
-include $(sort $(wildcard mk/*.mk))
