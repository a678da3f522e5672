/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the kftp command's files: kftp.c, check.c, progress.c. */
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

/* ---- progress.c ---- */

#define RATE_SAMPLES	32

/* the current rate, from the last samples of a transfer's bytes */
struct rate {
	double t[RATE_SAMPLES];
	long long b[RATE_SAMPLES];
	int n;
	long long now;		/* bytes per second; -1: not known yet */
};

/* what one progress line shows */
struct progress {
	const char *state;
	long long bytes;
	long long total;	/* -1: unknown */
	long long rate;		/* -1: unknown */
	int final;
};

/* term_width() - the columns of the terminal on @fd, else 80 */
int term_width(int fd);
/* human() - @v bytes as "12.0 MiB" in @s */
const char *human(long long v, char *s, size_t size);
/* eta() - @secs as MM:SS or H:MM:SS, "--:--" when negative */
void eta(long long secs, char *s, size_t size);
/* rate_sample() - note @bytes at time @t (seconds) and update ->now */
void rate_sample(struct rate *r, long long bytes, double t);
/*
 * progress_line() - one line of progress in fewer than @width columns:
 *	NAME [#######>      ]  37%  12.0 MiB / 32.0 MiB  4.1 MiB/s  ETA 00:05
 * The bar, then the sizes and the rate go as the width shrinks; a cut
 * name keeps its end, after "…".
 */
void progress_line(char *out, size_t size, int width, const char *name,
		   const struct progress *p);

#endif
