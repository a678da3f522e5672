# SPDX-License-Identifier: GPL-2.0
# kftp: in-kernel FTP client.
#   make [KDIR=...]   build kftp.ko (default: the running kernel)
#   make demo         boot Debian's kernel in QEMU and fetch a file through /proc/kftp
#   make check        every test: lint gates, fuzzing, KUnit, VM end-to-end tests,
#                     on Debian's 5.10, 6.1, 6.12, 7.2 and 7.3 (KLINES= picks lines)
#   make bench        kftp against userspace FTP clients, in the guest

KDIR ?= /lib/modules/$(shell uname -r)/build
export KFTP_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kftp

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

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

fuzz:
	tests/fuzz/run.sh 30

bench:
	tests/bench.sh

check: lint fuzz kunit vmtest

.PHONY: all modules clean demo vmtest kunit lint fuzz bench check
