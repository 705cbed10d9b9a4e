/*
 * pki_ocsp.c - OCSP responses into revocation evidence, and the revocation
 * data inside a CMS signature. The formats are described in pki_ocsp.h.
 */
#include "pki_ocsp.h"

#include <limits.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "../base/rd.h"
#include "pki_ossl.h"

/* DER identifier octets the readers below expect. */
#define DER_OID 0x06
#define DER_SEQUENCE 0x30
#define DER_CTX0 0xa0 /* [0] constructed */
#define DER_CTX1 0xa1 /* [1] constructed */

/* id-ri-ocsp-response 1.3.6.1.5.5.7.16.2 (RFC 5940 §4.1), content octets */
static const uint8_t oid_ri_ocsp_response[] = {0x2b, 0x06, 0x01, 0x05,
					       0x05, 0x07, 0x10, 0x02};
#define OID_ADBE_REVOCATION "1.2.840.113583.1.1.8"

/* see pki_ocsp.h */
OCSP_BASICRESP *
pki_ocsp_load(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp;
	OCSP_BASICRESP *bs = NULL;

	if (der == NULL || len == 0 || len > INT_MAX)
		return NULL;
	resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	/* RFC 6960 §4.2.1: only a successful response has responseBytes;
	 * OCSP_response_get1_basic refuses any type but id-pkix-ocsp-basic.
	 * Trailing bytes mean this is not one response (STYLE.md rule 8). */
	if (resp != NULL && (size_t)(p - der) == len &&
	    OCSP_response_status(resp) == OCSP_RESPONSE_STATUS_SUCCESSFUL)
		bs = OCSP_response_get1_basic(resp);
	OCSP_RESPONSE_free(resp);
	ERR_clear_error();
	return bs;
}

/* A DER BasicOCSPResponse filling der[0..len) (CAdES ocspVals), or NULL. */
static OCSP_BASICRESP *
load_basic(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	OCSP_BASICRESP *bs;

	if (len == 0 || len > INT_MAX)
		return NULL;
	bs = d2i_OCSP_BASICRESP(NULL, &p, (long)len);
	if (bs != NULL && (size_t)(p - der) != len) {
		OCSP_BASICRESP_free(bs);
		bs = NULL;
	}
	ERR_clear_error();
	return bs;
}

/* ---- evidence ------------------------------------------------------------ */

/* RFC 5280 §5.3.1 names, as pki_chain.c reports CRL reasons. */
static const char *
reason_name(int reason)
{
	switch (reason) {
	case OCSP_REVOKED_STATUS_UNSPECIFIED: return "unspecified";
	case OCSP_REVOKED_STATUS_KEYCOMPROMISE: return "keyCompromise";
	case OCSP_REVOKED_STATUS_CACOMPROMISE: return "cACompromise";
	case OCSP_REVOKED_STATUS_AFFILIATIONCHANGED:
		return "affiliationChanged";
	case OCSP_REVOKED_STATUS_SUPERSEDED: return "superseded";
	case OCSP_REVOKED_STATUS_CESSATIONOFOPERATION:
		return "cessationOfOperation";
	case OCSP_REVOKED_STATUS_CERTIFICATEHOLD: return "certificateHold";
	case OCSP_REVOKED_STATUS_REMOVEFROMCRL: return "removeFromCRL";
	case OCSP_REVOKED_STATUS_PRIVILEGEWITHDRAWN:
		return "privilegeWithdrawn";
	case OCSP_REVOKED_STATUS_AACOMPROMISE: return "aACompromise";
	case OCSP_REVOKED_STATUS_NOSTATUS: return NULL; /* reason absent */
	default: return "unknown";
	}
}

static int
same_bytes(const ASN1_OCTET_STRING *s, const unsigned char *p, unsigned int n)
{
	return s != NULL && s->length >= 0 && (unsigned int)s->length == n &&
	       memcmp(s->data, p, n) == 0;
}

