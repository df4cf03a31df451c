/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mfwdctl - control the mfwd IPv4 and IPv6 multicast forwarding module.
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
	int family; /* -4, -6: AF_INET, AF_INET6; 0: both */
	bool has_table; /* -t ID */
	uint32_t table;
};

extern struct opts opts;
/* line number of the batch line being run, 0 outside batch mode */
extern int cur_line;
/* file of that line when it is not the batch file (smcroute.conf, include) */
extern const char *cur_file;

/* util.c */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* when set, messages go here ("FILE:LINE: text") instead of stderr */
extern void (*msg_hook)(bool error, const char *msg);
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
int parse_u64(const char *s, uint64_t *val);
int parse_duration_ms(const char *s, uint32_t min, uint32_t max, uint32_t *ms);
#define DURATION_BUF 32
const char *duration_str(uint64_t ms, char *buf, size_t len);
/* the ranges of the kernel's durations, in ms: a meter's interval and a
 * route's idle timeout; a single-interface VIF's duplicate window
 */
#define PERIOD_MIN_MS 100
#define PERIOD_MAX_MS 86400000
#define DUP_WINDOW_MIN_MS 10
#define DUP_WINDOW_MAX_MS 10000
void print_idle(uint64_t ms, char *buf, size_t len);
int dev_arg(const char *name, uint32_t *ifindex);
extern bool ifcache_off;

/* the table of a command: its "table ID", else -t ID, else none (0) */
struct table_arg {
	bool given; /* "table ID" on the command line */
	bool set; /* given, or -t: requests carry TABLE, dumps filter */
	uint32_t id;
};

int parse_table(const char *obj, const char *s, uint32_t *id);
void table_init(struct table_arg *t);
int table_arg(const char *obj, const char *val, struct table_arg *t);
int table_word(const char *obj, int argc, char **argv, int *i,
	       struct table_arg *t);

/* addr.c: IPv4 and IPv6 addresses */
struct inet_addr {
	int family; /* AF_INET, AF_INET6; 0: "any" of no family yet */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

#define ADDR_BUF INET6_ADDRSTRLEN
int addr_parse(const char *s, struct inet_addr *a);
size_t addr_size(const struct inet_addr *a);
int addr_bits(const struct inet_addr *a);
bool addr_is_any(const struct inet_addr *a);
bool addr_is_multicast(const struct inet_addr *a);
void addr_set_family(struct inet_addr *a, int family);
bool addr_eq(const struct inet_addr *a, const struct inet_addr *b);
void addr_mask(struct inet_addr *a, int len);
bool addr_in_prefix(const struct inet_addr *a, const struct inet_addr *net,
		    int len);
const char *family_name(int family);
const char *addr_str(const struct inet_addr *a, char *buf);
const char *addr_ntop(const struct inet_addr *a, char *buf);
int parse_group(const char *s, struct inet_addr *a);
int parse_source(const char *s, struct inet_addr *a);
int addr_pair_check(struct inet_addr *src, const struct inet_addr *grp);
#define PREFIX_BUF (ADDR_BUF + 4)
int parse_prefix(const char *s, bool group, struct inet_addr *a, int *len);
const char *prefix_str(const struct inet_addr *a, int len, char *buf);
int parse_family(const char *obj, const char *s, int *family);

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
void nl_put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v);
void nl_put_flag(struct nlmsghdr *nlh, uint16_t type);
struct nlattr *nl_nest_start(struct nlmsghdr *nlh, uint16_t type);
void nl_nest_end(struct nlmsghdr *nlh, struct nlattr *nest);
int nl_request(struct nlmsghdr *nlh);
/* a ROUTE_ADD or ROUTE_DEL of one route: in batch mode, one of a batch */
struct nlmsghdr *nl_route_msg(uint8_t cmd);
int nl_route_request(struct nlmsghdr *nlh);
/* an errno that requests queued from now on do not report as an error */
extern int nl_ignore_errno;
int nl_query(struct nlmsghdr *nlh, nl_data_cb cb, void *data);
/* nl_query() for "show": with -j the replies are one JSON array */
int nl_show(struct nlmsghdr *nlh, nl_data_cb cb, void *data);
int nl_batch_begin(void);
int nl_batch_flush(void);
int nl_batch_failed(void);
int nl_subscribe_events(void);
int nl_monitor(nl_data_cb cb, void *data);
/* errno of the last request's ack (0: none), for requests sent one by one */
extern int nl_last_errno;
int nl_events_open(void);
int nl_events_read(nl_data_cb cb, void *data);
void nl_events_close(void);
void *nl_payload(const struct nlmsghdr *nlh);
size_t nl_hdrlen(void);
/* parse a message's attributes into tb[MFWD_A_MAX + 1] */
int nl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb);
uint64_t nl_get_uint(const struct nlattr *a);
void nl_put_addr(struct nlmsghdr *nlh, bool group, const struct inet_addr *a);
void nl_put_sg(struct nlmsghdr *nlh, const struct inet_addr *src,
	       const struct inet_addr *grp);
