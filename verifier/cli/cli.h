/* cli.h - what the subcommand files share. */
#ifndef TTE_CLI_H
#define TTE_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "out.h"

#define TTEAUDIT_VERSION "0.1.0"

enum {
	CLI_EXIT_OK = 0,     /* every document TOTAL-PASSED */
	CLI_EXIT_NOT_OK = 1, /* at least one document did not pass */
	CLI_EXIT_USAGE = 2,  /* usage error or nothing could be read */
};

/* Documents judged by verify or rescore (tally.c). */
struct cli_tally {
	int strict;          /* --strict: findings count as not passed */
	size_t n_docs;
	size_t n_passed;     /* TOTAL-PASSED (with --strict: no findings) */
	size_t n_findings;   /* documents with compliance findings */
	size_t n_unreadable; /* no signature, and errors: not read */
};

void cli_tally_doc(struct cli_tally *t, const struct tte_doc *doc);

/* "N documents: N TOTAL-PASSED, N not; N with compliance findings" (no
 * newline). */
void cli_tally_print(const struct cli_tally *t, FILE *f);

/* --lang ARG of subcommand cmd into *out; -1 (said on stderr) when ARG is
 * neither id nor en. */
int cli_parse_lang(const char *cmd, const char *arg, enum out_lang *out);

/* One function per subcommand; argv[0] is the subcommand's name. */
int cmd_verify(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_rescore(int argc, char **argv);

#endif
