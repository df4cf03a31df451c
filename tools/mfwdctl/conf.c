// SPDX-License-Identifier: GPL-2.0
/*
 * mfwdctl - apply an smcroute.conf(5) style configuration file.
 */
#include "mfwdctl.h"

int do_conf_file(const char *file)
{
	(void)file;
	err_msg("-f is not implemented yet");
	return EXIT_FAIL;
}
