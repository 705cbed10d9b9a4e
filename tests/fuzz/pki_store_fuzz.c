/*
 * pki_store_fuzz.c - certificates, CRLs and OCSP responses as a document
 * or the user supplies them: the pool loaders (DSS, embedded revocation
 * data), the store's file loaders (--trust, --crl: PEM or DER), and a
 * chain check that has to use what was loaded (CRL matching by issuer,
 * distribution point, delta CRLs, certificate policies).
 *
 * Target functions: pki_pool_add_cert, pki_pool_add_crl,
 * pki_pool_add_ocsp, pki_store_add_trust, pki_store_add_revocation,
 * pki_cert_info, pki_chain_check, verdict_judge_doc.
 *
 * The chain is that of the input when it is a certificate, else of the
 * fixtures' rsa2048 certificate; ca is offered as intermediate and the
 * input's CRL or OCSP response as the document's revocation data.
 * The store loaders read files: the input is written to one file per
 * process in /dev/shm (or /tmp), removed after each run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "../../verifier/pki/pki_chain.h"
#include "../../verifier/verdict.h"
#include "fuzz.h"
#include "fuzz_file.h"
#include "fuzz_pki.h"

static void
files(const uint8_t *data, size_t size)
{
	struct pki_store *s = pki_store_new();
	const char *path = fuzz_to_file(data, size, "pki");
	struct diag d;

	if (s != NULL && path != NULL) {
		diag_clear(&d);
		IGNORE(pki_store_add_revocation(s, path, &d));
		diag_clear(&d);
		IGNORE(pki_store_add_trust(s, path, &d));
	}
	if (path != NULL)
		unlink(path);
	pki_store_free(s);
}

static int
fuzz_one(const uint8_t *data, size_t size)
{
	static X509 *ca, *ee; /* made once, reachable at exit */
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	struct pki_pool *pool = pki_pool_new();
	struct tte_doc *doc = tte_doc_new("fuzz.p7s", TTE_FMT_CMS);
	struct tte_sig *sig;
	X509 *leaf;
	int cert, crl, ocsp;
	struct diag d;

	if (ca == NULL) {
		ca = fuzz_x509(fuzz_pem_ca);
		ee = fuzz_x509(fuzz_pem_rsa2048);
		if (ca == NULL || ee == NULL)
			abort();
	}
	if (untrusted == NULL || pool == NULL || doc == NULL ||
	    !sk_X509_push(untrusted, ca))
		goto out;
	cert = pki_pool_add_cert(pool, data, size) == 0;
	crl = pki_pool_add_crl(pool, data, size) == 0;
	ocsp = pki_pool_add_ocsp(pool, data, size) == 0;
	if (cert || crl || ocsp) {
		leaf = cert ? sk_X509_value(pool->certs, 0) : ee;
		if (cert)
			(void)pki_cert_info(leaf, &doc->arena);
		sig = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
		diag_clear(&d);
		if (sig != NULL) {
			IGNORE(pki_chain_check(fuzz_store(), leaf, untrusted,
					       pool, &doc->arena, sig, &d));
			verdict_judge_doc(doc, fuzz_at(), NULL);
		}
	}
	files(data, size);
out:
	sk_X509_free(untrusted); /* ca is not its to free */
	pki_pool_free(pool);
	tte_doc_free(doc);
	return 0;
}

FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fuzz_one)
