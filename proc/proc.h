/* SPDX-License-Identifier: GPL-2.0 */
/* The procfs front: /proc/kftp/request and status (proc.c). */
#ifndef KFTP_PROC_H
#define KFTP_PROC_H

#include "kftp.h"

/**
 * kftp_proc_init() - create /proc/kftp/request and /proc/kftp/status
 *
 * Module load, after kftp_transfers_init().
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_proc_init(void);

/**
 * kftp_proc_exit() - remove /proc/kftp
 *
 * Module unload, after kftp_transfers_exit(): the removal waits for the
 * writers blocked in "wait", which the cancel ended.
 */
void kftp_proc_exit(void);

#endif /* KFTP_PROC_H */