/*
 * RFC 6960 §4.1.1: CertID names cert by the hash of its issuer's name (the
 * DER of the issuer field in cert), the hash of the issuer's public key
 * (the BIT STRING value, without tag, length and unused-bits octet) and
 * cert's serial. Both hashes use the CertID's own algorithm.
 */
static int
certid_matches(const OCSP_CERTID *cid, X509 *cert, X509 *issuer)
{
	ASN1_OCTET_STRING *name_hash = NULL, *key_hash = NULL;
	ASN1_OBJECT *md_obj = NULL;
	ASN1_INTEGER *serial = NULL;
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	const EVP_MD *md;

	/* OCSP_id_get0_info takes a non-const CertID but only reads it. */
	if (!OCSP_id_get0_info(&name_hash, &md_obj, &key_hash, &serial,
			       (OCSP_CERTID *)cid))
		return 0;
	if (serial == NULL ||
	    ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(cert)) != 0)
		return 0;
	md = EVP_get_digestbyobj(md_obj);
	if (md == NULL)
		return 0;
	if (!X509_NAME_digest(X509_get_issuer_name(cert), md, buf, &n) ||
	    !same_bytes(name_hash, buf, n))
		return 0;
	if (!X509_pubkey_digest(issuer, md, buf, &n) ||
	    !same_bytes(key_hash, buf, n))
		return 0;
	return 1;
}

/* The first SingleResponse of bs about cert, or NULL. */
static OCSP_SINGLERESP *
find_single(OCSP_BASICRESP *bs, X509 *cert, X509 *issuer)
{
	int n = OCSP_resp_count(bs);

	for (int i = 0; i < n; i++) {
		OCSP_SINGLERESP *single = OCSP_resp_get0(bs, i);

		if (single != NULL && certid_matches(
					      OCSP_SINGLERESP_get0_id(single),
					      cert, issuer))
			return single;
	}
	return NULL;
}

/* RFC 6960 §4.2.1 ResponderID: byName is the responder's subject, byKey
 * the SHA-1 of its public key BIT STRING value. */
static int
responder_is(const ASN1_OCTET_STRING *keyid, const X509_NAME *name, X509 *x)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	unsigned int n = 0;

	if (name != NULL)
		return X509_NAME_cmp(name, X509_get_subject_name(x)) == 0;
	if (keyid == NULL || !X509_pubkey_digest(x, EVP_sha1(), md, &n))
		return 0;
	return same_bytes(keyid, md, n);
}

/* RFC 6960 §4.2.1: the signature is over the DER of tbsResponseData. */
static int
signature_verifies(OCSP_BASICRESP *bs, X509 *x)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int r;

	if (pk == NULL)
		return 0;
	r = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA),
			     OCSP_resp_get0_tbs_sigalg(bs),
			     OCSP_resp_get0_signature(bs),
			     OCSP_resp_get0_respdata(bs), pk);
	return r == 1;
}

/* What a check of one responder candidate found. */
struct responder {
	X509 *cert;          /* the candidate (borrowed) */
	const char *subject; /* its subject, RFC 2253 */
	int delegated;       /* not the issuer itself */
	int nocheck;         /* carries id-pkix-ocsp-nocheck */
	const char *problem; /* NULL: it signed the response */
};

/* Checks that candidate x signed bs on behalf of issuer (RFC 6960
 * §4.2.2.2), filling r. */
static void
check_responder(OCSP_BASICRESP *bs, X509 *x, X509 *issuer, int64_t produced,
		struct arena *a, struct responder *r)
{
	const char *isub = pki_ossl_name(X509_get_subject_name(issuer), a);
	EVP_PKEY *ik = X509_get0_pubkey(issuer);
	int64_t nb, na;

