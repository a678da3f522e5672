// SPDX-License-Identifier: GPL-2.0
/* Transfers for the KUnit suites (kftp_test_xfer.h). */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "kftp_test_xfer.h"

/*
 * The core as kftp.ko's init brings it up, once for every suite:
 * kftp_transfers_exit() is an unload, after which no request is taken, so
 * the suites share one core as the transfers of one loaded module do. UML
 * boots with lo down, and the servers are on 127.0.0.1.
 */
int kftp_test_core_up(void)
{
	static bool up;
	int err;

	if (up)
		return 0;
	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	if (!err)
		err = kftp_transfers_init();
	up = !err;
	return err;
}

/* A request line, as /proc/kftp/request takes it, queued. */
struct kftp_transfer *kftp_test_submit(struct kunit *test, const char *fmt, ...)
{
	struct kftp_request *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);
	const char *reason = NULL;
	struct kftp_transfer *t;
	char line[256];
	unsigned int busy;
	va_list ap;
	u64 bad;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, req);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	KUNIT_ASSERT_EQ_MSG(test, kftp_request_parse(line, strlen(line), req, &reason),
			    0, "%s", reason);
	t = kftp_transfer_create(req, &reason);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, t, "%s", reason);
	err = kftp_transfers_submit(&t, 1, NULL, 0, &init_net, NULL, &bad,
				    &busy);
	if (err)
		kftp_transfer_put(t);
	KUNIT_ASSERT_EQ(test, err, 0);
	return t;
}

/* What the status table shows, the strings left out. */
void kftp_test_status(struct kftp_transfer *t, struct kftp_transfer_status *st)
{
	mutex_lock(&kftp_lock);
	kftp_transfer_status(t, &init_net, st);
	mutex_unlock(&kftp_lock);
	st->url = NULL;
	st->path = NULL;
	st->reply = NULL;
}

/* Wait at most @ms for @t to be in @state. */
bool kftp_test_wait_state(struct kftp_transfer *t, enum kftp_state state,
			  unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	struct kftp_transfer_status st;

	for (;;) {
		kftp_test_status(t, &st);
		if (st.state == state)
			return true;
		if (time_after(jiffies, end))
			return false;
		usleep_range(5000, 10000);
	}
}

bool kftp_test_wait_end(struct kftp_transfer *t, unsigned int ms)
{
	return wait_for_completion_timeout(&t->done, msecs_to_jiffies(ms));
}

/* A case's end: cancel what still runs, let it end, drop the reference. */
void kftp_test_end(struct kftp_transfer **t)
{
	if (!*t)
		return;
	kftp_transfer_cancel(*t);
	/* a worker that never ends: keep the reference rather than free it */
	if (kftp_test_wait_end(*t, XFER_END_MS))
		kftp_transfer_put(*t);
	*t = NULL;
}

void kftp_test_fill(u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (i * 2654435761u) >> 24;
}

int kftp_test_write_file(const char *path, const void *buf, size_t len)
{
	struct file *f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, buf, len, &pos);
	fput(f);
	return n == len ? 0 : n < 0 ? n : -EIO;
}

/* The file at @path is @len bytes, @buf's. */
void kftp_test_expect_file(struct kunit *test, const char *path,
			   const void *buf, size_t len)
{
	u8 *got = vmalloc(len + 1);
	loff_t pos = 0;
	struct file *f;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, got);
	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(f))
		vfree(got);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	n = kernel_read(f, got, len + 1, &pos);
	fput(f);
	KUNIT_EXPECT_EQ(test, n, (ssize_t)len);
	if (n == len)
		KUNIT_EXPECT_EQ(test, memcmp(got, buf, len), 0);
	vfree(got);
}

struct dir_count {
	struct dir_context ctx;
	int n;
};

static bool count_entry(struct dir_context *ctx, const char *name, int len,
			loff_t pos, u64 ino, unsigned int type)
{
	struct dir_count *c = container_of(ctx, struct dir_count, ctx);

	if (!(len == 1 && name[0] == '.') && !(len == 2 && !memcmp(name, "..", 2)))
		c->n++;
	return true;
}

/* The entries of directory @path, "." and ".." left out; or -errno. */
int kftp_test_dir_entries(const char *path)
{
	struct dir_count c = { .ctx.actor = count_entry };
	struct file *f = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
	int err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = iterate_dir(f, &c.ctx);
	fput(f);
	return err ? err : c.n;
}
