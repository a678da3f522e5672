// SPDX-License-Identifier: GPL-2.0
/*
 * Prints src/options.c's option table, one option a line, for
 * tests/options/check.sh: NAME KIND VERBS MIN MAX CHOICE...
 * (VERBS: get,list,put as the table allows them).
 */
#include <stdio.h>

#include "../../src/proto.h"

static const char *const kinds[] = {
	[KFTP_OPTK_FLAG] = "flag", [KFTP_OPTK_UINT] = "uint",
	[KFTP_OPTK_BYTES] = "bytes", [KFTP_OPTK_CHOICE] = "choice",
	[KFTP_OPTK_ADDR] = "addr", [KFTP_OPTK_SHA256] = "sha256",
	[KFTP_OPTK_ADDRS] = "addrs", [KFTP_OPTK_HOST] = "host",
};

int main(void)
{
	static const struct { enum kftp_verb v; const char *name; } verbs[] = {
		{ KFTP_VERB_GET, "get" }, { KFTP_VERB_LIST, "list" },
		{ KFTP_VERB_PUT, "put" },
	};
	const struct kftp_option_spec *o;
	unsigned int i, j;
	const char *sep;

	for (i = 0; i < KFTP_OPT_COUNT; i++) {
		o = &kftp_request_options[i];
		printf("%s %s ", o->name, kinds[o->kind]);
		sep = "";
		for (j = 0; j < ARRAY_SIZE(verbs); j++) {
			if (o->verbs & (1U << verbs[j].v)) {
				printf("%s%s", sep, verbs[j].name);
				sep = ",";
			}
		}
		printf(" %llu %llu", (unsigned long long)o->min,
		       (unsigned long long)o->max);
		for (j = 0; j < ARRAY_SIZE(o->choices) && o->choices[j]; j++)
			printf(" %s", o->choices[j]);
		printf("\n");
	}
	return 0;
}
