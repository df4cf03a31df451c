# SPDX-License-Identifier: GPL-2.0
#
# make lint        every static check (tools/lint/lint.sh); non-zero on any
#                  finding.  LINT_STEPS="spec kbuild" runs some of them,
#                  LINT_KERNELS="6.1 6.12" are the kernels of sparse / W=1.
# make spec-check  the YNL spec agrees with the uAPI header and the kernel
#                  policies (tools/lint/check-spec.py), and validates against
#                  the kernel's netlink schemas.  Host only, a few seconds.

LINT_STEPS ?=
LINT_KERNELS ?= 6.1 6.12

.PHONY: lint spec-check

lint:
	LINT_KERNELS="$(LINT_KERNELS)" tools/lint/lint.sh $(LINT_STEPS)

spec-check:
	tools/lint/lint.sh spec

EXTRA_HELP += lint spec-check
