/* SPDX-License-Identifier: GPL-2.0 */
struct pos_conn {
	char host[64];
	char *reply;
};