	r->cert = x;
	r->subject = pki_ossl_name(X509_get_subject_name(x), a);
	r->delegated = X509_cmp(x, issuer) != 0;
	r->nocheck = r->delegated &&
		     X509_get_ext_by_NID(x, NID_id_pkix_OCSP_noCheck, -1) >= 0;
	r->problem = NULL;
	if (!r->delegated) {
		/* The CA answers for the certificates it issued. */
		if (!signature_verifies(bs, x))
			r->problem = arena_printf(a, "the response signature "
				"does not verify with the key of the issuer "
				"'%s'", isub);
		return;
	}
	/* A delegated responder is "issued directly by the CA that is
	 * identified in the request" (RFC 6960 §4.2.2.2). */
	if (ik == NULL || X509_check_issued(issuer, x) != X509_V_OK ||
	    X509_verify(x, ik) != 1) {
		r->problem = arena_printf(a, "the delegated responder '%s' is "
			"not issued by '%s' (RFC 6960 §4.2.2.2)", r->subject,
			isub);
		return;
	}
	/* X509_get_extended_key_usage allows everything when the extension
	 * is absent; RFC 6960 §4.2.2.2 requires it to be there. */
	if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(x) & XKU_OCSP_SIGN)) {
		r->problem = arena_printf(a, "the delegated responder '%s' "
			"lacks id-kp-OCSPSigning (RFC 6960 §4.2.2.2)",
			r->subject);
		return;
	}
	if (pki_ossl_time(X509_get0_notBefore(x), &nb) != 0 ||
	    pki_ossl_time(X509_get0_notAfter(x), &na) != 0 ||
	    produced < nb || produced > na) {
		r->problem = arena_printf(a, "the delegated responder '%s' was "
			"not valid when the response was produced", r->subject);
		return;
	}
	if (!signature_verifies(bs, x))
		r->problem = arena_printf(a, "the response signature does not "
			"verify with the key of the delegated responder '%s'",
			r->subject);
	/* Without id-pkix-ocsp-nocheck the responder's own revocation status
	 * is asked of the caller (evidence(): RFC 6960 §4.2.2.2.1). */
}

/* Tries the issuer, then the response's certificates, then untrusted,
 * each one whose name or key the ResponderID names, until one signed bs.
 * Returns 1 with *best the passing (or else the first) candidate, 0 when
 * no certificate matches the ResponderID. */
static int
find_responder(OCSP_BASICRESP *bs, X509 *issuer, STACK_OF(X509) *untrusted,
	       int64_t produced, struct arena *a, struct responder *best)
{
	const ASN1_OCTET_STRING *keyid = NULL;
	const X509_NAME *name = NULL;
	const STACK_OF(X509) *certs = OCSP_resp_get0_certs(bs);
	int n_resp = sk_X509_num(certs);
	int n_untr = untrusted == NULL ? 0 : sk_X509_num(untrusted);
	int tried = 0;
	struct responder r;

	if (!OCSP_resp_get0_id(bs, &keyid, &name))
		return 0;
	for (int i = -1; i < n_resp + n_untr; i++) {
		X509 *x;

		if (i < 0)
			x = issuer;
		else if (i < n_resp)
			x = sk_X509_value(certs, i);
		else
			x = sk_X509_value(untrusted, i - n_resp);
		if (x == NULL || !responder_is(keyid, name, x))
			continue;
		if (tried >= PKI_OCSP_MAX_CANDIDATES)
			break;
		check_responder(bs, x, issuer, produced, a, &r);
		if (tried == 0 || r.problem == NULL)
			*best = r;
		tried++;
		if (r.problem == NULL)
			break;
	}
	return tried > 0;
}

/* The ResponderID in words, when no certificate matches it. */
static const char *
responder_id_text(OCSP_BASICRESP *bs, struct arena *a)
{
	const ASN1_OCTET_STRING *keyid = NULL;
	const X509_NAME *name = NULL;

	if (!OCSP_resp_get0_id(bs, &keyid, &name))
		return "?";
	if (name != NULL)
		return pki_ossl_name(name, a);
	if (keyid != NULL && keyid->length > 0)
		return arena_printf(a, "key %s", pki_ossl_hex(keyid->data,
					(size_t)keyid->length, a));
	return "?";
}

