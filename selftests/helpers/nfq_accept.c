// SPDX-License-Identifier: GPL-2.0
/*
 * nfq_accept - an NFQUEUE verdict program that accepts every packet, like an
 * inline IPS that finds nothing wrong (selftests/40-nfqueue.sh).
 *
 *   cc -O2 -Wall -o nfq_accept nfq_accept.c -lnetfilter_queue
 *   nfq_accept -q QUEUE -o COUNTS [-r READY] [-c CPU] [-m MAXLEN]
 *
 * Binds NFQUEUE queue QUEUE (copy mode: the first 64 bytes of each packet),
 * raises the queue's length limit to MAXLEN (default 65536) and its socket
 * buffer to 16 MiB, and answers every packet with NF_ACCEPT (the packet is
 * reinjected: the remaining PRE_ROUTING hooks run in this process's
 * sendmsg(), i.e. in process context).  -c pins the process to CPU.
 *
 * COUNTS is rewritten (atomically, via rename) at most every 100 ms while
 * packets arrive, and at exit (SIGTERM/SIGINT):
 *
 *   accepted N        verdicts sent
 *   verdict_errors N  verdicts the kernel refused
 *   recv_errors N     receive errors (ENOBUFS: queue messages lost)
 *   group G N         accepted packets per destination, for the first
 *                     MAX_GROUPS (64) destinations seen (IPv4 or IPv6:
 *                     the queue gets both families, told apart by the
 *                     IP version; selftests/40-nfqueue.sh queues IPv4
 *                     with iptables, IPv6 with ip6tables)
 *
 * READY is written once the queue is bound.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define MAX_GROUPS 64

static volatile sig_atomic_t stop;
static unsigned long accepted, verdict_errors, recv_errors;
static struct {
	int family;
	unsigned char addr[16];
	unsigned long n;
} groups[MAX_GROUPS];
static unsigned int n_groups;
static int dirty = 1;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void count_group(int family, const unsigned char *addr)
{
	size_t len = family == AF_INET6 ? 16 : 4;
	unsigned int i;

	for (i = 0; i < n_groups; i++) {
		if (groups[i].family == family &&
		    !memcmp(groups[i].addr, addr, len)) {
			groups[i].n++;
			return;
		}
	}
	if (n_groups < MAX_GROUPS) {
		groups[n_groups].family = family;
		memcpy(groups[n_groups].addr, addr, len);
		groups[n_groups++].n = 1;
	}
}

static void write_counts(const char *path)
{
	char tmp[4096], a[INET6_ADDRSTRLEN];
	unsigned int i;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		exit(1);
	}
	fprintf(f, "accepted %lu\nverdict_errors %lu\nrecv_errors %lu\n",
		accepted, verdict_errors, recv_errors);
	for (i = 0; i < n_groups; i++) {
		inet_ntop(groups[i].family, groups[i].addr, a, sizeof(a));
		fprintf(f, "group %s %lu\n", a, groups[i].n);
	}
	if (fclose(f) || rename(tmp, path)) {
		perror(path);
		exit(1);
	}
	dirty = 0;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	unsigned char *pkt;
	int len;

	(void)nfmsg;
	(void)data;
	if (!ph)
		return 0;
	len = nfq_get_payload(nfa, &pkt);
	if (len >= 20 && (pkt[0] >> 4) == 4)
		count_group(AF_INET, pkt + 16);
	else if (len >= 40 && (pkt[0] >> 4) == 6)
		count_group(AF_INET6, pkt + 24);
	if (nfq_set_verdict(qh, ntohl(ph->packet_id), NF_ACCEPT, 0, NULL) < 0)
		verdict_errors++;
	else
		accepted++;
	dirty = 1;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *ready = NULL;
	unsigned int queue = 0, maxlen = 65536;
	static char buf[65536 + 4096];
	struct nfq_q_handle *qh;
	struct nfq_handle *h;
	int cpu = -1, opt, fd, bufsz = 16 << 20;
	struct sigaction sa;
	double last = 0;

	while ((opt = getopt(argc, argv, "q:o:r:c:m:")) != -1) {
		switch (opt) {
		case 'q': queue = strtoul(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		case 'r': ready = optarg; break;
		case 'c': cpu = atoi(optarg); break;
		case 'm': maxlen = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s -q QUEUE -o COUNTS [-r READY] [-c CPU] [-m MAXLEN]\n",
				argv[0]);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "%s: -o COUNTS is required\n", argv[0]);
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("sched_setaffinity");
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	h = nfq_open();
	if (!h) {
		perror("nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, queue, on_packet, NULL);
	if (!qh) {
		perror("nfq_create_queue");
		return 1;
	}
	if (nfq_set_mode(qh, NFQNL_COPY_PACKET, 64) < 0) {
		perror("nfq_set_mode");
		return 1;
	}
	if (nfq_set_queue_maxlen(qh, maxlen) < 0) {
		perror("nfq_set_queue_maxlen");
		return 1;
	}
	fd = nfq_fd(h);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz)))
		perror("SO_RCVBUFFORCE");
	write_counts(out);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f)) {
			perror(ready);
			return 1;
		}
	}

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, 100), rv;

		if (n > 0) {
			rv = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (rv > 0) {
				nfq_handle_packet(h, buf, rv);
			} else if (rv < 0 && errno != EAGAIN && errno != EINTR) {
				recv_errors++;
				dirty = 1;
			}
		}
		if (dirty && (n <= 0 || now() - last >= 0.1)) {
			write_counts(out);
			last = now();
		}
	}
	write_counts(out);
	nfq_destroy_queue(qh);
	nfq_close(h);
	return 0;
}
