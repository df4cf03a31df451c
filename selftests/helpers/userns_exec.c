// SPDX-License-Identifier: GPL-2.0
/*
 * userns_exec - run a command as an unprivileged user in a new user and
 * network namespace, like "setpriv --reuid=UID --regid=UID --clear-groups
 * unshare -Urn CMD", also where the caller is chrooted
 * (selftests/45-memcg-userns.sh).
 *
 *   cc -static -O2 -o userns_exec userns_exec.c
 *   userns_exec UID CMD [ARG]...		(run as root)
 *
 * The kernel refuses CLONE_NEWUSER to a chrooted process, root or not
 * (create_user_ns(): current_chrooted()), and the test VMs run everything
 * chrooted into the host-root overlay.  So, as root: remember the current
 * root, setns() into our own mount namespace (which resets the root to the
 * namespace's), drop to UID/GID (no groups), and only then, unprivileged,
 * unshare(CLONE_NEWUSER | CLONE_NEWNET), map UID to root in the new user
 * namespace, chroot back to the remembered root (allowed: CAP_SYS_CHROOT
 * in the new user namespace) and exec CMD.  Static: between setns() and
 * chroot() the dynamic loader is out of reach.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "userns_exec: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		die(path);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	char map[64];
	uid_t uid;
	int root, mnt;

	if (argc < 3) {
		fprintf(stderr, "usage: %s UID CMD [ARG]...\n", argv[0]);
		return 2;
	}
	uid = strtoul(argv[1], NULL, 10);
	root = open("/", O_PATH | O_DIRECTORY);
	if (root < 0)
		die("open /");
	mnt = open("/proc/self/ns/mnt", O_RDONLY);
	if (mnt < 0)
		die("/proc/self/ns/mnt");
	if (setns(mnt, CLONE_NEWNS))	/* root := the namespace's root */
		die("setns(mnt)");
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		die("dropping to the user");
	/* setuid() from root made us non-dumpable: /proc/self would be root's */
	if (prctl(PR_SET_DUMPABLE, 1))
		die("PR_SET_DUMPABLE");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		die("unshare(CLONE_NEWUSER | CLONE_NEWNET)");
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny\n");
	write_file("/proc/self/gid_map", map);
	if (fchdir(root) || chroot("."))
		die("chroot back");
	if (chdir("/"))
		die("chdir /");
	execvp(argv[2], argv + 2);
	die(argv[2]);
	return 125;
}
