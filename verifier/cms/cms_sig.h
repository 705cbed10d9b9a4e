/*
 * cms_sig.h - the signature value of one SignerInfo (RFC 5652 §5.4),
 * checked by our own rules instead of CMS_SignerInfo_verify, so that:
 *  - the hash comes from the signature algorithm where it names one
 *    (RSASSA-PSS parameters, RFC 4056 §3), else from digestAlgorithm;
 *  - a signatureAlgorithm whose hash contradicts digestAlgorithm, or
 *    whose key type is not the signer's, is a format finding;
 *  - signed attributes may be checked both as received and in DER order
 *    (the caller tries both, see cms_sig_signed_attrs);
 *  - a PKCS #1 v1.5 DigestInfo whose AlgorithmIdentifier omits the NULL
 *    parameters is accepted (RFC 5754 §2: absent and NULL both occur),
 *    and only that variant;
 *  - the CMSAlgorithmProtection attribute (RFC 6211) must name the same
 *    algorithms as the SignerInfo.
 *
 * Unsupported, on purpose: DSA and GOST keys, PSS with a mask generation
 * function other than MGF1 or a trailerField other than 1.
 */
#ifndef TTE_CMS_SIG_H
#define TTE_CMS_SIG_H

#include <stddef.h>

#include <openssl/cms.h>

#include "../base/arena.h"

/* One piece of signed bytes; what is signed is the pieces in order
 * (a PDF signature covers two byte ranges). */
struct cms_part {
	const unsigned char *p;
	size_t len;
};

struct cms_sig_outcome {
	int ok;                   /* the signature value verifies */
	const char *why;          /* when not ok: plain words */
	const char *note;         /* a tolerated deviation, or NULL */
	const char *format_issue; /* inconsistent algorithm identifiers */
};

/*
 * Verifies si's signature with key over the parts (the SET OF signed
 * attributes, or the content when there are none). Messages in out point
 * into a.
 */
void cms_sig_verify(CMS_SignerInfo *si, EVP_PKEY *key,
		    const struct cms_part *parts, size_t n_parts,
		    struct arena *a, struct cms_sig_outcome *out);

/* Digest of the parts with md into out (at least EVP_MAX_MD_SIZE);
 * returns 0 on success. */
int cms_sig_digest(const EVP_MD *md, const struct cms_part *parts,
		   size_t n_parts, unsigned char *out, unsigned int *out_len);

/*
 * Encodes si's signed attributes as the SET OF that is signed, in the
 * order received (*received) and in DER order (*sorted, X.690 §11.6).
 * Both are OPENSSL_malloc'd for the caller to OPENSSL_free. Returns 0 on
 * success, -1 when there are no signed attributes or on error.
 */
int cms_sig_signed_attrs(CMS_SignerInfo *si, unsigned char **received,
			 size_t *rlen, unsigned char **sorted, size_t *slen);

/*
 * Checks the CMSAlgorithmProtection attribute, if present, against si's
 * algorithms (RFC 6211 §3). Returns NULL when absent or consistent, else
 * the reason (in a).
 */
const char *cms_sig_algorithm_protection(CMS_SignerInfo *si, struct arena *a);

#endif
