/*
 * cmd_later.c - subcommands whose features arrive with later issues. Each
 * says so plainly and exits with the usage status: none pretends to work.
 */
#include <stdio.h>

#include "cli.h"

static int
not_yet(const char *name, const char *what)
{
	fprintf(stderr, "tteaudit %s: not available yet (%s)\n", name, what);
	return CLI_EXIT_USAGE;
}

int
cmd_scan(int argc, char **argv)
{
	(void)argc;
	return not_yet(argv[0], "the audit ledger arrives with a later issue");
}

int
cmd_report(int argc, char **argv)
{
	(void)argc;
	return not_yet(argv[0], "yearly reports arrive with a later issue");
}
