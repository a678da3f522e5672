# SPDX-License-Identifier: GPL-2.0
# kftp: in-kernel FTP client.
#   make [KDIR=...]   build kftp.ko (default: the running kernel)
#   make demo         boot Debian's kernel in QEMU, fetch, list and upload through /proc/kftp
#   make check        every test: lint gates, fuzzing, KUnit, VM end-to-end tests,
#                     on Debian's 5.10, 6.1, 6.12, 7.2 and 7.3 (KLINES= picks lines)
#   make bench        kftp against userspace FTP clients, in the guest
#   make install      install kftp.ko for KDIR's kernel (INSTALL_MOD_PATH,
#                     INSTALL_MOD_DIR as kbuild), then depmod; make uninstall
#   make tools        the kftp command (tools/kftp/); make man: check its pages,
#                     and README's option list against the parser's table,
#                     kftp(5)'s status columns against the module's
#   make deb          kftp-dkms and kftp .debs (debian/) in ../; make dkmstest

KDIR ?= /lib/modules/$(shell uname -r)/build
export KFTP_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kftp

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Debian's 5.10 and 6.1 headers say the upstream version in kernel.release
# (6.1.192), not the release their modules live under (6.1.0-57-amd64):
# the kernel's own UTS_RELEASE names the module directory.
KRELEASE ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# depmod as kbuild's depmod.sh (-b INSTALL_MOD_PATH), for a module
# directory of an installed kernel (modules.order): not for a staging tree
DEPMOD ?= /sbin/depmod
kftp-moddir = $(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)
kftp-depmod = if [ -f $(kftp-moddir)/modules.order ] && command -v $(DEPMOD) >/dev/null; \
	then $(DEPMOD) -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE); fi

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KRELEASE) modules_install
	$(kftp-depmod)

uninstall:
	rm -f $(foreach d,$(sort extra updates $(INSTALL_MOD_DIR)),$(foreach z,'' .gz .xz .zst, \
		$(kftp-moddir)/$(d)/kftp.ko$(z)))
	$(kftp-depmod)

# the kftp command; make tools LDFLAGS=-static for a guest without libc
tools:
	$(MAKE) -C tools/kftp

# man pages: groff must render them without a warning
man:
	@bash -c '. tests/pkgs.sh && need_pkgs man-db groff-base'
	@for f in docs/man/kftp.1 docs/man/kftp.5; do \
		w=$$(LC_ALL=C MANWIDTH=80 man --warnings -E UTF-8 -l $$f 2>&1 >/dev/null); \
		[ -z "$$w" ] || { echo "$$f: $$w"; exit 1; }; echo "man: $$f: no warning"; done
	@tests/options/check.sh
	@tests/options/tool.sh
	@tests/man/columns.sh

# kftp-dkms and kftp .debs in dist/; dkmstest: install them in a Debian guest
deb:
	tools/mkdeb.sh dist

dkmstest:
	tests/dkms.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		find . -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' | xargs rm -f

demo:
	tests/vm.sh demo

vmtest:
	tests/vm.sh check

kunit:
	tests/kunit.sh

lint:
	tests/lint.sh

# make fuzz FUZZ_SECONDS=300: a longer run
FUZZ_SECONDS ?= 30
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

bench:
	tests/bench.sh

# ci/matrix.yml says make-check exactly where make check does the step
matrix:
	tests/matrix.sh

# every stage to its end, one summary line each, the sum last (tests/check.sh)
check:
	tests/check.sh

.PHONY: all modules install uninstall tools man deb dkmstest clean demo vmtest kunit lint matrix fuzz bench check
