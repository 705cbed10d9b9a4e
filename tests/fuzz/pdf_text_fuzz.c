/*
 * pdf_text_fuzz.c - text extraction (page tree, content streams, fonts,
 * encodings, ToUnicode CMaps, form XObjects) and the statement match.
 *
 * Target functions: pdf_text_extract_stats, pdf_text_extract,
 * pdf_statement_match.
 *
 * The text of the first and of the last revision is extracted (the
 * statement check reads the last; the first has its own page tree in
 * incremental files). The input's own bytes also go to
 * pdf_statement_match as text, so the normaliser meets bytes that no
 * extraction would write (broken UTF-8, stray controls).
 */
#include <stddef.h>
#include <stdint.h>

#include "../../verifier/pdf/pdf_statement.h"
#include "../../verifier/pdf/pdf_text.h"
#include "fuzz.h"

static void
revision(struct pdf_doc *pd, size_t rev)
{
	struct pdf_text_stats st = {0};
	const char *text = NULL;
	size_t len = 0;
	struct diag d;
	tte_err rc;

	diag_clear(&d);
	rc = pdf_text_extract_stats(pd, rev, &text, &len, &st, &d);
	if (rc == TTE_OK || rc == TTE_E_TOO_BIG)
		(void)pdf_statement_match(text, len, st.text_ops,
					  st.undecodable != 0, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_doc *pd = NULL;
	struct arena a;
	struct diag d;

	(void)pdf_statement_match((const char *)data, size, 1, 0, NULL);
	arena_init(&a);
	diag_clear(&d);
	if (pdf_doc_open(data, size, &a, &pd, &d) == TTE_OK) {
		revision(pd, pd->n_secs - 1);
		if (pd->n_secs > 1)
			revision(pd, 0);
	}
	arena_release(&a);
	return 0;
}