void nl_put_plen(struct nlmsghdr *nlh, int src_len, int grp_len);
int nl_get_plen(const struct nlattr **tb, bool group);
int nl_route_plen(const struct nlattr **tb, bool group,
		  const struct inet_addr *a);
int nl_get_sg(const struct nlattr **tb, struct inet_addr *src,
	      struct inet_addr *grp);
void nl_put_table(struct nlmsghdr *nlh, const struct table_arg *t);
uint32_t nl_get_table(const struct nlattr **tb);
bool table_matches(const struct table_arg *t, const struct nlattr **tb);

/* route.c: a route's key, for the commands of other objects that name a
 * route (meter), as "route del" takes it
 */
struct route_key {
	bool has_group; /* else a filter of a dump: family and table */
	struct inet_addr group, source;
	int group_len, source_len; /* "/LEN"; -1: not given */
	bool has_iif, per_iif;
	uint32_t iif;
	int family; /* that of the addresses, or of "family", -4, -6; 0: any */
	struct table_arg table;
};

/*
 * The words of another object's command among a route's key words: parse()
 * gets the id (from @kw) of the word at argv[*i] and leaves *i at the last
 * word it takes; it returns 0 or an exit code. It is also asked about a
 * word that is no keyword (id KW_NONE): EXIT_USAGE if it reported it, 0 to
 * leave it to the generic "unknown argument".
 */
struct key_words {
	const struct keyword *kw;
	int n;
	int (*parse)(int id, int argc, char **argv, int *i, void *data);
	void *data;
};

int parse_route_key(const char *obj, int argc, char **argv, bool filter,
		    const struct key_words *own, struct route_key *k);
void nl_put_route_key(struct nlmsghdr *nlh, const struct route_key *k);

/* commands */
int do_vif(int argc, char **argv);
int do_route(int argc, char **argv);
int do_meter(int argc, char **argv);
int do_flush(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_config(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_conf_file(const char *file);

/* conf.c: smcroute.conf files */
struct sc_phyint {
	char *name;
	bool enable;
	int threshold; /* 0: not given */
	const char *file;
	int line;
};

/*
 * an mroute, or an mgroup (no oifs); a length of addr_bits() (32, 128) is
 * an exact address
 */
struct sc_rule {
	char *iif;
	struct inet_addr src; /* all zeros: any source */
	int slen;
	struct inet_addr grp;
	int glen;
	char **oifs;
	int noifs;
	const char *file;
	int line;
};

struct sc_conf {
	struct sc_phyint *phyints;
	int nphyint;
	struct sc_rule *mroutes;
	int nmroute;
	struct sc_rule *mgroups;
	int nmgroup;
	char **files;
	int nfiles;
	int errors;
	bool keep_going; /* go on after an error (the daemon) */
};

int sc_parse_addr(const char *s, bool group, struct inet_addr *addr, int *len);
int sc_conf_read(const char *path, struct sc_conf *c);
void sc_conf_free(struct sc_conf *c);
const struct sc_phyint *sc_phyint_find(const struct sc_conf *c,
				       const char *name);

/* printers shared by show and monitor */
void print_vif(const struct nlattr **tb, const char *prefix);
void json_vif(const struct nlattr **tb);
void print_route(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 const char *prefix);
void json_route(const struct nlmsghdr *nlh, const struct nlattr **tb);
void json_vif_fields(const struct nlattr **tb);
void json_route_fields(const struct nlmsghdr *nlh, const struct nlattr **tb);
void print_route_key(const struct nlattr **tb, bool iif);
void json_route_key(const struct nlattr **tb);
void print_meter(const struct nlattr **tb);
void json_meter_fields(const struct nlattr **tb);

/* main.c */
int run_command(int argc, char **argv);
int split_line(char *line, char **argv, int max);
int worse(int a, int b);
/* usage text of an object ("" for all) to stdout or stderr */
void print_usage(const char *obj, bool to_stderr);

#endif /* MFWDCTL_H */
