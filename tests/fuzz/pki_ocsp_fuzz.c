/*
 * pki_ocsp_fuzz.c - an OCSP response (RFC 6960) as revocation evidence:
 * loading, the CertID match, the responder (CA or delegated, by name or
 * by key), its signature and the times of the SingleResponse.
 *
 * Target functions: pki_ocsp_load, pki_pool_add_ocsp, pki_ocsp_evidence.
 *
 * The input is an OCSPResponse, else a bare BasicOCSPResponse (what a
 * CAdES revocationValues attribute holds), and is asked about the
 * fixtures' rsa2048 certificate (issued by ca) and about ca (issued by
 * root), the pairs the seed responses were made for.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../verifier/pki/pki_ocsp.h"
#include "fuzz.h"
#include "fuzz_pki.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static X509 *root, *ca, *ee; /* made once, reachable at exit */
	STACK_OF(OCSP_BASICRESP) *resps = sk_OCSP_BASICRESP_new_null();
	struct pki_pool *pool = pki_pool_new();
	OCSP_BASICRESP *bs;
	struct tte_cert *c;
	struct arena a;

	if (root == NULL) {
		root = fuzz_x509(fuzz_pem_root);
		ca = fuzz_x509(fuzz_pem_ca);
		ee = fuzz_x509(fuzz_pem_rsa2048);
		if (root == NULL || ca == NULL || ee == NULL)
			abort();
	}
	arena_init(&a);
	if (resps == NULL || pool == NULL)
		goto out;
	(void)pki_pool_add_ocsp(pool, data, size);
	bs = pki_ocsp_load(data, size);
	if (bs == NULL && size > 0 && size <= INT32_MAX) {
		const unsigned char *p = data;

		bs = d2i_OCSP_BASICRESP(NULL, &p, (long)size);
		ERR_clear_error();
	}
	if (bs == NULL)
		goto out;
	if (!sk_OCSP_BASICRESP_push(resps, bs)) {
		OCSP_BASICRESP_free(bs);
		goto out;
	}
	c = arena_alloc(&a, sizeof(*c));
	if (c != NULL)
		pki_ocsp_evidence(resps, ee, ca, NULL, NULL, &a, c);
	c = arena_alloc(&a, sizeof(*c));
	if (c != NULL)
		pki_ocsp_evidence(resps, ca, root, pool->certs, NULL, &a, c);
out:
	sk_OCSP_BASICRESP_pop_free(resps, OCSP_BASICRESP_free);
	pki_pool_free(pool);
	arena_release(&a);
	return 0;
}
