// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd-smcroutectl - smcroutectl(8) for mfwd: the same command line, sent
 * to mfwd-smcrouted over its UNIX socket (see smcroute-ipc.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "smcroute-ipc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *prog = "mfwd-smcroutectl";
static char flags[4];
static const char *ident = SMC_DEFAULT_IDENT;
static const char *sock_path;
static bool ident_given; /* -i or -u */

struct cmd {
	const char *name;
	int min_args, max_args; /* -1: no limit */
	const char *help;
	const char *example;
};

static const struct cmd cmds[] = {
	{ "help", 0, 1, "Show help text", "help add" },
	{ "version", 0, 0, "Show program version and support information",
	  NULL },
	{ "flush", 0, 0,
	  "Flush all dynamically installed (*,G) multicast routes", NULL },
	{ "kill", 0, 0, "Kill running daemon", NULL },
	{ "reload", 0, 0, "Reload .conf file, like SIGHUP", NULL },
	{ "show", 0, 1,
	  "Show status of routes, joined groups, interfaces, etc.",
	  "show routes" },
	{ "add", 3, -1, "Add a multicast route",
	  "add eth0 192.168.2.42 225.1.2.3 eth1 eth2" },
	{ "remove", 2, -1, "Remove a multicast route",
	  "remove eth0 192.168.2.42 225.1.2.3" },
	{ "join", 2, 3, "Join multicast group on an interface",
	  "join eth0 225.1.2.3" },
	{ "leave", 2, 3, "Leave joined multicast group",
	  "leave eth0 225.1.2.3" },
};

/* aliases smcroutectl accepts too */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "rem", "remove" },
	{ "del", "remove" },
	{ "delete", "remove" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage:\n"
		"  %s [OPTIONS] CMD [ARGS]\n"
		"\n"
		"Options:\n"
		"  -b            Batch mode, read commands from stdin\n"
		"  -d            Detailed output in show command\n"
		"  -i NAME       Identity of routing daemon instance, default: smcroute\n"
		"  -p            Use plain table headings, no ctrl chars\n"
		"  -t            Skip table heading in show command\n"
		"  -u FILE       UNIX domain socket for daemon, default: /run/smcroute.sock\n"
		"\n"
		"Commands:\n",
		prog);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-7s %-5s %s\n", cmds[i].name,
			cmds[i].min_args > 0 ? "ARGS" : "", cmds[i].help);
	fputs("\n"
	      "Arguments:\n"
	      "         <---------- INBOUND ------------>  <- OUTBOUND ->\n"
	      "  add    IIF [SOURCE-IP[/LEN]] GROUP[/LEN]  OIF [OIF ... ]\n"
	      "  remove IIF [SOURCE-IP[/LEN]] GROUP[/LEN] [OIF [OIF ...]]\n"
	      "\n"
	      "  join   IIF [SOURCE-IP[/LEN]] GROUP[/LEN]\n"
	      "  leave  IIF [SOURCE-IP[/LEN]] GROUP[/LEN]\n"
	      "\n"
	      "  show   interfaces    Show configured multicast interfaces\n"
	      "  show   groups        Show joined multicast groups\n"
	      "  show   routes        Show (*,G) and (S,G) multicast routes, default\n"
	      "\n"
	      "Note:\n"
	      "  Inbound (IIF) and outbound (OIF) interfaces can be either an interface\n"
	      "  name or a wildcard.  E.g., \"eth+\" matches eth0, eth15, etc.\n"
	      "  SOURCE-IP and GROUP are IPv4 or IPv6 addresses of one family, e.g.,\n"
	      "  \"add eth0 2001:db8:1::2 ff0e::3 eth1\".\n"
	      "  This smcroutectl drives mfwd-smcrouted, the smcroute of the mfwd module.\n",
	      f);
}

/* a command by its name, an alias or an unambiguous prefix */
static const struct cmd *find_cmd(const char *word)
{
	const struct cmd *found = NULL;
	size_t i, len = strlen(word);

	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		if (!strcmp(word, aliases[i].alias))
			word = aliases[i].name;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(word, cmds[i].name))
			return &cmds[i];
	}
	for (i = 0; len && i < ARRAY_SIZE(cmds); i++) {
		if (strncmp(word, cmds[i].name, len))
			continue;
		if (found) {
			fprintf(stderr, "%s: ambiguous command \"%s\"\n", prog,
				word);
			return NULL;
		}
		found = &cmds[i];
	}
	if (!found)
		fprintf(stderr, "%s: unknown command \"%s\"\n", prog, word);
	return found;
}

static const char *const show_args[] = { "groups", "routes", "interfaces" };

static int do_help(const char *what)
{
	const struct cmd *c;

	if (!what) {
		usage(stdout);
		return 0;
	}
	c = find_cmd(what);
	if (!c)
		return 1;
	printf("Help:\n  %s\n", c->help);
	if (c->example)
		printf("\nExample:\n  %s %s\n", prog, c->example);
	putchar('\n');
	return 0;
}

