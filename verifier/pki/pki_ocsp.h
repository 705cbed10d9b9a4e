/*
 * pki_ocsp.h - OCSP responses as revocation evidence (RFC 6960), and the
 * revocation data a CMS/CAdES signature carries with it.
 *
 * Formats read (all DER):
 *
 *   OCSPResponse ::= SEQUENCE {                       RFC 6960 §4.2.1
 *      responseStatus  ENUMERATED,    -- only successful (0) is used
 *      responseBytes   [0] EXPLICIT SEQUENCE {
 *         responseType OID,           -- only id-pkix-ocsp-basic
 *         response     OCTET STRING } OPTIONAL }   -- a BasicOCSPResponse
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm,
 *      signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate }
 *   ResponseData ::= SEQUENCE { version [0], responderID (byName [1] |
 *      byKey [2] SHA-1 of the key), producedAt, responses SEQUENCE OF
 *      SingleResponse { certID, certStatus, thisUpdate, nextUpdate [0] } }
 *
 *   CMS SignedData crls [1] RevocationInfoChoices (RFC 5652 §10.2.1):
 *      CertificateList | [1] IMPLICIT OtherRevocationInfoFormat {
 *         otherRevInfoFormat OID, otherRevInfo ANY }
 *      with id-ri-ocsp-response 1.3.6.1.5.5.7.16.2: an OCSPResponse
 *      (RFC 5940 §4.1)
 *   id-aa-ets-revocationValues 1.2.840.113549.1.9.16.2.24, unsigned
 *      attribute (ETSI TS 101 733 §6.3.4; the module has EXPLICIT tags):
 *      RevocationValues ::= SEQUENCE {
 *         crlVals      [0] SEQUENCE OF CertificateList OPTIONAL,
 *         ocspVals     [1] SEQUENCE OF BasicOCSPResponse OPTIONAL,
 *         otherRevVals [2] OtherRevVals OPTIONAL }
 *   adbe-revocationInfoArchival 1.2.840.113583.1.1.8, signed attribute
 *      (Adobe; ISO 32000-1 §12.8.3.3):
 *      RevocationInfoArchival ::= SEQUENCE {
 *         crl          [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
 *         ocsp         [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL,
 *         otherRevInfo [2] EXPLICIT SEQUENCE OF OtherRevInfo OPTIONAL }
 *   Note: revocationValues holds BasicOCSPResponse, the others
 *   OCSPResponse.
 *
 * Unsupported, on purpose: OCSP request nonces (offline data has none to
 * match), otherRevVals / otherRevInfo and other RevocationInfoChoice
 * formats (SCVP). A delegated responder without id-pkix-ocsp-nocheck is
 * checked by the caller (struct pki_ocsp_responder_check).
 * Time is not judged here: thisUpdate, nextUpdate and producedAt are
 * recorded for verdict.c to weigh against the best signature time.
 */
#ifndef TTE_PKI_OCSP_H
#define TTE_PKI_OCSP_H

#include <stddef.h>

#include <openssl/cms.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "../result.h"
#include "pki_store.h"

/* Revocation items (CRLs plus OCSP responses) taken from one signature:
 * a real CAdES-LT signature carries a handful per certificate of its
 * chain; more is a resource attack on the chain check. */
#define PKI_OCSP_MAX_ITEMS 256

/* Responder certificates tried for one response: the issuer and the
 * certificates whose name or key matches the ResponderID. Each try costs
 * a signature verification, so a response cannot make thousands. */
#define PKI_OCSP_MAX_CANDIDATES 8

/*
 * Parses one DER OCSPResponse, der[0..len), which must fill len exactly
 * (no trailing bytes), have responseStatus successful and responseType
 * id-pkix-ocsp-basic. Returns its BasicOCSPResponse, owned by the caller
 * (OCSP_BASICRESP_free), or NULL when der is anything else. Nothing is
 * verified here: that is pki_ocsp_evidence's job. The OpenSSL error queue
 * is left empty.
 */
OCSP_BASICRESP *pki_ocsp_load(const unsigned char *der, size_t len);

