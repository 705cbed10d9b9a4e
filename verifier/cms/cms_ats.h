/*
 * cms_ats.h - CAdES archive timestamps (ETSI EN 319 122-1 §5.5; ETSI TS
 * 101 733 v2.2.1 §6.4 and Annex K): which bytes of a SignedData they
 * cover, their message imprint input, and what their hash index names.
 *
 * An archive timestamp is an unsigned attribute of a SignerInfo whose one
 * value is an RFC 3161 TimeStampToken. Its messageImprint is the digest,
 * with the token's own imprint algorithm H, of bytes of the signature as
 * received (never re-encoded: BER stays BER):
 *
 *   archive-time-stamp-v3 (0.4.0.1733.2.4), EN 319 122-1 §5.5.3:
 *
 *     eContentType TLV
 *     || H(the signed content: eContent's octets, or the detached content)
 *     || the SignerInfo's version, sid, digestAlgorithm, signedAttrs,
 *        signatureAlgorithm and signature TLVs, as they appear
 *     || the ATSHashIndexV3 TLV: the one value of the token SignerInfo's
 *        unsigned ats-hash-index-v3 (0.4.0.19122.1.5) or, in tokens made
 *        to TS 101 733 v2.2.1 §6.4.2, ats-hash-index (0.4.0.1733.2.5)
 *
 *   archive-time-stamp v2 (1.2.840.113549.1.9.16.2.48), TS 101 733
 *   §6.4.1 and Annex K:
 *
 *     encapContentInfo TLV || the detached content, when eContent is
 *     absent || certificates [0] TLV || crls [1] TLV (each when present)
 *     || the SignerInfo fields as above || unsignedAttrs [1] holding the
 *     unsigned attributes that are not archive timestamps (v2 or v3) of
 *     this genTime or later, in their order; with the [1] tag and a
 *     definite length, or (Annex K note 3: a previous version) without
 *     them. Both are tried.
 *
 * The hash index says what an archive-time-stamp-v3 covers besides the
 * signature (the imprint covers the index, so the index is signed):
 *
 *   ATSHashIndexV3 ::= SEQUENCE {
 *     hashIndAlgorithm       AlgorithmIdentifier DEFAULT {id-sha256},
 *     certificatesHashIndex  SEQUENCE OF OCTET STRING,
 *     crlsHashIndex          SEQUENCE OF OCTET STRING,
 *     unsignedAttrsHashIndex SEQUENCE OF OCTET STRING }
 *
 * with the hash of each CertificateChoices TLV of SignedData.certificates,
 * of each RevocationInfoChoice TLV of SignedData.crls and, for
 * ats-hash-index-v3, of attrType TLV || one attrValue TLV for each value
 * of each unsigned attribute (the older ats-hash-index: of each Attribute
 * TLV). An entry that names nothing present means that what it protected
 * was removed or altered after the timestamp.
 *
 * Unsupported, on purpose:
 *  - id-aa-ets-archiveTimeStamp (1.2.840.113549.1.9.16.2.27, TS 101 733
 *    v1): recognised and reported as not verified, never as valid;
 *  - any hash index other than the two above: an archive-time-stamp-v3
 *    without one cannot have the imprint the standard defines;
 *  - an ats-hash-index attribute with other than one value (the index is
 *    ambiguous): not verified;
 *  - tags in high-tag-number form (CMS has none), BER indefinite lengths
 *    nested over CMS_BER_MAX_DEPTH levels, more than CMS_LAYOUT_MAX items
 *    in one list: the archive timestamps are then not verified.
 */
#ifndef TTE_CMS_ATS_H
#define TTE_CMS_ATS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "../base/arena.h"
#include "../diag.h"
#include "../result.h"
#include "cms_sig.h"

/* Indefinite lengths nested inside one another in a CMS read here: a
 * SignedData needs about 8 (ContentInfo, SignedData, encapContentInfo,
 * certificates, a certificate's parts); more is not a signature. */
#define CMS_BER_MAX_DEPTH 32

/* Items of one list read here: certificates, CRLs, SignerInfos,
 * unsigned attributes of one SignerInfo, values of one attribute,
 * entries of one hash index list. A signature carries at most
 * CMS_MAX_CERTS certificates; revocation data and attributes are of the
 * same order. It bounds the hashing an index check does. */
#define CMS_LAYOUT_MAX 1024

/* Bytes of the CMS as received, borrowed from the caller's buffer. */
struct cms_span {
	const uint8_t *p;
	size_t len;
};

/* The unsigned attributes this module tells apart. */
enum cms_ua_type {
	CMS_UA_OTHER = 0,
	CMS_UA_SIG_TS,       /* id-aa-signatureTimeStampToken */
	CMS_UA_ATS_V3,       /* archive-time-stamp-v3 */
	CMS_UA_ATS_V2,       /* id-aa-ets-archiveTimestampV2 */
	CMS_UA_ATS_V1,       /* id-aa-ets-archiveTimeStamp */
	CMS_UA_INDEX_V3,     /* ats-hash-index-v3 (in a token) */
	CMS_UA_INDEX_OLD,    /* ats-hash-index (in a token) */
};

