# SPDX-License-Identifier: GPL-2.0
#
# make debug-kernel   build the debug kernel (KASAN, lockdep, kmemleak, UBSAN,
#                     DEBUG_OBJECTS, ref trackers, fault injection;
#                     tools/vm/debug.config) from Debian's linux-source-6.12
#                     into /var/cache/mfwd/debug-kernel/KEY/, unless that KEY
#                     (source version + config + recipe) is already built:
#                     ~25 min of both cores once, then a no-op.  Prints the
#                     cache directory.  Runs under nice 19.
# make check KERNELS=debug         every selftest on the debug kernel
# make check KERNELS="6.12 debug"  the debug kernel runs $(DEBUG_SUBSET)
#
# tools/vm/run -k debug boots it; selftests/run -k debug builds mfwd.ko
# against its tree and runs many tests per VM (it boots in 70-80 s).
# DEBUG_KERNEL_CACHE overrides the cache directory.

.PHONY: debug-kernel

debug-kernel:
	tools/vm/debug-kernel

EXTRA_HELP += debug-kernel
