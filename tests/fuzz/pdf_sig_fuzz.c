/*
 * pdf_sig_fuzz.c - a whole PDF through signature verification: the
 * AcroForm field walk, signature dictionaries and /ByteRange rules, the
 * DSS, the CMS of each signature, modification analysis of later
 * revisions, the statement in the text, then the verdict.
 *
 * Target functions: pdf_sig_verify (and through it pdf_diff_analyse,
 * cms_verify_pdf, pdf_text_extract_stats, pdf_statement_match),
 * verdict_judge_doc.
 *
 * Trust is fuzz_pki.h's snapshot, so the signed seed PDFs (made by the
 * same fixtures run) verify all the way to TOTAL-PASSED.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../verifier/pdf/pdf_sig.h"
#include "../../verifier/verdict.h"
#include "fuzz.h"
#include "fuzz_pki.h"

static int
fuzz_one(const uint8_t *data, size_t size)
{
	const struct pki_store *store = fuzz_store();
	struct tte_doc *doc = tte_doc_new("fuzz.pdf", TTE_FMT_PDF);
	struct diag d;

	if (doc == NULL)
		return 0;
	diag_clear(&d);
	doc->statement = TTE_STMT_UNKNOWN; /* as engine.c starts a PDF */
	if (pdf_sig_verify(doc, store, data, size, &d) != TTE_OK)
		tte_doc_error(doc, "%s", d.msg);
	verdict_judge_doc(doc, fuzz_at(), NULL);
	tte_doc_free(doc);
	return 0;
}

FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fuzz_one)
