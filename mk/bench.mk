# SPDX-License-Identifier: GPL-2.0
#
# make bench                 mfwd against ipmr in qemu VMs (bench/run):
#                            forwarding rate (64-byte frames and 1316-byte
#                            UDP payloads), table scale, IPTV (500
#                            channels), route install, memory per route (2
#                            and, in a second VM, 64 possible CPUs), miss
#                            path; results in bench/results/ (latest.md,
#                            *.csv, fwd.png)
# make bench BENCH_QUICK=1   one short round of every figure (< 4 min)
# make bench KVER=6.1        another kernel (default: the 6.12 one)
#
# Also passed on: BENCH_FIGS="fwd fwd6 scale iptv install miss mem64",
# BENCH_ROUNDS (default 5), BENCH_DUR, BENCH_OIFS, BENCH_SIZES,
# BENCH_BIG_OIFS, BENCH_SCALE, BENCH_MEM, BENCH_MEM64_* (see bench/run).

# The 6.12 kernel unless KVER was given (the top Makefile computes a KVER
# from the build host otherwise, which is not what to benchmark).
BENCH_KVER := $(if $(filter file default undefined,$(origin KVER)),6.12,$(KVER))
BENCH_QUICK ?= 0

EXTRA_HELP += bench

.PHONY: bench
bench:
	BENCH_QUICK=$(BENCH_QUICK) bench/run -k $(BENCH_KVER)