/*
 * Adds to c (with tte_cert_add_rev, memory from a) one struct tte_rev_ev
 * of kind TTE_REVK_OCSP for every response in resps that has a
 * SingleResponse whose CertID names cert as issued by issuer: the serial,
 * and issuerNameHash / issuerKeyHash computed with the CertID's own hash
 * algorithm (any digest OpenSSL knows; an unknown one never matches).
 * Responses about other certificates add nothing; of several
 * SingleResponses about cert in one response, the first is used.
 *
 * Each evidence records: status GOOD, REVOKED (revoked_at, reason name
 * as in RFC 5280 §5.3.1 e.g. "keyCompromise" or NULL, hold for
 * certificateHold) or UNKNOWN; issued = thisUpdate; produced =
 * producedAt; next_update = nextUpdate or 0 when absent; source =
 * "OCSP response by '<responder subject>'" (RFC 2253), with " (delegated
 * responder, id-pkix-ocsp-nocheck)" or " (delegated responder; its own
 * revocation status is not checked)" appended when a delegated responder
 * signed it.
 *
 * The response is verified (RFC 6960 §4.2.2.2): the ResponderID (byName
 * or byKey) names either issuer itself (CA-signed) or a delegated
 * responder certificate, found among the response's certs or in
 * untrusted (may be NULL), which must be signed by issuer's key (and name
 * it as issuer), carry extendedKeyUsage id-kp-OCSPSigning and be within
 * its validity at producedAt; the BasicOCSPResponse signature must verify
 * with the responder's key. Up to PKI_OCSP_MAX_CANDIDATES certificates are
 * tried; the first that passes every check signs the response. When none
 * does, or a time in the SingleResponse is unreadable, or nextUpdate is
 * before thisUpdate, the evidence still is added, with status
 * TTE_RS_INVALID, revoked_at 0, reason NULL, and problem in plain words
 * (e.g. "the delegated responder 'CN=x' lacks id-kp-OCSPSigning (RFC 6960
 * §4.2.2.2)"); for several candidates, the first one's problem.
 *
 * resps may be NULL (nothing to do). cert and issuer are borrowed; NULL
 * for either adds nothing. Out of memory in a drops the evidence (the
 * verdict never passes on missing evidence). The OpenSSL error queue is
 * left empty.
 */
/* Asks the caller about a delegated responder without
 * id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): 1 known not revoked, 0
 * revoked, -1 unknown. */
struct pki_ocsp_responder_check {
	int (*status)(void *arg, X509 *responder, X509 *issuer);
	void *arg;
};

void pki_ocsp_evidence(STACK_OF(OCSP_BASICRESP) *resps, X509 *cert,
		       X509 *issuer, STACK_OF(X509) *untrusted,
		       const struct pki_ocsp_responder_check *rc,
		       struct arena *a, struct tte_cert *c);

/*
 * Adds to out the revocation data that one CMS signature carries:
 *  - the CertificateLists of the SignedData crls field (CMS_get1_crls)
 *    to out->crls;
 *  - its `other` RevocationInfoChoices with format id-ri-ocsp-response
 *    (OCSPResponse, RFC 5940) to out->ocsps (read from i2d of cms with a
 *    bounded DER reader: OpenSSL 3.0 has no getter for them);
 *  - when si is not NULL, every value of si's unsigned attribute
 *    id-aa-ets-revocationValues (CRLs; BasicOCSPResponses) and of its
 *    signed attribute adbe-revocationInfoArchival (CRLs; OCSPResponses).
 * OCSP responses must pass pki_ocsp_load (successful, basic); nothing is
 * verified here. An item equal to one already in out (the same CRL, a
 * response with the same signature) is not added twice. At most
 * PKI_OCSP_MAX_ITEMS items are added per call; items past the limit,
 * unreadable items and unreadable attributes are skipped silently: they
 * are evidence the chain check will miss, never evidence it trusts. cms,
 * si and out are borrowed; out owns what is added. The OpenSSL error
 * queue is left empty.
 */
void pki_ocsp_collect_cms(CMS_ContentInfo *cms, CMS_SignerInfo *si,
			  struct pki_pool *out);

#endif
