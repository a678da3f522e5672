/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp compat: <linux/sizes.h> for kernels without it. 3.6 moved
 * asm-generic/sizes.h there (commit unverified); 2.6.32.69 has neither on
 * x86. The kernel's include path comes before kftp's (-I compat), so this
 * file is only read where the kernel has no <linux/sizes.h>.
 */
#ifndef KFTP_COMPAT_LINUX_SIZES_H
#define KFTP_COMPAT_LINUX_SIZES_H

#define SZ_64K	0x00010000
#define SZ_1M	0x00100000

#endif /* KFTP_COMPAT_LINUX_SIZES_H */
