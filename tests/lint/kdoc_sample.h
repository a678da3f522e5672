/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kdoc gate's self-test, with kdoc_sample.c: scripts/kernel-doc must
 * report each line marked "expect: kernel-doc", the gate each function
 * marked "expect: no kernel-doc", and nothing else. Never compiled.
 */
#ifndef KFTP_KDOC_SAMPLE_H
#define KFTP_KDOC_SAMPLE_H

/**
 * kftp_kdoc_sample_sum() - @b and the return value not described
 * @a: a number
 */
int kftp_kdoc_sample_sum(int a, int b);	/* expect: kernel-doc */

/**
 * kftp_kdoc_sample_old() - a block left over from a rename
 * @x: a number
 */
void kftp_kdoc_sample_new(int x);	/* expect: kernel-doc */

/* kftp_kdoc_sample_bare() - a plain comment is no kernel-doc */
int kftp_kdoc_sample_bare(int x);

/**
 * kftp_kdoc_sample_good() - documented where it is declared: no finding
 * @x: a number
 *
 * Return: @x.
 */
int kftp_kdoc_sample_good(int x);

#endif