static int ipc_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		int err = errno;

		close(fd);
		if (stat(sock_path, &st)) {
			fprintf(stderr, "%s: Cannot find IPC socket %s\n", prog,
				sock_path);
			if (!ident_given)
				fprintf(stderr,
					"%s: Daemon may be running with another -i NAME\n",
					prog);
		}
		fprintf(stderr, "%s: Failed connecting to daemon: %s\n", prog,
			strerror(err));
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* send one command to the daemon, print its reply; returns the exit code */
static int ipc_send(int argc, char **argv)
{
	static char buf[SMC_IPC_MAX + 64];
	size_t len = 0, got = 0, outlen, errlen;
	char *nl;
	int fd, rc, i;

	for (i = -2; i < argc; i++) {
		const char *w = i == -2 ? SMC_IPC_MAGIC :
				i == -1 ? (*flags ? flags : "-") :
					  argv[i];
		size_t l = strlen(w) + 1;

		if (len + l + 1 > SMC_IPC_MAX) {
			fprintf(stderr, "%s: command too long\n", prog);
			return 1;
		}
		memcpy(buf + len, w, l);
		len += l;
	}
	buf[len++] = 0;
	fd = ipc_connect();
	if (fd < 0)
		return 1;
	if (write_all(fd, buf, len)) {
		fprintf(stderr, "%s: Failed sending to daemon: %s\n", prog,
			strerror(errno));
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t n;

		if (got == sizeof(buf) - 1) {
			/* a large reply: print what we have and go on */
			break;
		}
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
		buf[got] = 0;
		nl = memchr(buf, '\n', got);
		if (nl &&
		    sscanf(buf, "%d %zu %zu", &rc, &outlen, &errlen) == 3 &&
		    got >= (size_t)(nl + 1 - buf) + outlen + errlen)
			break;
	}
	buf[got] = 0;
	nl = memchr(buf, '\n', got);
	if (!nl || sscanf(buf, "%d %zu %zu", &rc, &outlen, &errlen) != 3) {
		fprintf(stderr, "%s: no reply from daemon\n", prog);
		close(fd);
		return 1;
	}
	nl++;
	if (outlen > got - (nl - buf))
		outlen = got - (nl - buf);
	fwrite(nl, 1, outlen, stdout);
	fflush(stdout);
	nl += outlen;
	if (errlen > got - (nl - buf))
		errlen = got - (nl - buf);
	fwrite(nl, 1, errlen, stderr);
	/* a reply larger than our buffer: pass the rest on to stdout */
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		fwrite(buf, 1, n, stdout);
	}
	close(fd);
	return rc;
}

static int run(int argc, char **argv)
{
	const struct cmd *c;
	const char *words[SMC_IPC_MAX_WORDS];
	size_t i;

	if (argc < 1) {
		words[0] = "show";
		return ipc_send(1, (char **)words);
	}
	c = find_cmd(argv[0]);
	if (!c)
		return 1;
	if (argc - 1 < c->min_args ||
	    (c->max_args >= 0 && argc - 1 > c->max_args)) {
		fprintf(stderr, "%s: wrong number of arguments to \"%s\"\n",
			prog, c->name);
		do_help(c->name);
		return 1;
	}
	if (argc > SMC_IPC_MAX_WORDS) {
		fprintf(stderr, "%s: too many arguments\n", prog);
		return 1;
	}
	if (!strcmp(c->name, "help"))
		return do_help(argc > 1 ? argv[1] : NULL);
	if (!strcmp(c->name, "version")) {
		printf("%s (mfwd tools), smcroutectl %s compatible\n", prog,
		       SMC_COMPAT);
		return 0;
	}
	words[0] = c->name;
	for (i = 1; i < (size_t)argc; i++)
		words[i] = argv[i];
	if (!strcmp(c->name, "show") && argc > 1) {
		const char *found = NULL;
		size_t len = strlen(argv[1]);

		for (i = 0; len && i < ARRAY_SIZE(show_args); i++) {
			if (!strncmp(argv[1], show_args[i], len))
				found = show_args[i];
		}
		if (!found) {
			fprintf(stderr, "%s: unknown show argument \"%s\"\n",
				prog, argv[1]);
			return 1;
		}
		words[1] = found;
	}
	return ipc_send(argc, (char **)words);
}

static int batch(void)
{
	char *line = NULL, *words[SMC_IPC_MAX_WORDS], *save, *w;
	size_t cap = 0;
	int ret = 0, r, n;

	while (getline(&line, &cap, stdin) >= 0) {
		n = 0;
		for (w = strtok_r(line, " \t\r\n", &save);
		     w && n < SMC_IPC_MAX_WORDS;
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			if (*w == '#')
				break;
			words[n++] = w;
		}
		if (!n)
			continue;
		r = run(n, words);
		if (r)
			ret = r;
	}
	free(line);
	return ret;
}

int main(int argc, char **argv)
{
	static char path[108];
	bool batch_mode = false;
	const char *p = strrchr(argv[0], '/');
	int c;

	prog = p ? p + 1 : argv[0];
	while ((c = getopt(argc, argv, "+bdhi:I:ptu:v")) != -1) {
		switch (c) {
		case 'b':
			batch_mode = true;
			break;
		case 'd':
		case 'p':
		case 't':
			if (!strchr(flags, c))
				flags[strlen(flags)] = (char)c;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
		case 'I':
			ident = optarg;
			ident_given = true;
			break;
		case 'u':
			sock_path = optarg;
			ident_given = true;
			break;
		case 'v':
			printf("%s (mfwd tools), smcroutectl %s compatible\n",
			       prog, SMC_COMPAT);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (!sock_path) {
		snprintf(path, sizeof(path), "%s/%s.sock", SMC_RUNDIR, ident);
		sock_path = path;
	}
	if (batch_mode)
		return batch();
	return run(argc - optind, argv + optind);
}
