/*
 * pki_store.h - what the user trusts and the revocation data they gave:
 * trust anchors (--trust), CRLs and OCSP responses (--crl), loaded once
 * per run and then only read, so that worker threads may share one store.
 */
#ifndef TTE_PKI_STORE_H
#define TTE_PKI_STORE_H

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "../diag.h"

/* OpenSSL 3.0 has no stack of basic OCSP responses: this defines the
 * sk_OCSP_BASICRESP_* functions (static inline) for every includer. */
DEFINE_STACK_OF(OCSP_BASICRESP)

struct pki_store {
	STACK_OF(X509) *anchors;  /* owned */
	STACK_OF(X509_CRL) *crls; /* owned */
	STACK_OF(OCSP_BASICRESP) *ocsps; /* owned: successful basic
					    responses, not yet verified */
	X509_STORE *x509_store;   /* owned: the anchors, for chain building */
	unsigned char (*pins)[32]; /* owned: SHA-256 of anchors known only
				      by fingerprint, matched against the
				      certificates a document carries */
	size_t n_pins;
	size_t n_skipped;         /* files under a --crl folder not used */
};

/*
 * Certificates, CRLs and OCSP responses that a document carries besides
 * its signatures' own (a PDF's DSS dictionary), or that a signature
 * carries (pki_ocsp_collect_cms): used to build chains and look up
 * revocation, never as trust anchors.
 */
struct pki_pool {
	STACK_OF(X509) *certs;    /* owned */
	STACK_OF(X509_CRL) *crls; /* owned */
	STACK_OF(OCSP_BASICRESP) *ocsps; /* owned, not yet verified */
};

/* A new empty pool, or NULL when out of memory. */
struct pki_pool *pki_pool_new(void);
void pki_pool_free(struct pki_pool *p);

/* Adds one DER certificate / CRL; returns 0, or -1 when it is not one
 * (the caller reports it). */
int pki_pool_add_cert(struct pki_pool *p, const unsigned char *der,
		      size_t len);
int pki_pool_add_crl(struct pki_pool *p, const unsigned char *der, size_t len);

/* Adds the BasicOCSPResponse of one DER OCSPResponse (successful, basic,
 * exactly len bytes: pki_ocsp_load); returns 0, or -1 when it is not one
 * or out of memory (the caller reports it). */
int pki_pool_add_ocsp(struct pki_pool *p, const unsigned char *der,
		      size_t len);

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
 * Adds a trust anchor known by the SHA-256 of its DER (64 hex digits): a
 * certificate a document carries with that fingerprint is trusted as an
 * anchor for that document (DOMAIN.md: BSrE's current root is published
 * only as a pin). TTE_E_MALFORMED when hex is not 64 hex digits.
 */
TTE_MUST_USE tte_err pki_store_add_pin(struct pki_store *s, const char *hex,
				       struct diag *d);

/*
 * Adds the revocation data in path (a file, or a directory of files, not
 * recursive): CRLs (PEM, one or more, or DER) to s->crls, and OCSP
 * responses (a DER OCSPResponse, or PEM "OCSP RESPONSE"; successful and
 * basic, see pki_ocsp_load) to s->ocsps. A folder may mix both. In a
 * directory, files that are neither are counted in n_skipped; a named
 * file that is neither is TTE_E_MALFORMED, and so is a directory without
 * any regular file. TTE_E_IO / TTE_E_TOO_BIG when a file cannot be read.
 */
TTE_MUST_USE tte_err pki_store_add_revocation(struct pki_store *s,
					      const char *path,
					      struct diag *d);

#endif
