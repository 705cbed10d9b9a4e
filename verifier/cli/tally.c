/*
 * tally.c - what verify and rescore count and print alike: documents,
 * passes, findings, and the --lang option.
 */
#include <stdio.h>
#include <string.h>

#include "../../policy/policy.h"
#include "cli.h"

/* see cli.h */
void
cli_tally_doc(struct cli_tally *t, const struct tte_doc *doc)
{
	int findings = policy_doc_has_findings(doc);

	t->n_docs++;
	if (findings)
		t->n_findings++;
	if (doc->indication == TTE_IND_TOTAL_PASSED &&
	    (!t->strict || !findings))
		t->n_passed++;
	if (doc->sigs == NULL && doc->errors.count > 0)
		t->n_unreadable++;
}

/* see cli.h */
void
cli_tally_print(const struct cli_tally *t, FILE *f)
{
	fprintf(f, "%zu documents: %zu %s, %zu not; %zu with compliance "
		"findings", t->n_docs, t->n_passed,
		t->strict ? "TOTAL-PASSED without findings" : "TOTAL-PASSED",
		t->n_docs - t->n_passed, t->n_findings);
}

/* see cli.h */
int
cli_parse_lang(const char *cmd, const char *arg, enum out_lang *out)
{
	if (strcmp(arg, "id") != 0 && strcmp(arg, "en") != 0) {
		fprintf(stderr, "tteaudit %s: --lang is id or en\n", cmd);
		return -1;
	}
	*out = strcmp(arg, "id") == 0 ? OUT_LANG_ID : OUT_LANG_EN;
	return 0;
}
