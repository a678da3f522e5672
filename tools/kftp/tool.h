/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the kftp command's files: kftp.c, check.c. */
#ifndef KFTP_TOOL_H
#define KFTP_TOOL_H

#include <stddef.h>

/*
 * check_line() - parse a request line as the module will
 * @line: the line, without its newline
 * @len: its length
 * @reason: set to the parser's reason when it refuses the line
 *
 * Return: 0, or -1 with *@reason set.
 */
int check_line(const char *line, size_t len, const char **reason);

/* is_request_option() - 1 when @word is a request option (NAME or NAME=...) */
int is_request_option(const char *word);

#endif