/* One unsigned attribute: Attribute ::= SEQUENCE { attrType, attrValues
 * SET OF AttributeValue }. */
struct cms_uattr {
	enum cms_ua_type type;
	struct cms_span attr;      /* the Attribute TLV */
	struct cms_span attr_type; /* its attrType TLV */
	struct cms_span *values;   /* each AttributeValue TLV */
	size_t n_values;
};

struct cms_layout_signer {
	struct cms_span fields;   /* version .. signature, contiguous */
	struct cms_span uattrs;   /* the unsignedAttrs [1] TLV; len 0: none */
	struct cms_uattr *attrs;  /* its attributes, in order */
	size_t n_attrs;
};

/* Where the parts of a ContentInfo holding a SignedData (RFC 5652 §5.1)
 * are. Every span points into the bytes it was read from. */
struct cms_layout {
	struct cms_span encap;        /* the encapContentInfo TLV */
	struct cms_span content_type; /* its eContentType TLV */
	int has_econtent;             /* eContent [0] is present */
	struct cms_span certs;        /* the certificates [0] TLV; len 0:
					 absent */
	struct cms_span *cert;        /* each CertificateChoices TLV */
	size_t n_cert;
	struct cms_span crls;         /* the crls [1] TLV; len 0: absent */
	struct cms_span *crl;         /* each RevocationInfoChoice TLV */
	size_t n_crl;
	struct cms_layout_signer *signers;
	size_t n_signers;
};

/*
 * Reads the layout of the ContentInfo at der[0..len) (DER or BER; bytes
 * after it are ignored: a PDF's /Contents is zero-padded). The arrays
 * come from a; the spans borrow der, which the caller keeps. Errors:
 * TTE_E_MALFORMED (not a ContentInfo holding a SignedData, or a field
 * out of place), TTE_E_TRUNCATED, TTE_E_TOO_BIG (CMS_LAYOUT_MAX,
 * CMS_BER_MAX_DEPTH), TTE_E_UNSUPPORTED (high tag numbers), TTE_E_NOMEM.
 */
TTE_MUST_USE tte_err cms_ats_layout(const uint8_t *der, size_t len,
				    struct arena *a, struct cms_layout *out,
				    struct diag *d);

/* Which attribute an attrType OID is, from its content octets. */
enum cms_ua_type cms_ats_attr_type(const uint8_t *oid, size_t len);

/*
 * Finds the hash index of an archive-time-stamp-v3 token tok[0..len):
 * the one value of its SignerInfo's unsigned ats-hash-index-v3 or
 * ats-hash-index attribute. Returns 1 with *index (borrowing tok) and
 * *form (TTE_ATS_V3 or TTE_ATS_V3_OLD_INDEX) set, 0 when the token has
 * neither, -1 when it cannot tell (*why: unreadable token, an index
 * attribute with other than one value, or both indexes). a holds what
 * is read on the way.
 */
int cms_ats_token_index(const uint8_t *tok, size_t len, struct arena *a,
			struct cms_span *index, enum tte_ats_form *form,
			const char **why);

/* Everything the imprint of one archive timestamp is computed from. */
struct cms_ats_input {
	const struct cms_layout *l;      /* of the signature */
	size_t signer;                   /* index in l->signers */
	size_t attr;                     /* its attribute in that signer */
	enum tte_ats_form form;
	struct cms_span index;           /* V3 forms: the index TLV from the
					    token; len 0: the token has none */
	const struct cms_part *content;  /* the signed content; NULL: it
					    was not found */
	size_t n_content;
	const int64_t *gen_time;         /* V2: genTime of each attribute of
					    the signer that is an archive
					    timestamp (0: unknown) */
};

/*
 * Whether want[0..want_len) is the digest with md of in's imprint input.
 * Returns 1 (it is; *note says when only a tolerated variant matched,
 * else NULL), 0 (it is not; *why may say more, else NULL) or -1 (it
 * cannot be computed: *why). Messages are static strings.
 */
int cms_ats_imprint_match(const struct cms_ats_input *in, const EVP_MD *md,
			  const uint8_t *want, size_t want_len,
			  const char **note, const char **why);

/*
 * What the archive timestamp of in covers besides the signature: sets
 * ats->covers (TTE_COVERS_TS, and TTE_COVERS_ATS(pos[i]) for each
 * attribute i of the signer covered that is the pos[i]-th archive
 * timestamp recorded; pos[i] < 0 for the others) and, for the V3 forms,
 * ats->hash_index and ats->hash_index_msg: FAILED when an index entry
 * names nothing present, NOT_DONE (with the message) when the index
 * cannot be read. Messages come from a.
 */
void cms_ats_coverage(const struct cms_ats_input *in, const int *pos,
		      struct arena *a, struct tte_sig *ats);

#endif