static void
set_invalid(struct tte_rev_ev *ev, const char *problem)
{
	if (ev->status == TTE_RS_INVALID)
		return; /* the first problem found is told */
	ev->status = TTE_RS_INVALID;
	ev->revoked_at = 0;
	ev->reason = NULL;
	ev->hold = 0;
	ev->problem = problem;
}

/* The evidence single (from bs) gives about a certificate of issuer; NULL
 * when out of memory. */
static struct tte_rev_ev *
evidence(OCSP_BASICRESP *bs, OCSP_SINGLERESP *single, X509 *issuer,
	 STACK_OF(X509) *untrusted,
	 const struct pki_ocsp_responder_check *rc, struct arena *a)
{
	struct tte_rev_ev *ev = arena_alloc(a, sizeof(*ev));
	ASN1_GENERALIZEDTIME *revtime = NULL, *thisupd = NULL, *nextupd = NULL;
	struct responder r = {NULL, NULL, 0, 0, NULL};
	int reason = OCSP_REVOKED_STATUS_NOSTATUS, st;
	const char *who;

	if (ev == NULL)
		return NULL;
	ev->kind = TTE_REVK_OCSP;
	st = OCSP_single_get0_status(single, &reason, &revtime, &thisupd,
				     &nextupd);
	switch (st) {
	case V_OCSP_CERTSTATUS_GOOD:
		ev->status = TTE_RS_GOOD;
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		ev->status = TTE_RS_REVOKED;
		ev->reason = reason_name(reason);
		ev->hold = reason == OCSP_REVOKED_STATUS_CERTIFICATEHOLD;
		if (pki_ossl_time(revtime, &ev->revoked_at) != 0)
			set_invalid(ev, "the response has an unreadable "
				    "revocationTime");
		break;
	case V_OCSP_CERTSTATUS_UNKNOWN:
		ev->status = TTE_RS_UNKNOWN;
		break;
	default:
		set_invalid(ev, "the response has an unknown certStatus");
		break;
	}
	if (pki_ossl_time(thisupd, &ev->issued) != 0)
		set_invalid(ev, "the response has an unreadable thisUpdate");
	if (nextupd != NULL && pki_ossl_time(nextupd, &ev->next_update) != 0)
		set_invalid(ev, "the response has an unreadable nextUpdate");
	else if (nextupd != NULL && ev->next_update < ev->issued)
		set_invalid(ev, "the response's nextUpdate is before its "
			    "thisUpdate (RFC 6960 §4.2.2.1)");
	if (pki_ossl_time(OCSP_resp_get0_produced_at(bs), &ev->produced) != 0)
		set_invalid(ev, "the response has an unreadable producedAt");

	if (!find_responder(bs, issuer, untrusted, ev->produced, a, &r)) {
		who = responder_id_text(bs, a);
		set_invalid(ev, arena_printf(a, "the responder '%s' is neither "
			"the issuer '%s' nor a certificate in the response or "
			"the signature", who,
			pki_ossl_name(X509_get_subject_name(issuer), a)));
	} else {
		who = r.subject != NULL ? r.subject : "?";
		if (r.problem != NULL)
			set_invalid(ev, r.problem);
	}
	if (!r.delegated) {
		ev->source = arena_printf(a, "OCSP response by '%s'", who);
	} else if (r.nocheck) {
		ev->source = arena_printf(a, "OCSP response by '%s' (delegated "
			"responder, id-pkix-ocsp-nocheck)", who);
	} else {
		/* RFC 6960 §4.2.2.2.1: without nocheck the responder's own
		 * status must be known, here from its issuer's CRLs. */
		int rst = rc != NULL && r.cert != NULL && r.problem == NULL ?
				 rc->status(rc->arg, r.cert, issuer) : -1;

		ev->source = arena_printf(a, "OCSP response by '%s' (delegated "
			"responder, checked against its issuer's CRL)", who);
		if (rst == 0)
			set_invalid(ev, arena_printf(a, "the delegated responder "
				"'%s' is revoked", who));
		else if (rst < 0)
			set_invalid(ev, arena_printf(a, "the delegated responder "
				"'%s' has no id-pkix-ocsp-nocheck and no CRL of its "
				"issuer shows its own status (RFC 6960 "
				"§4.2.2.2.1)", who));
	}
	return ev;
}

