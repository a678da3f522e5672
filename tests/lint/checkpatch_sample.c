// SPDX-License-Identifier: GPL-2.0
/*
 * The checkpatch gate's self-test: checkpatch must report the line marked
 * "expect" (an ERROR), in the same run that checks kftp's files.
 */

static int kftp_lint_sample_checkpatch(int x)
{
	if(x)	/* expect: ERROR:SPACING */
		return 1;
	return 0;
}
