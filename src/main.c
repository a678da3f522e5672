// SPDX-License-Identifier: GPL-2.0
/*
 * kftp: an FTP client in the kernel. Requests are written to
 * /proc/kftp/request and followed in /proc/kftp/status.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "kftp.h"
#include "transfer.h"
#include "../proc/proc.h"

unsigned int kftp_max_transfers = 64;
module_param_named(max_transfers, kftp_max_transfers, uint, 0444);
MODULE_PARM_DESC(max_transfers, "Transfers queued or running at once (1-4096, default 64)");

unsigned int kftp_history = 32;
module_param_named(history, kftp_history, uint, 0444);
MODULE_PARM_DESC(history, "Finished transfers kept in the status table (0-4096, default 32)");

unsigned int kftp_buf_size = 256 * 1024;
module_param_named(buf_size, kftp_buf_size, uint, 0444);
MODULE_PARM_DESC(buf_size, "Data buffer per transfer in bytes (4096-16777216, default 262144)");

unsigned int kftp_server_conns = 8;
module_param_named(server_conns, kftp_server_conns, uint, 0444);
MODULE_PARM_DESC(server_conns, "Control connections per server and account, reused across transfers (1-256, default 8)");

unsigned long kftp_max_size;
module_param_named(max_size, kftp_max_size, ulong, 0644);
MODULE_PARM_DESC(max_size, "Largest file a transfer may write, in bytes, failing with EFBIG (0: no limit, the default)");

static int __init kftp_init(void)
{
	int err;

	if (kftp_max_transfers < 1 || kftp_max_transfers > 4096 ||
	    kftp_history > 4096 ||
	    kftp_server_conns < 1 || kftp_server_conns > 256 ||
	    kftp_buf_size < 4096 || kftp_buf_size > 16 << 20) {
		pr_err("module parameter out of range\n");
		return -EINVAL;
	}
	err = kftp_transfers_init();
	if (err)
		return err;
	err = kftp_proc_init();
	if (err)
		kftp_transfers_exit();
	return err;
}

static void __exit kftp_exit(void)
{
	/* cancel first: proc removal waits for writers blocked in "wait" */
	kftp_transfers_exit();
	kftp_proc_exit();
}

module_init(kftp_init);
module_exit(kftp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("In-kernel FTP client driven through /proc/kftp");
MODULE_AUTHOR("The kftp developers");
MODULE_VERSION(KFTP_VERSION);
