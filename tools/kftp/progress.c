// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line of a transfer, fitted to the terminal's width, and the
 * current rate it shows.  The status table's RATE is the average since the
 * connection; the line shows the rate of the last seconds, and the time
 * left at that rate.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "tool.h"

#define BAR_MIN		8	/* a bar narrower than this says nothing */
#define BAR_MAX		30
#define NAME_MIN	12	/* columns a name keeps before the bar goes */
#define RATE_WINDOW	3.0	/* seconds the current rate looks back */

int term_width(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_col)
		return 80;
	return ws.ws_col;
}

const char *human(long long v, char *s, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = v;
	int i = 0;

	while (d >= 1024 && i < 4) {
		d /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(s, size, "%lld B", v);
	else
		snprintf(s, size, "%.1f %s", d, unit[i]);
	return s;
}

void eta(long long secs, char *s, size_t size)
{
	if (secs < 0)
		snprintf(s, size, "--:--");
	else if (secs >= 3600)
		snprintf(s, size, "%lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(s, size, "%02lld:%02lld", secs / 60, secs % 60);
}

/*
 * A sample of the bytes at time @t.  The rate is taken over the oldest
 * sample at most RATE_WINDOW seconds back, so one slow poll does not make
 * it jump.
 */
void rate_sample(struct rate *r, long long bytes, double t)
{
	int i;

	if (bytes < 0)
		return;
	if (r->n == RATE_SAMPLES) {
		memmove(r->t, r->t + 1, sizeof(r->t[0]) * (RATE_SAMPLES - 1));
		memmove(r->b, r->b + 1, sizeof(r->b[0]) * (RATE_SAMPLES - 1));
		r->n--;
	}
	r->t[r->n] = t;
	r->b[r->n++] = bytes;
	for (i = 0; i < r->n - 1 && t - r->t[i] > RATE_WINDOW; i++)
		;
	r->now = t > r->t[i] ? (long long)((bytes - r->b[i]) / (t - r->t[i])) : -1;
}

/* columns of UTF-8 text: one per character */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* @name in @w columns, padded; a cut name keeps its end, after "…" */
static void fit_name(char *out, size_t size, const char *name, size_t w)
{
	size_t n = columns(name), skip;

	if (n <= w) {
		snprintf(out, size, "%s%*s", name, (int)(w - n), "");
		return;
	}
	if (!w) {
		out[0] = '\0';
		return;
	}
	for (skip = n - (w - 1); skip; name++)
		if (((unsigned char)name[1] & 0xc0) != 0x80)
			skip--;
	snprintf(out, size, "\u2026%s", name);
}

/* the first of @n formats of the stats that leaves NAME_MIN columns in @room */
static void pick(char *stats, size_t size, int room, const char *const *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		snprintf(stats, size, "%s", v[i]);
		if ((int)strlen(stats) + NAME_MIN <= room)
			return;
	}
}

void progress_line(char *out, size_t size, int width, const char *name,
		   const struct progress *p)
{
	char b[32], t[32], rt[32], e[32], stats[3][160], bar[BAR_MAX + 3], nm[1024], st[160];
	int pct = -1, fill, i, room, avail, want, barw = 0, namew;
	const char *v[3];

	human(p->bytes > 0 ? p->bytes : 0, b, sizeof(b));
	human(p->rate > 0 ? p->rate : 0, rt, sizeof(rt));
	if (p->total > 0)
		pct = (int)(p->bytes * 100 / p->total);
	else if (p->total == 0 && p->final)
		pct = 100;
	eta(p->rate > 0 && p->total >= p->bytes ?
	    (p->total - p->bytes + p->rate - 1) / p->rate : -1, e, sizeof(e));
	/* the last column stays free: a full line would wrap on some terminals */
	room = width - 1;
	/* what goes first as the width shrinks: the sizes, then the rate */
	if (pct < 0) {
		snprintf(stats[0], sizeof(stats[0]), "  %s  %s  %s/s", p->state, b, rt);
		snprintf(stats[1], sizeof(stats[1]), "  %s  %s/s", b, rt);
		snprintf(stats[2], sizeof(stats[2]), "  %s", b);
	} else {
		snprintf(stats[0], sizeof(stats[0]), " %3d%%  %s / %s  %s/s  ETA %s", pct, b,
			 human(p->total, t, sizeof(t)), rt, e);
		snprintf(stats[1], sizeof(stats[1]), " %3d%%  %s/s  ETA %s", pct, rt, e);
		snprintf(stats[2], sizeof(stats[2]), " %3d%%", pct);
	}
	for (i = 0; i < 3; i++)
		v[i] = stats[i];
	pick(st, sizeof(st), room, v, 3);
	avail = room - (int)strlen(st);
	/* the name whole if it fits, padded to align; then a bar; else both cut */
	want = (int)columns(name) < 16 ? 16 : (int)columns(name);
	if (pct >= 0 && avail - want - 1 >= BAR_MIN + 2) {
		barw = avail - want - 1 > BAR_MAX + 2 ? BAR_MAX + 2 : avail - want - 1;
		namew = want;
	} else if (pct >= 0 && avail - NAME_MIN - 1 >= BAR_MIN + 2) {
		barw = BAR_MIN + 2;
		namew = avail - barw - 1;
	} else {
		namew = avail < want ? avail : want;
	}
	if (namew < 1)
		namew = 1;
	fit_name(nm, sizeof(nm), name, namew);
	if (barw) {
		bar[0] = '[';
		fill = pct * (barw - 2) / 100;
		for (i = 0; i < barw - 2; i++)
			bar[i + 1] = i < fill ? '#' : (i == fill && pct < 100 ? '>' : ' ');
		bar[barw - 1] = ']';
		bar[barw] = '\0';
		snprintf(out, size, "%s %s%s", nm, bar, st);
	} else {
		snprintf(out, size, "%s%s", nm, st);
	}
	/* a terminal too narrow for even that: cut, at a character */
	for (i = 0, want = 0; out[i]; i++) {
		if (((unsigned char)out[i] & 0xc0) != 0x80 && ++want > room) {
			out[i] = '\0';
			break;
		}
	}
}
