/*
 * cms_verify_fuzz.c - a CMS/CAdES signature file (DER, PEM or base64)
 * through cms_verify: SignedData parsing, signer lookup, signed
 * attributes, ESS, signature value, the RFC 3161 signature timestamp,
 * the CAdES archive timestamps (their layout read from the bytes as
 * received, hash index, imprint and tokens), embedded revocation data,
 * the chain; then the verdict.
 *
 * Target functions: cms_verify (and through it cms_sig_verify,
 * cms_sig_signed_attrs, cms_sig_algorithm_protection, cms_ats_layout,
 * cms_ats_token_index, cms_ats_imprint_match, cms_ats_coverage,
 * pki_ocsp_collect_cms, pki_chain_check), verdict_judge_doc.
 *
 * Detached content is always the content of the fixtures'
 * docs/cms/valid-rsa2048-ts.txt, so that seed verifies completely; an
 * attached signature never asks for it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../verifier/cms/cms_verify.h"
#include "../../verifier/verdict.h"
#include "fuzz.h"
#include "fuzz_pki.h"

static const char content[] = FUZZ_CONTENT_RSA2048_TS;

static tte_err
load_content(void *arg, uint8_t **data, size_t *len, struct diag *d)
{
	tte_err rc = TTE_OK;

	(void)arg;
	*data = malloc(sizeof(content) - 1);
	ENSURE(*data != NULL, TTE_E_NOMEM, d, "detached content");
	memcpy(*data, content, sizeof(content) - 1);
	*len = sizeof(content) - 1;
out:
	return rc;
}

static int
fuzz_one(const uint8_t *data, size_t size)
{
	struct cms_content_src src = {load_content, NULL};
	struct tte_doc *doc = tte_doc_new("fuzz.p7s", TTE_FMT_CMS);
	struct diag d;

	if (doc == NULL)
		return 0;
	diag_clear(&d);
	if (cms_verify(doc, fuzz_store(), data, size, &src, &d) != TTE_OK)
		tte_doc_error(doc, "%s", d.msg);
	verdict_judge_doc(doc, fuzz_at(), NULL);
	tte_doc_free(doc);
	return 0;
}

FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fuzz_one)
