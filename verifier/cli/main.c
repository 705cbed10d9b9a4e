/*
 * main.c - the tteaudit command line: global options, the subcommand
 * table and the exit status contract of DESIGN.md (0 all TOTAL-PASSED,
 * 1 at least one not, 2 usage error or nothing readable).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"verify", cmd_verify, "verify files, directories and zip archives"},
	{"scan", cmd_scan, "verify and record into the ledger (later issue)"},
	{"report", cmd_report, "yearly compliance and usage report (later issue)"},
	{"policy", cmd_policy, "lint or show a validation policy"},
	{"rescore", cmd_rescore, "re-judge saved facts under a policy"},
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: tteaudit <command> [options] PATH...\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'tteaudit <command> --help' for its options.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tteaudit %s\n", TTEAUDIT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "tteaudit: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
