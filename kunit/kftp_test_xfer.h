/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transfers for the KUnit suites, through kftp.ko's own entry points: a
 * request line parsed by the core, kftp_transfer_create(),
 * kftp_transfers_submit(), and the status table's view of the result.
 */
#ifndef KFTP_TEST_XFER_H
#define KFTP_TEST_XFER_H

#include <kunit/test.h>

#include "kftp.h"
#include "transfer.h"

/*
 * The kernel DNS resolver's credentials, whose thread keyring caches its
 * answers (net/dns_resolver/internal.h): a suite puts answers there.
 */
extern const struct cred *dns_resolver_cache;

/* a case of a second or more; 6.1's KUnit has no speed attribute */
#ifdef KUNIT_CASE_SLOW
#define KFTP_CASE_SLOW(test_name)	KUNIT_CASE_SLOW(test_name)
#else
#define KFTP_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

#define XFER_END_MS	10000	/* the longest any transfer of a suite may take */

int kftp_test_core_up(void);
__printf(2, 3) struct kftp_transfer *kftp_test_submit(struct kunit *test,
						      const char *fmt, ...);
void kftp_test_status(struct kftp_transfer *t, struct kftp_transfer_status *st);
bool kftp_test_wait_state(struct kftp_transfer *t, enum kftp_state state,
			  unsigned int ms);
bool kftp_test_wait_end(struct kftp_transfer *t, unsigned int ms);
void kftp_test_end(struct kftp_transfer **t);
void kftp_test_fill(u8 *p, size_t len);
int kftp_test_write_file(const char *path, const void *buf, size_t len);
void kftp_test_expect_file(struct kunit *test, const char *path,
			   const void *buf, size_t len);
int kftp_test_dir_entries(const char *path);

#endif
