/*
 * cms_verify.h - CMS SignedData (RFC 5652) and CAdES signatures, with
 * their RFC 3161 signature timestamps.
 *
 * Input: a ContentInfo in DER (BER is accepted as OpenSSL reads it), PEM
 * ("CMS", "PKCS7", "PKCS #7 SIGNED DATA") or bare base64 of DER.
 *
 * For each SignerInfo it records the facts (struct tte_sig):
 *  - the signer certificate named by the SignerIdentifier, found among
 *    the certificates the CMS carries (RFC 5652 §5.3);
 *  - the content digest against the messageDigest attribute, and the
 *    contentType attribute against eContentType (RFC 5652 §11.1, §11.2);
 *  - the signature value, over the signed attributes or, without them,
 *    over the content (RFC 5652 §5.4);
 *  - the ESS signing-certificate(-v2) binding (RFC 2634 §5.4, RFC 5035):
 *    a hash that does not match the signer certificate means the
 *    certificate was substituted;
 *  - signingTime, reported and never trusted;
 *  - the signature timestamp (id-aa-signatureTimeStampToken, RFC 3161
 *    §2.4.2, ETSI EN 319 122-1 §5.3): its own signature, TSA chain and
 *    critical timeStamping EKU, and messageImprint over the signature
 *    value;
 *  - the CAdES archive timestamps (archive-time-stamp-v3, v2; ETSI EN
 *    319 122-1 §5.5.3), each in struct tte_sig.archive: the token as the
 *    signature timestamp, its imprint over the input of its version read
 *    from the bytes as received, and what its hash index covers
 *    (cms_ats.h);
 *  - the signer's chain and revocation status (pki_chain.h).
 *
 * Unsupported, on purpose (for now): countersignatures, multiple
 * signature timestamps per signer (the first is used and the rest
 * reported), more than TTE_ATS_MAX archive timestamps per signer (noted),
 * archive-time-stamp v1 (reported as not verified), signature policies
 * (EPES).
 */
#ifndef TTE_CMS_VERIFY_H
#define TTE_CMS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "../pki/pki_store.h"
#include "../result.h"
#include "cms_sig.h"

#define CMS_MAX_SIGNERS 64 /* SignerInfos verified in one CMS */
#define CMS_MAX_CERTS 256  /* certificates accepted in one CMS */

/*
 * Where a detached signature's content comes from. load() is called only
 * when the CMS has no encapsulated content; it returns TTE_OK with a
 * malloc'd buffer that cms_verify frees, or an error when there is no
 * content (the signature is then INDETERMINATE/SIGNED_DATA_NOT_FOUND,
 * with d's message as the reason).
 */
struct cms_content_src {
	tte_err (*load)(void *arg, uint8_t **data, size_t *len,
			struct diag *d);
	void *arg;
};

/*
 * Verifies the CMS in der[0..len) and adds one signature per SignerInfo
 * to doc. src (may be NULL) supplies detached content. The caller keeps
 * der. Returns TTE_OK when signatures were added (whatever their
 * verdict), or an error with d filled when the input is not a readable
 * CMS SignedData (the caller reports FORMAT_FAILURE).
 */
TTE_MUST_USE tte_err cms_verify(struct tte_doc *doc,
				const struct pki_store *store,
				const uint8_t *der, size_t len,
				const struct cms_content_src *src,
				struct diag *d);

/* How a PDF signature dictionary's /Contents relates to its byte ranges
 * (ISO 32000-1 §12.8.3, ISO 32000-2 §12.8.3.4 for document timestamps). */
enum cms_pdf_mode {
	CMS_PDF_DETACHED,  /* adbe.pkcs7.detached, ETSI.CAdES.detached */
	CMS_PDF_SHA1,      /* adbe.pkcs7.sha1: eContent is SHA-1(ranges) */
	CMS_PDF_TIMESTAMP, /* ETSI.RFC3161: a TimeStampToken over the ranges */
};

/*
 * Verifies the CMS of one PDF signature over the byte ranges in parts and
 * fills sig, which the caller added to doc (kind TTE_KIND_DOC_TIMESTAMP
 * for CMS_PDF_TIMESTAMP). pool (may be NULL) holds the document's DSS
 * certificates and CRLs. der[0..len) is the DER with the /Contents
 * zero padding already cut. Returns an error (d filled) only when der is
 * not readable as CMS at all; everything else is a fact in sig.
 */
TTE_MUST_USE tte_err cms_verify_pdf(struct tte_doc *doc,
				    const struct pki_store *store,
				    const struct pki_pool *pool,
				    const uint8_t *der, size_t len,
				    enum cms_pdf_mode mode,
				    const struct cms_part *parts, size_t n_parts,
				    struct tte_sig *sig, struct diag *d);

#endif
