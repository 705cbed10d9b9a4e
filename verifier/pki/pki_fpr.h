/*
 * pki_fpr.h - the SHA-256 fingerprints of trust anchor certificates,
 * for code that decides trust from recorded facts without OpenSSL
 * (`tteaudit rescore --trust`). Includes no OpenSSL header.
 */
#ifndef TTE_PKI_FPR_H
#define TTE_PKI_FPR_H

#include <stddef.h>

#include "../base/arena.h"
#include "../diag.h"

/* One certificate: the SHA-256 of its DER (64 lowercase hex digits, as
 * struct tte_cert.sha256) and its subject (RFC 2253). */
struct pki_fpr {
	const char *sha256;
	const char *subject;
};

/*
 * Reads every certificate in path, as pki_store_add_trust does (a PEM
 * file with one or more certificates, a DER file, or a folder of such
 * files, not recursive), and appends its fingerprint to *v / *n (a
 * vector allocated from a; *v NULL and *n 0 to start). TTE_E_IO /
 * TTE_E_MALFORMED with d filled when a file cannot be read or holds no
 * certificate; TTE_E_NOMEM.
 */
TTE_MUST_USE tte_err pki_fpr_load(const char *path, struct arena *a,
				  struct pki_fpr **v, size_t *n,
				  struct diag *d);

#endif
