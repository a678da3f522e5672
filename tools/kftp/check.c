// SPDX-License-Identifier: GPL-2.0
/*
 * The module's own request parser (src/request.c, options.c, url.c: plain C on
 * src/proto.h), built into the command: a line it refuses is refused here
 * with the parser's reason before anything is written.  The module parses
 * the line again and stays the authority; only its namespaces can tell
 * whether a zone or a local path exists.
 */
#define _GNU_SOURCE
#include <string.h>

#include "proto.h"
#include "tool.h"

int check_line(const char *line, size_t len, const char **reason)
{
	static struct kftp_request req;
	int err;

	*reason = NULL;
	err = kftp_request_parse(line, len, &req, reason);
	/* the line held the password */
	explicit_bzero(&req, sizeof(req));
	return err < 0 ? -1 : 0;
}

int is_request_option(const char *word)
{
	const char *val;

	return kftp_request_find_option(word, &val) >= 0;
}
