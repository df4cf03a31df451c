# SPDX-License-Identifier: GPL-2.0
#
# make dkms-install [KVER=...]  copy the module sources to
#                               /usr/src/mfwd-VERSION, then dkms add, build
#                               and install mfwd for KVER (root)
# make dkms-remove              dkms remove mfwd VERSION from every kernel
#                               and delete /usr/src/mfwd-VERSION (root)
#
# VERSION is PACKAGE_VERSION in dkms.conf.  DKMS_KSRC=DIR passes
# --kernelsourcedir DIR to dkms build (a kernel tree that is not
# /lib/modules/KVER/build); DKMS_FLAGS are added to dkms install and remove
# (e.g. --no-depmod).

DKMS ?= dkms
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$$/\1/p' dkms.conf)
DKMS_SRC := /usr/src/mfwd-$(DKMS_VERSION)
DKMS_KSRC ?=
DKMS_FLAGS ?=
DKMS_FILES := dkms.conf Makefile Kbuild uapi/linux/mfwd.h module/Kbuild \
	$(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h)

.PHONY: dkms-install dkms-remove dkms-src

dkms-src:
	@test -n "$(DKMS_VERSION)" || { echo "no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	tar -cf - $(DKMS_FILES) | tar -xf - -C $(DKMS_SRC)

dkms-install: dkms-src
	@command -v $(DKMS) >/dev/null || { echo "dkms is not installed (make deps)" >&2; exit 1; }
	@test -n "$(KVER)" || { echo "no kernel version: set KVER" >&2; exit 1; }
	@# A second install of the same version replaces the first.
	if $(DKMS) status -m mfwd -v $(DKMS_VERSION) | grep -q .; then \
		$(DKMS) remove -m mfwd -v $(DKMS_VERSION) --all $(DKMS_FLAGS); fi
	$(DKMS) add -m mfwd -v $(DKMS_VERSION)
	$(DKMS) build -m mfwd -v $(DKMS_VERSION) -k $(KVER) \
		$(if $(DKMS_KSRC),--kernelsourcedir $(DKMS_KSRC)) || \
		{ cat /var/lib/dkms/mfwd/$(DKMS_VERSION)/build/make.log >&2; exit 1; }
	$(DKMS) install -m mfwd -v $(DKMS_VERSION) -k $(KVER) $(DKMS_FLAGS)
	$(DKMS) status -m mfwd -v $(DKMS_VERSION)

dkms-remove:
	@command -v $(DKMS) >/dev/null || { echo "dkms is not installed" >&2; exit 1; }
	if $(DKMS) status -m mfwd -v $(DKMS_VERSION) | grep -q .; then \
		$(DKMS) remove -m mfwd -v $(DKMS_VERSION) --all $(DKMS_FLAGS); fi
	rm -rf $(DKMS_SRC)

EXTRA_HELP += dkms-install dkms-remove
