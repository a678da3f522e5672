// SPDX-License-Identifier: GPL-2.0
/* strscpy() (4.3; RHEL 7 has it); for compat/misc.h */
#include <linux/string.h>

ssize_t kftp_probe(char *dest, const char *src, size_t count);
ssize_t kftp_probe(char *dest, const char *src, size_t count)
{
	return strscpy(dest, src, count);
}
