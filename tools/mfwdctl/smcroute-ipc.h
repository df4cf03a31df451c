/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IPC between mfwd-smcroutectl and mfwd-smcrouted, over a UNIX stream
 * socket (default /run/NAME.sock).
 *
 * Request: SMC_IPC_MAGIC, then a flags word ("-" or any of "d" detail, "p"
 * plain, "t" no table headings), then the command and its arguments, each
 * NUL-terminated, then an empty word (so the request ends with two NULs).
 * Commands arrive spelled out in full (the client expands abbreviations).
 *
 * Reply: a line "RC OUTLEN ERRLEN\n", then OUTLEN bytes for the client's
 * stdout and ERRLEN bytes for its stderr; the daemon then closes.
 */
#ifndef SMCROUTE_IPC_H
#define SMCROUTE_IPC_H

#define SMC_IPC_MAGIC "mfwd-smcroute/1"
#define SMC_IPC_MAX 65536
#define SMC_IPC_MAX_WORDS 1024
#define SMC_DEFAULT_IDENT "smcroute"
#define SMC_RUNDIR "/run"
/* the smcroute release whose command lines are accepted */
#define SMC_COMPAT "2.5"

#endif /* SMCROUTE_IPC_H */
