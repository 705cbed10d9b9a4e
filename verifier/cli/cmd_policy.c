/*
 * cmd_policy.c - `tteaudit policy lint FILE...` and `tteaudit policy show
 * [FILE|NAME]`: check a validation policy, or print its effective rules.
 */
#include <stdio.h>
#include <string.h>

#include "../../policy/policy.h"
#include "cli.h"

static void
help(FILE *f)
{
	fputs(
"usage: tteaudit policy lint FILE...\n"
"       tteaudit policy show [FILE|NAME]\n"
"\n"
"lint  checks each policy file against tteaudit-policy.xsd and for meaning\n"
"      (dates, OIDs, pins, duplicates, anchor files) and prints every\n"
"      problem as FILE:LINE: message.\n"
"show  prints the effective rules of a policy: a file, or the name of a\n"
"      shipped one (bsre-default, crypto-only); default " POLICY_DEFAULT_NAME
"\n"
"\n"
"Shipped policies and the schema are read from $TTEAUDIT_POLICY_DIR when\n"
"set, else from " TTE_POLICY_DIR ".\n"
"\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0 no problem, 1 problems found (lint) or the policy does not\n"
"load (show), 2 usage error or a file that cannot be read.\n", f);
}

static int
lint(int argc, char **argv)
{
	size_t problems = 0;

	if (argc < 2) {
		fputs("tteaudit policy lint: no FILE given\n", stderr);
		return CLI_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (f == NULL) {
			fprintf(stderr, "tteaudit policy lint: cannot open "
				"'%s'\n", argv[i]);
			return CLI_EXIT_USAGE;
		}
		fclose(f);
		problems += policy_lint(argv[i], stdout);
	}
	return problems > 0 ? CLI_EXIT_NOT_OK : CLI_EXIT_OK;
}

static int
show(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : POLICY_DEFAULT_NAME;
	struct policy *p = NULL;
	struct diag d;

	if (argc > 2) {
		fputs("tteaudit policy show: one FILE or NAME at most\n",
		      stderr);
		return CLI_EXIT_USAGE;
	}
	diag_clear(&d);
	if (policy_load_named(name, &p, &d) != TTE_OK) {
		fprintf(stderr, "tteaudit policy show: %s\n", d.msg);
		return d.code == TTE_E_MALFORMED ? CLI_EXIT_NOT_OK
						 : CLI_EXIT_USAGE;
	}
	policy_show(p, stdout);
	policy_free(p);
	return CLI_EXIT_OK;
}

int
cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		help(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		help(stdout);
		return CLI_EXIT_OK;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			help(stdout);
			return CLI_EXIT_OK;
		}
	}
	if (strcmp(argv[1], "lint") == 0)
		return lint(argc - 1, argv + 1);
	if (strcmp(argv[1], "show") == 0)
		return show(argc - 1, argv + 1);
	fprintf(stderr, "tteaudit policy: unknown action '%s' (lint or "
		"show)\n", argv[1]);
	help(stderr);
	return CLI_EXIT_USAGE;
}
