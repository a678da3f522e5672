// SPDX-License-Identifier: GPL-2.0
/* The kdoc gate's self-test: see kdoc_sample.h. Never compiled. */
#include "kdoc_sample.h"

/* static: seen by this file only, so it needs no kernel-doc */
static int twice(int x)
{
	return 2 * x;
}

int kftp_kdoc_sample_sum(int a, int b)
{
	return a + b;
}

void kftp_kdoc_sample_new(int x)	/* expect: no kernel-doc (its block names another) */
{
}

int kftp_kdoc_sample_good(int x)
{
	return x;
}

/**
 * kftp_kdoc_sample_here() - documented where it is defined: no finding
 * @x: a number
 *
 * Return: twice @x.
 */
int kftp_kdoc_sample_here(int x)
{
	return twice(x);
}

/**
 * kftp_kdoc_sample_excess() - a parameter that is not there
 * @y: a number
 *
 * Return: @x.
 *
 * On one line: kernel-doc reports a definition at its "{".
 */
int kftp_kdoc_sample_excess(int x) { return x; }	/* expect: kernel-doc */

int kftp_kdoc_sample_bare(int x)	/* expect: no kernel-doc */
{
	return x;
}

unsigned int
kftp_kdoc_sample_split(const char *s,	/* expect: no kernel-doc */
		       unsigned int n)
{
	return s[0] + n;
}
