// SPDX-License-Identifier: GPL-2.0
/*
 * The sparse gate's self-test: an address-space error that sparse must
 * report on every kernel where it runs.  tests/lint.sh builds this file
 * beside kftp, in the same make run as kftp's own sparse pass, and fails
 * the gate when the line marked "expect" is not reported.
 */
#include <linux/compiler.h>
#include <linux/types.h>

int kftp_lint_sample_sparse(int __user *p);
int kftp_lint_sample_sparse(int __user *p)
{
	int *k = p;	/* expect: different address spaces */

	return *k;
}
