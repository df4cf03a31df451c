/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mfwdctl - control the mfwd IPv4 multicast forwarding module.
 */
#ifndef MFWDCTL_H
#define MFWDCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#define MFWDCTL_VERSION "0.1"

/* exit codes */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct opts {
	bool json;
	bool pretty;
	int stats;
	bool force;
	const char *netns;
	const char *batch;
	const char *conf;
};

extern struct opts opts;
/* line number of the batch line being run, 0 outside batch mode */
extern int cur_line;

/* util.c */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *obj, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct keyword {
	const char *word;
	int id;
};

#define KW_NONE (-1)
#define KW_AMBIGUOUS (-2)
int match_keyword(const char *arg, const struct keyword *kw, int n);
const char *keyword_candidates(const char *arg, const struct keyword *kw,
			       int n);
int keyword_err(const char *obj, const char *what, const char *arg,
		const struct keyword *kw, int n, int res);
int ifname_to_index(const char *name, uint32_t *ifindex);
const char *ifindex_name(uint32_t ifindex, char *buf, size_t len);
#define IFNAME_BUF (IF_NAMESIZE + 16)
int parse_u32(const char *s, uint32_t max, uint32_t *val);
int parse_group(const char *s, uint32_t *addr);
int parse_source(const char *s, uint32_t *addr);
const char *addr_str(uint32_t addr, char *buf);
void print_idle(uint64_t ms, char *buf, size_t len);
int dev_arg(const char *name, uint32_t *ifindex);
extern bool ifcache_off;

/* json.c */
void json_set_pretty(bool pretty);
void json_open_array(const char *key);
void json_close_array(void);
void json_open_object(const char *key);
void json_close_object(void);
void json_str(const char *key, const char *val);
void json_u64(const char *key, uint64_t val);
void json_bool(const char *key, bool val);
void json_end(void);

/* nl.c */
typedef int (*nl_data_cb)(const struct nlmsghdr *nlh, void *data);

int nl_open(void);
void nl_close(void);
struct nlmsghdr *nl_msg(uint8_t cmd, uint16_t flags);
void nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v);
void nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v);
void nl_put_flag(struct nlmsghdr *nlh, uint16_t type);
struct nlattr *nl_nest_start(struct nlmsghdr *nlh, uint16_t type);
void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *nest);
int nl_request(struct nlmsghdr *nlh);
/* an errno that requests queued from now on do not report as an error */
extern int nl_ignore_errno;
int nl_query(struct nlmsghdr *nlh, nl_data_cb cb, void *data);
int nl_batch_begin(void);
int nl_batch_flush(void);
int nl_batch_failed(void);
int nl_subscribe_events(void);
int nl_monitor(nl_data_cb cb, void *data);
void *nl_payload(const struct nlmsghdr *nlh);
size_t nl_hdrlen(void);
/* parse a message's attributes into tb[MFWD_A_MAX + 1] */
int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
uint64_t nl_get_uint(const struct nlattr *a);
uint32_t nl_get_addr(const struct nlattr *a);

/* commands */
int do_vif(int argc, char **argv);
int do_route(int argc, char **argv);
int do_flush(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_config(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_conf_file(const char *file);

/* printers shared by show and monitor */
void print_vif(const struct nlattr **tb, const char *prefix);
void json_vif(const struct nlattr **tb);
void print_route(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 const char *prefix);
void json_route(const struct nlmsghdr *nlh, const struct nlattr **tb);
void json_vif_fields(const struct nlattr **tb);
void json_route_fields(const struct nlmsghdr *nlh, const struct nlattr **tb);

/* main.c */
int run_command(int argc, char **argv);
int split_line(char *line, char **argv, int max);
int worse(int a, int b);
/* usage text of an object ("" for all) to stdout or stderr */
void print_usage(const char *obj, bool to_stderr);

#endif /* MFWDCTL_H */
