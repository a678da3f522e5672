/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp compatibility layer: every kernel-version difference kftp meets is
 * hidden here, so src/ and proc/ read like current mainline code. Each
 * entry names the first kernel with the new form and the upstream commit;
 * docs/compat.md has the table and how each was verified.
 *
 * Naming: the wrapper for the kernel's foo() is kftp_foo(), for struct foo
 * struct kftp_foo, for foo_t kftp_foo_t, for a constant KFTP_FOO; each is
 * always defined and called by that name, and no #define renames a kernel
 * name. Only #ifndef name tests (pr_warn, READ_ONCE, U64_MAX, ...) add a
 * missing standard macro under the kernel's own name (see compat/misc.h).
 *
 * Every KFTP_HAVE_* switch can be forced from the build for distribution
 * kernels that backport an API (make KFTP_HAVE_PROC_OPS=1), see Kbuild;
 * the ones with a file in compat/probes/ are probed by default.
 */
#ifndef KFTP_COMPAT_H
#define KFTP_COMPAT_H

#include <linux/version.h>

/*
 * KFTP_VERSION_CODE comes from Kbuild's VERSION, PATCHLEVEL and SUBLEVEL
 * with 16 bits for the sublevel: LINUX_VERSION_CODE has 8, and 4.4.256 and
 * 4.9.256 overflowed into the patchlevel until 9b82f13e7ef3 ("kbuild:
 * clamp SUBLEVEL to 255") clamped it, which makes it useless for sublevel
 * tests. Without Kbuild (an in-tree build) fall back to LINUX_VERSION_CODE.
 */
#define KFTP_KVER(a, b, c)	(((a) << 24) + ((b) << 16) + (c))
#ifndef KFTP_VERSION_CODE
#define KFTP_VERSION_CODE	KFTP_KVER(LINUX_VERSION_CODE >> 16,	\
					  (LINUX_VERSION_CODE >> 8) & 0xff, \
					  LINUX_VERSION_CODE & 0xff)
#endif
#define KFTP_KERNEL_AT_LEAST(a, b, c)	(KFTP_KVER(a, b, c) <= KFTP_VERSION_CODE)

/*
 * The switches that Kbuild's compile probes set from the target tree
 * (compat/probes/, Kbuild); each header below keeps a version test for
 * any switch the probes did not set.
 */
#ifdef KFTP_PROBED
#include "kftp_probed.h"
#endif

#include "misc.h"
#include "net.h"
#include "fs.h"
#include "vfs.h"

#endif /* KFTP_COMPAT_H */
