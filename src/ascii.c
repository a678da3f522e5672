// SPDX-License-Identifier: GPL-2.0
/*
 * type=ascii: the line ends of RFC 959 section 3.1.1.1. The data
 * connection carries CR LF; the local file has LF, the Unix convention.
 * A CR LF may be split between two buffers, so each direction keeps
 * whether the last byte it saw was a CR.
 */
#include "proto.h"

size_t kftp_ascii_from_net(struct kftp_ascii *st, char *out, const char *in,
			   size_t len)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len; i++) {
		/* read before anything is written: @out may be @in - 1 */
		c = in[i];
		/* the CR held back was not the start of a line end */
		if (st->cr && c != '\n')
			out[n++] = '\r';
		st->cr = c == '\r';
		if (!st->cr)
			out[n++] = c;
	}
	return n;
}

size_t kftp_ascii_from_net_end(struct kftp_ascii *st, char *out)
{
	if (!st->cr)
		return 0;
	st->cr = false;
	*out = '\r';
	return 1;
}

size_t kftp_ascii_to_net(struct kftp_ascii *st, char *out, const char *in,
			 size_t len)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len; i++) {
		/* read before anything is written: see proto.h */
		c = in[i];
		/* a CR LF of the file's is a line end already */
		if (c == '\n' && !st->cr)
			out[n++] = '\r';
		out[n++] = c;
		st->cr = c == '\r';
	}
	return n;
}
