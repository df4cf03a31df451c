# SPDX-License-Identifier: GPL-2.0
#
# make fuzz DURATION=SECS [KERNELS=debug]
#                     run selftests/70-nl-fuzz.sh (the netlink fuzzer,
#                     selftests/helpers/nlfuzz.c) for SECS seconds of fuzzing
#                     (FUZZ_DURATION) on each kernel of KERNELS, default the
#                     debug kernel only (built first if needed).  Without
#                     DURATION it runs FUZZ_MESSAGES messages (the test's
#                     default: 100000 on the debug kernel).
#                     FUZZ_SEED=N replays a run (the seed is in the log,
#                     build/selftests/<kver>/70-nl-fuzz.log); FUZZ_PROCS=N
#                     worker processes (default 4).
#
# The runner's timeout for the test is its "# timeout:" header times
# DEBUG_TIMEOUT_FACTOR in batch mode (the only mode on the debug kernel;
# SELFTESTS_BATCH=1 makes the others use it too): the factor is raised here
# so that the header's 900 s cover DURATION plus the set-up (about 10 minutes
# on the debug kernel).

FUZZ_KERNELS := $(if $(filter file default undefined,$(origin KERNELS)),debug,$(KERNELS))
DURATION ?=
FUZZ_TMO_FACTOR := $(if $(DURATION),$(shell echo $$(( ($(DURATION) + 1200) / 900 + 3 ))),3)

EXTRA_HELP += fuzz

.PHONY: fuzz
fuzz: $(if $(filter debug,$(FUZZ_KERNELS)),debug-kernel)
	FUZZ_DURATION=$(DURATION) SELFTESTS_BATCH=1 DEBUG_TIMEOUT_FACTOR=$(FUZZ_TMO_FACTOR) \
		selftests/run -j 1 $(addprefix -k ,$(FUZZ_KERNELS)) 70-nl-fuzz
