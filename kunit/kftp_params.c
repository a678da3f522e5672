// SPDX-License-Identifier: GPL-2.0
/*
 * kftp.ko's module parameters, at their defaults: main.c, which defines
 * them, is not built into the KUnit kernel. A suite may change one for a
 * case and put it back.
 */
#include "kftp.h"

unsigned int kftp_max_transfers = 64;
unsigned int kftp_history = 32;
unsigned int kftp_buf_size = 256 * 1024;
unsigned int kftp_server_conns = 8;
unsigned long kftp_max_size;