/* see pki_ocsp.h */
void
pki_ocsp_evidence(STACK_OF(OCSP_BASICRESP) *resps, X509 *cert, X509 *issuer,
		  STACK_OF(X509) *untrusted,
		  const struct pki_ocsp_responder_check *rc, struct arena *a,
		  struct tte_cert *c)
{
	int n = resps == NULL ? 0 : sk_OCSP_BASICRESP_num(resps);

	if (cert == NULL || issuer == NULL || c == NULL)
		return;
	for (int i = 0; i < n; i++) {
		OCSP_BASICRESP *bs = sk_OCSP_BASICRESP_value(resps, i);
		OCSP_SINGLERESP *single;
		struct tte_rev_ev *ev;

		if (bs == NULL)
			continue;
		single = find_single(bs, cert, issuer);
		if (single == NULL)
			continue;
		ev = evidence(bs, single, issuer, untrusted, rc, a);
		if (ev == NULL)
			break; /* out of memory: the arena is done for */
		tte_cert_add_rev(c, ev);
	}
	ERR_clear_error();
}

/* ---- revocation data inside a CMS signature ----------------------------- */

/* Where collected items go, and how many went. */
struct collector {
	struct pki_pool *out;
	size_t n; /* items added, at most PKI_OCSP_MAX_ITEMS */
};

static int
has_crl(STACK_OF(X509_CRL) *crls, X509_CRL *crl)
{
	for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
		if (X509_CRL_match(sk_X509_CRL_value(crls, i), crl) == 0)
			return 1;
	}
	return 0;
}

/* The same response twice has the same signature value. */
static int
has_ocsp(STACK_OF(OCSP_BASICRESP) *resps, OCSP_BASICRESP *bs)
{
	const ASN1_OCTET_STRING *sig = OCSP_resp_get0_signature(bs);

	for (int i = 0; i < sk_OCSP_BASICRESP_num(resps); i++) {
		if (ASN1_STRING_cmp(OCSP_resp_get0_signature(
					    sk_OCSP_BASICRESP_value(resps, i)),
				    sig) == 0)
			return 1;
	}
	return 0;
}

/* Takes crl (owned) into the pool unless full or already there. */
static void
take_crl(struct collector *col, X509_CRL *crl)
{
	if (crl == NULL)
		return;
	if (col->n >= PKI_OCSP_MAX_ITEMS || has_crl(col->out->crls, crl) ||
	    !sk_X509_CRL_push(col->out->crls, crl)) {
		X509_CRL_free(crl);
		return;
	}
	col->n++;
}

/* Takes bs (owned) into the pool unless full or already there. */
static void
take_ocsp(struct collector *col, OCSP_BASICRESP *bs)
{
	if (bs == NULL)
		return;
	if (col->n >= PKI_OCSP_MAX_ITEMS || has_ocsp(col->out->ocsps, bs) ||
	    !sk_OCSP_BASICRESP_push(col->out->ocsps, bs)) {
		OCSP_BASICRESP_free(bs);
		return;
	}
	col->n++;
}

static void
take_crl_der(struct collector *col, const uint8_t *p, size_t len)
{
	const unsigned char *q = p;
	X509_CRL *crl;

	if (len == 0 || len > INT_MAX)
		return;
	crl = d2i_X509_CRL(NULL, &q, (long)len);
	if (crl != NULL && (size_t)(q - p) != len) {
		X509_CRL_free(crl);
		crl = NULL;
	}
	ERR_clear_error();
	take_crl(col, crl);
}

/* Reads the next TLV of r; *whole points at all of it (tag, length and
 * value), for the d2i functions. */
