// SPDX-License-Identifier: GPL-2.0
/*
 * wirecap - what crosses the loopback wire: the TCP payload bytes.
 *
 *   wirecap FILE MAXBYTES SECS
 *
 * Reads every IPv4 and IPv6 TCP packet on lo from a packet socket and
 * appends its payload to FILE, both directions, in the order seen, until
 * MAXBYTES are written, SECS have passed, or SIGTERM/SIGINT comes (then
 * it keeps what its socket has queued already).  Says
 * "wirecap: ready" on stderr once the socket sees packets, and how many
 * bytes it kept at the end.  On lo each packet is seen twice (out, then
 * in): only the incoming copy is kept.  Segments that lo carries whole
 * (GSO, up to 64 KiB) come as one packet.
 *
 * Guest-only test tool: its loop ends at SECS at the latest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKT_MAX		(65536 + 256)
#define RCVBUF		(16 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* the TCP payload of an IP packet of @len bytes, or NULL */
static const unsigned char *tcp_payload(const unsigned char *pkt, size_t len,
					unsigned short proto, size_t *plen)
{
	const struct tcphdr *th;
	size_t hl, tot;

	if (proto == ETH_P_IP) {
		const struct iphdr *ip = (const void *)pkt;

		if (len < sizeof(*ip) || ip->protocol != IPPROTO_TCP)
			return NULL;
		hl = ip->ihl * 4;
		tot = ntohs(ip->tot_len);
	} else if (proto == ETH_P_IPV6) {
		const struct ip6_hdr *ip6 = (const void *)pkt;

		if (len < sizeof(*ip6) || ip6->ip6_nxt != IPPROTO_TCP)
			return NULL;
		hl = sizeof(*ip6);
		tot = hl + ntohs(ip6->ip6_plen);
	} else {
		return NULL;
	}
	if (tot > len || tot < hl + sizeof(*th))
		tot = len;
	if (len < hl + sizeof(*th))
		return NULL;
	th = (const void *)(pkt + hl);
	hl += th->doff * 4;
	if (hl > tot)
		return NULL;
	*plen = tot - hl;
	return pkt + hl;
}

int main(int argc, char **argv)
{
	static unsigned char pkt[PKT_MAX];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	struct pollfd pfd = { .events = POLLIN };
	unsigned long long max, kept = 0;
	const unsigned char *p;
	socklen_t sl;
	time_t end;
	size_t plen;
	ssize_t n;
	int fd, sz = RCVBUF;
	FILE *out;

	if (argc != 4) {
		fprintf(stderr, "usage: wirecap FILE MAXBYTES SECS\n");
		return 2;
	}
	max = strtoull(argv[2], NULL, 10);
	end = time(NULL) + atoi(argv[3]);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	out = fopen(argv[1], "w");
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	sll.sll_ifindex = if_nametoindex("lo");
	if (!out || fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("wirecap");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	pfd.fd = fd;
	fprintf(stderr, "wirecap: ready\n");
	/* once told to stop, only what is queued already */
	while (kept < max && time(NULL) < end) {
		if (poll(&pfd, 1, stop ? 0 : 200) != 1) {
			if (stop)
				break;
			continue;
		}
		sl = sizeof(sll);
		n = recvfrom(fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
		if (n <= 0 || sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		p = tcp_payload(pkt, n, ntohs(sll.sll_protocol), &plen);
		if (!p || !plen)
			continue;
		if (plen > max - kept)
			plen = max - kept;
		if (fwrite(p, 1, plen, out) != plen)
			break;
		kept += plen;
	}
	fclose(out);
	fprintf(stderr, "wirecap: %llu bytes\n", kept);
	return 0;
}
