/* pki_fpr.c - see pki_fpr.h. */
#include "pki_fpr.h"

#include <limits.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "pki_ossl.h"
#include "pki_store.h"

/* see pki_fpr.h */
tte_err
pki_fpr_load(const char *path, struct arena *a, struct pki_fpr **v,
	     size_t *n, struct diag *d)
{
	struct pki_store *s = NULL;
	struct pki_fpr *grown = NULL;
	unsigned char *der = NULL;
	size_t k, m;
	tte_err rc = TTE_OK;

	ERR_clear_error();
	s = pki_store_new();
	ENSURE(s != NULL, TTE_E_NOMEM, d, "trust store");
	/* The store's reader, so that --trust means the same to rescore
	 * as to verify. */
	TRY(pki_store_add_trust(s, path, d));
	m = pki_store_anchor_count(s);
	grown = arena_alloc(a, (*n + m) * sizeof(*grown));
	ENSURE(grown != NULL, TTE_E_NOMEM, d, "fingerprints");
	if (*n > 0)
		memcpy(grown, *v, *n * sizeof(*grown));
	for (k = 0; k < m; k++) {
		X509 *x = sk_X509_value(s->anchors, (int)k);
		char hex[65];
		int len;

		der = NULL;
		len = i2d_X509(x, &der);
		if (len <= 0) {
			rc = pki_ossl_fail(d, TTE_E_MALFORMED,
					   "cannot encode a trust anchor");
			goto out;
		}
		pki_ossl_sha256_hex(der, (size_t)len, hex);
		OPENSSL_free(der);
		der = NULL;
		grown[*n + k].sha256 = arena_strdup(a, hex);
		grown[*n + k].subject =
			pki_ossl_name(X509_get_subject_name(x), a);
		ENSURE(grown[*n + k].sha256 != NULL &&
			       grown[*n + k].subject != NULL,
		       TTE_E_NOMEM, d, "fingerprints");
	}
	*v = grown;
	*n += m;
out:
	OPENSSL_free(der);
	pki_store_free(s);
	return rc;
}
