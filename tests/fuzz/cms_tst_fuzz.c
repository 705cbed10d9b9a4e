/*
 * cms_tst_fuzz.c - an RFC 3161 TimeStampToken as a PDF document
 * timestamp (ETSI.RFC3161, ISO 32000-2 §12.8.3.4): the TSTInfo, its
 * messageImprint over the stamped bytes, the TSA's signature, ESS
 * binding and chain; then the verdict.
 *
 * Target functions: cms_verify_pdf (mode CMS_PDF_TIMESTAMP),
 * verdict_judge_doc.
 *
 * Input: the token's DER (its first TLV) followed by the bytes it
 * stamps, so a seed cut from a PDF (its /Contents, then its two byte
 * ranges) verifies completely. When the first TLV cannot be read, the
 * whole input is the token and nothing is stamped.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../verifier/base/rd.h"
#include "../../verifier/cms/cms_verify.h"
#include "../../verifier/verdict.h"
#include "fuzz.h"
#include "fuzz_pki.h"

static int
fuzz_one(const uint8_t *data, size_t size)
{
	struct tte_doc *doc = tte_doc_new("fuzz.pdf", TTE_FMT_PDF);
	struct tte_sig *sig;
	struct cms_part part;
	struct rd r, v;
	uint8_t tag;
	size_t der_len = size;
	struct diag d;

	if (doc == NULL)
		return 0;
	sig = tte_doc_add_sig(doc, TTE_KIND_DOC_TIMESTAMP);
	if (sig == NULL)
		goto out;
	rd_init(&r, data, size);
	if (rd_der(&r, &tag, &v, NULL) == TTE_OK)
		der_len = r.off;
	part.p = data + der_len;
	part.len = size - der_len;
	sig->in_pdf = 1; /* as pdf_sig.c fills it before the CMS */
	sig->sub_filter = "ETSI.RFC3161";
	sig->revision = 0;
	sig->covers_whole_document = 1;
	sig->mods = TTE_MODS_NONE;
	diag_clear(&d);
	if (cms_verify_pdf(doc, fuzz_store(), NULL, data, der_len,
			   CMS_PDF_TIMESTAMP, &part, 1, sig, &d) != TTE_OK)
		sig->format_error = "not CMS";
	verdict_judge_doc(doc, fuzz_at(), NULL);
out:
	tte_doc_free(doc);
	return 0;
}

FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fuzz_one)
