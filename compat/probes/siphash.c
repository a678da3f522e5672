// SPDX-License-Identifier: GPL-2.0
/* siphash() (4.11; 4.9.229 and RHEL 7 have it); for compat/vfs.h */
#include <linux/siphash.h>

u64 kftp_probe(const void *data, size_t len, const siphash_key_t *key);
u64 kftp_probe(const void *data, size_t len, const siphash_key_t *key)
{
	return siphash(data, len, key);
}
