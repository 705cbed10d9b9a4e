/*
 * pki_chain.h - certificate facts, chain building and revocation lookup.
 *
 * Chains are built with OpenSSL from the leaf, the certificates the
 * document carries and the store's anchors, but time is not checked here
 * (X509_V_FLAG_NO_CHECK_TIME): validity periods and revocation dates are
 * facts that verdict.c weighs against the best signature time.
 */
#ifndef TTE_PKI_CHAIN_H
#define TTE_PKI_CHAIN_H

#include <openssl/x509.h>

#include "../result.h"
#include "pki_store.h"

/* Facts of one certificate (subject, validity, key, policies, usage), in
 * a. NULL when out of memory. */
struct tte_cert *pki_cert_info(X509 *x, struct arena *a);

/*
 * Builds the chain of leaf toward the store's anchors, with untrusted
 * (may be NULL) as intermediates, and records every certificate's
 * revocation evidence from the store's CRLs and OCSP responses and from
 * doc (may be NULL: the revocation data the document carries). Fills
 * sig->chain (leaf first), sig->chain_status and sig->chain_msg. Returns
 * TTE_E_NOMEM or TTE_E_CRYPTO only when the check could not run at all.
 */
TTE_MUST_USE tte_err pki_chain_check(const struct pki_store *s, X509 *leaf,
				     STACK_OF(X509) *untrusted,
				     const struct pki_pool *doc,
				     struct arena *a, struct tte_sig *sig,
				     struct diag *d);

#endif