static tte_err
next_tlv(struct rd *r, uint8_t *tag, const uint8_t **whole, size_t *n,
	 struct diag *d)
{
	size_t start = r->off;
	struct rd value;
	tte_err rc = TTE_OK;

	TRY(rd_der(r, tag, &value, d));
	*n = r->off - start;
	TRY(rd_seek(r, start, d));
	TRY(rd_bytes(r, *n, whole, d));
out:
	return rc;
}

/*
 * RevocationValues (CAdES, basic = 1: ocspVals hold BasicOCSPResponse) or
 * RevocationInfoArchival (Adobe, basic = 0: OCSPResponse), both
 * SEQUENCE { [0] EXPLICIT SEQUENCE OF CRL, [1] EXPLICIT SEQUENCE OF ...,
 * [2] other (skipped) }, from one attribute value p[0..len).
 */
static tte_err
rev_values(struct collector *col, const uint8_t *p, size_t len, int basic,
	   struct diag *d)
{
	struct rd r, seq, tagged, list;
	const uint8_t *item;
	size_t n;
	uint8_t tag, inner, t;
	tte_err rc = TTE_OK;

	rd_init(&r, p, len);
	TRY(rd_der(&r, &tag, &seq, d));
	ENSURE(tag == DER_SEQUENCE, TTE_E_MALFORMED, d,
	       "revocation values are not a SEQUENCE");
	TRY(rd_close(&r, d));
	while (rd_left(&seq) > 0) {
		TRY(rd_der(&seq, &tag, &tagged, d));
		if (tag != DER_CTX0 && tag != DER_CTX1)
			continue; /* [2] other formats: not read, on purpose */
		TRY(rd_der(&tagged, &inner, &list, d));
		ENSURE(inner == DER_SEQUENCE, TTE_E_MALFORMED, d,
		       "revocation values [%d] is not a SEQUENCE OF",
		       tag & 0x1f);
		TRY(rd_close(&tagged, d));
		while (rd_left(&list) > 0 && col->n < PKI_OCSP_MAX_ITEMS) {
			TRY(next_tlv(&list, &t, &item, &n, d));
			if (tag == DER_CTX0)
				take_crl_der(col, item, n);
			else if (basic)
				take_ocsp(col, load_basic(item, n));
			else
				take_ocsp(col, pki_ocsp_load(item, n));
		}
	}
out:
	return rc;
}

/* Every value of one revocation attribute (see rev_values). */
static void
attr_values(struct collector *col, X509_ATTRIBUTE *attr, int basic)
{
	struct diag d;
	int n = X509_ATTRIBUTE_count(attr);

	for (int i = 0; i < n; i++) {
		ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(attr, i);

		if (t == NULL || t->type != V_ASN1_SEQUENCE ||
		    t->value.sequence == NULL ||
		    t->value.sequence->length <= 0)
			continue;
		diag_clear(&d);
		/* An unreadable value is skipped (see pki_ocsp.h); what was
		 * taken before the fault stays. */
		if (rev_values(col, t->value.sequence->data,
			       (size_t)t->value.sequence->length, basic,
			       &d) != TTE_OK)
			continue;
	}
}

/*
 * RFC 5652 §10.2.1: walks ContentInfo { contentType, [0] SignedData {
 * version, digestAlgorithms, encapContentInfo, [0] certificates,
 * [1] crls, signerInfos } } to the crls, and takes each [1]
 * OtherRevocationInfoFormat whose format is id-ri-ocsp-response.
 */
static tte_err
other_rev_info(struct collector *col, const uint8_t *der, size_t len,
	       struct diag *d)
{
	struct rd r, ci, content, sd, field, crls, item, oid;
	const uint8_t *resp, *oid_bytes;
	size_t n;
	uint8_t tag;
	int found = 0;
	tte_err rc = TTE_OK;

