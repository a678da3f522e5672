// SPDX-License-Identifier: GPL-2.0
/*
 * The w1 and old gates' self-test: warnings that kbuild's compiler flags
 * must report on every kernel.  tests/lint.sh builds this file into a
 * module of its own beside kftp, in the same make run, and fails the gate
 * when a line marked "expect" below is not reported.  "expect W=1" marks a
 * warning that only W=1 enables (before 6.8): required where the tree's
 * kbuild has W=1 at all (not 2.6.32).
 */
#include <linux/module.h>

int kftp_lint_sample_w1(int x)	/* expect W=1: -Wmissing-prototypes */
{
	int unused;		/* expect: -Wunused-variable (-Wall) */

	return x;
}

MODULE_DESCRIPTION("kftp lint self-test sample");
MODULE_LICENSE("GPL");
