/*
 * pki_store.h - what the user trusts and the revocation data they gave:
 * trust anchors (--trust) and CRLs (--crl), loaded once per run and then
 * only read, so that worker threads may share one store.
 */
#ifndef TTE_PKI_STORE_H
#define TTE_PKI_STORE_H

#include <openssl/x509.h>

#include "../diag.h"

struct pki_store {
	STACK_OF(X509) *anchors;  /* owned */
	STACK_OF(X509_CRL) *crls; /* owned */
	X509_STORE *x509_store;   /* owned: the anchors, for chain building */
	size_t n_skipped;         /* files under a --crl folder not used */
};

/*
 * Certificates and CRLs that a document carries besides its signatures'
 * own (a PDF's DSS dictionary): used to build chains and look up
 * revocation, never as trust anchors.
 */
struct pki_pool {
	STACK_OF(X509) *certs;    /* owned */
	STACK_OF(X509_CRL) *crls; /* owned */
};

/* A new empty pool, or NULL when out of memory. */
struct pki_pool *pki_pool_new(void);
void pki_pool_free(struct pki_pool *p);

/* Adds one DER certificate / CRL; returns 0, or -1 when it is not one
 * (the caller reports it). */
int pki_pool_add_cert(struct pki_pool *p, const unsigned char *der,
		      size_t len);
int pki_pool_add_crl(struct pki_pool *p, const unsigned char *der, size_t len);

/* A new empty store, or NULL when out of memory. Free with pki_store_free. */
struct pki_store *pki_store_new(void);
void pki_store_free(struct pki_store *s);

/* Number of trust anchors loaded. */
size_t pki_store_anchor_count(const struct pki_store *s);

/*
 * Adds every certificate in path (a PEM file with one or more
 * certificates, a DER file, or a directory of such files, not recursive)
 * as a trust anchor. TTE_E_IO or TTE_E_MALFORMED with d filled when a file
 * cannot be read or holds no certificate.
 */
TTE_MUST_USE tte_err pki_store_add_trust(struct pki_store *s,
					 const char *path, struct diag *d);

/*
 * Adds every CRL (PEM or DER) in path (a file, or a directory of files).
 * In a directory, files that are not CRLs are counted in n_skipped (OCSP
 * responses are used from issue 4 on); a named file that is not a CRL is
 * an error.
 */
TTE_MUST_USE tte_err pki_store_add_revocation(struct pki_store *s,
					      const char *path,
					      struct diag *d);

#endif