	rd_init(&r, der, len);
	TRY(rd_der(&r, &tag, &ci, d));
	ENSURE(tag == DER_SEQUENCE, TTE_E_MALFORMED, d, "ContentInfo");
	TRY(rd_der(&ci, &tag, &oid, d));
	ENSURE(tag == DER_OID, TTE_E_MALFORMED, d, "contentType");
	TRY(rd_der(&ci, &tag, &content, d));
	ENSURE(tag == DER_CTX0, TTE_E_MALFORMED, d, "content");
	TRY(rd_der(&content, &tag, &sd, d));
	ENSURE(tag == DER_SEQUENCE, TTE_E_MALFORMED, d, "SignedData");
	for (int i = 0; i < 3; i++) /* version, digestAlgorithms, eContent */
		TRY(rd_der(&sd, &tag, &field, d));
	while (rd_left(&sd) > 0 && !found) {
		TRY(rd_der(&sd, &tag, &field, d));
		if (tag == DER_CTX1) {
			crls = field;
			found = 1;
		}
	}
	if (!found)
		goto out;
	while (rd_left(&crls) > 0 && col->n < PKI_OCSP_MAX_ITEMS) {
		TRY(rd_der(&crls, &tag, &item, d));
		if (tag != DER_CTX1)
			continue; /* a CertificateList: CMS_get1_crls has it */
		TRY(rd_der(&item, &tag, &oid, d));
		ENSURE(tag == DER_OID, TTE_E_MALFORMED, d,
		       "otherRevInfoFormat");
		if (rd_left(&oid) != sizeof(oid_ri_ocsp_response))
			continue; /* another format (SCVP, ...): not read */
		TRY(rd_bytes(&oid, sizeof(oid_ri_ocsp_response), &oid_bytes,
			     d));
		if (memcmp(oid_bytes, oid_ri_ocsp_response,
			   sizeof(oid_ri_ocsp_response)) != 0)
			continue;
		TRY(next_tlv(&item, &tag, &resp, &n, d));
		take_ocsp(col, pki_ocsp_load(resp, n));
	}
out:
	return rc;
}

/* see pki_ocsp.h */
void
pki_ocsp_collect_cms(CMS_ContentInfo *cms, CMS_SignerInfo *si,
		     struct pki_pool *out)
{
	struct collector col = {out, 0};
	STACK_OF(X509_CRL) *crls;
	ASN1_OBJECT *adbe = NULL;
	unsigned char *der = NULL;
	struct diag d;
	int len, i;

	if (cms == NULL || out == NULL)
		return;
	ERR_clear_error();
	crls = CMS_get1_crls(cms);
	for (i = 0; i < sk_X509_CRL_num(crls); i++)
		take_crl(&col, sk_X509_CRL_value(crls, i));
	sk_X509_CRL_free(crls); /* each CRL was taken or freed */

	len = i2d_CMS_ContentInfo(cms, &der);
	diag_clear(&d);
	/* An unreadable structure is skipped (see pki_ocsp.h). */
	if (len > 0 && other_rev_info(&col, der, (size_t)len, &d) != TTE_OK)
		diag_clear(&d);
	OPENSSL_free(der);
	if (si == NULL)
		goto out;

	/* CAdES (ETSI TS 101 733 §6.3.4): unsigned revocationValues. */
	i = CMS_unsigned_get_attr_by_NID(si,
					 NID_id_smime_aa_ets_revocationValues,
					 -1);
	while (i >= 0) {
		attr_values(&col, CMS_unsigned_get_attr(si, i), 1);
		i = CMS_unsigned_get_attr_by_NID(
			si, NID_id_smime_aa_ets_revocationValues, i);
	}
	/* Adobe: the signed adbe-revocationInfoArchival attribute. */
	adbe = OBJ_txt2obj(OID_ADBE_REVOCATION, 1);
	if (adbe == NULL)
		goto out;
	i = CMS_signed_get_attr_by_OBJ(si, adbe, -1);
	while (i >= 0) {
		attr_values(&col, CMS_signed_get_attr(si, i), 0);
		i = CMS_signed_get_attr_by_OBJ(si, adbe, i);
	}
out:
	ASN1_OBJECT_free(adbe);
	ERR_clear_error();
}
