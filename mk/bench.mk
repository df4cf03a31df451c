# SPDX-License-Identifier: GPL-2.0
#
# make bench                 mfwd against ipmr in a qemu VM (bench/run):
#                            forwarding rate, table scale, route install,
#                            memory per route, miss path; results in
#                            bench/results/ (latest.md, *.csv, fwd.png)
# make bench BENCH_QUICK=1   one short round of every figure (< 4 min)
# make bench KVER=6.1        another kernel (default: the 6.12 one)
#
# Also passed on: BENCH_FIGS="fwd fwd6 scale install miss", BENCH_ROUNDS,
# BENCH_DUR, BENCH_OIFS, BENCH_SCALE, BENCH_MEM (see bench/run).

# The 6.12 kernel unless KVER was given (the top Makefile computes a KVER
# from the build host otherwise, which is not what to benchmark).
BENCH_KVER := $(if $(filter file default undefined,$(origin KVER)),6.12,$(KVER))
BENCH_QUICK ?= 0

EXTRA_HELP += bench

.PHONY: bench
bench:
	BENCH_QUICK=$(BENCH_QUICK) bench/run -k $(BENCH_KVER)
