# SPDX-License-Identifier: GPL-2.0
#
# make stress [DURATION=SECS] [KERNELS="..."]
#     selftests/72-stress.sh for DURATION seconds (default 60) through
#     selftests/run, on the debug kernel unless KERNELS is given (built
#     first if needed): traffic on both CPUs while routes, VIFs, devices,
#     netns come and go and the module is unloaded and reloaded; prints the
#     operation counts.  Logs in build/selftests/<kver>/72-stress.log.
#
# The VM timeout follows DURATION: the test runs from a wrapper in
# build/stress/ whose "# timeout:" header is DURATION + 360 s (the runner
# multiplies it on the debug kernel).  STRESS_INTERVAL (sender pacing) and
# STRESS_WAIT (poll timeouts) are passed on to the test when set.

DURATION ?= 60
STRESS_KERNELS := $(if $(filter command line environment,$(origin KERNELS)),$(KERNELS),debug)

EXTRA_HELP += stress

.PHONY: stress

stress: $(if $(filter debug,$(STRESS_KERNELS)),debug-kernel)
	@case "$(DURATION)" in ''|*[!0-9]*|0*) echo "DURATION=$(DURATION): a number of seconds" >&2; exit 2;; esac
	@mkdir -p build/stress && printf '%s\n' '#!/usr/bin/env bash' \
		'# SPDX-License-Identifier: GPL-2.0' "# timeout: $$(($(DURATION) + 360))" \
		'# written by make stress (mk/stress.mk): the timeout follows DURATION' \
		'exec bash "$$SELFTESTS/72-stress.sh"' >build/stress/72-stress.sh
	DEBUG_TESTS= STRESS_DURATION=$(DURATION) selftests/run -j 1 -v \
		$(addprefix -k ,$(STRESS_KERNELS)) build/stress/72-stress.sh
