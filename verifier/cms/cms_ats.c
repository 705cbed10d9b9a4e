/*
 * cms_ats.c - see cms_ats.h for the formats and what is unsupported.
 *
 * The layout is read with the bounded BER reader (rd_ber) from the bytes
 * as received: the archive timestamp imprints are over those bytes, and
 * OpenSSL's parse would re-encode them. ASCII layout of what is read:
 *
 *   ContentInfo SEQUENCE {
 *     contentType OID (signedData)
 *     [0] { SignedData SEQUENCE {
 *       version INTEGER, digestAlgorithms SET,
 *       encapContentInfo SEQUENCE { eContentType OID, [0] eContent? }
 *       certificates [0] { CertificateChoices... }?
 *       crls [1] { RevocationInfoChoice... }?
 *       signerInfos SET { SignerInfo SEQUENCE {
 *         version, sid, digestAlgorithm, signedAttrs [0]?,
 *         signatureAlgorithm, signature OCTET STRING,
 *         unsignedAttrs [1] { Attribute SEQUENCE { OID, SET {...} }... }?
 *       }... } } } }
 */
#include "cms_ats.h"

#include <limits.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include "../base/rd.h"

#define TAG_INTEGER 0x02
#define TAG_OCTETS 0x04
#define TAG_OCTETS_CONS 0x24 /* BER constructed OCTET STRING */
#define TAG_OID 0x06
#define TAG_SEQ 0x30
#define TAG_SET 0x31
#define TAG_CTX0 0xa0
#define TAG_CTX1 0xa1
#define TAG_CTX0_PRIM 0x80 /* sid: subjectKeyIdentifier [0] IMPLICIT */

/* OID content octets (X.690 §8.19). */
static const uint8_t OID_SIGNED_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
					  0x0d, 0x01, 0x07, 0x02};
static const uint8_t OID_SIG_TS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				     0x01, 0x09, 0x10, 0x02, 0x0e};
static const uint8_t OID_ATS_V3[] = {0x04, 0x00, 0x8d, 0x45, 0x02, 0x04};
static const uint8_t OID_ATS_V2[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				     0x01, 0x09, 0x10, 0x02, 0x30};
static const uint8_t OID_ATS_V1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				     0x01, 0x09, 0x10, 0x02, 0x1b};
static const uint8_t OID_INDEX_V3[] = {0x04, 0x00, 0x81, 0x95,
				       0x32, 0x01, 0x05};
static const uint8_t OID_INDEX_OLD[] = {0x04, 0x00, 0x8d, 0x45, 0x02, 0x05};

static int
oid_is(const uint8_t *oid, size_t len, const uint8_t *want, size_t n)
{
	return len == n && memcmp(oid, want, n) == 0;
}

/* see cms_ats.h */
enum cms_ua_type
cms_ats_attr_type(const uint8_t *oid, size_t len)
{
	if (oid_is(oid, len, OID_SIG_TS, sizeof(OID_SIG_TS)))
		return CMS_UA_SIG_TS;
	if (oid_is(oid, len, OID_ATS_V3, sizeof(OID_ATS_V3)))
		return CMS_UA_ATS_V3;
	if (oid_is(oid, len, OID_ATS_V2, sizeof(OID_ATS_V2)))
		return CMS_UA_ATS_V2;
	if (oid_is(oid, len, OID_ATS_V1, sizeof(OID_ATS_V1)))
		return CMS_UA_ATS_V1;
	if (oid_is(oid, len, OID_INDEX_V3, sizeof(OID_INDEX_V3)))
		return CMS_UA_INDEX_V3;
	if (oid_is(oid, len, OID_INDEX_OLD, sizeof(OID_INDEX_OLD)))
		return CMS_UA_INDEX_OLD;
	return CMS_UA_OTHER;
}

/* ---- reading the layout ---- */

/* The next TLV of r, which must have tag want (any tag when want is 0);
 * whole (may be NULL) gets its bytes. */
static tte_err
next(struct rd *r, uint8_t want, struct rd *value, struct cms_span *whole,
     const char *what, struct diag *d)
{
	const uint8_t *p = NULL;
	size_t n = 0;
	uint8_t tag = 0;
	tte_err rc = TTE_OK;

	TRY(rd_ber(r, CMS_BER_MAX_DEPTH, &tag, value, &p, &n, d));
	ENSURE(want == 0 || tag == want, TTE_E_MALFORMED, d,
	       "%s: tag 0x%02x where 0x%02x belongs", what, tag, want);
	if (whole != NULL) {
		whole->p = p;
		whole->len = n;
	}
out:
	return rc;
}

/* The tag of the next TLV of r, or 0 at its end. */
static uint8_t
peek_tag(const struct rd *r)
{
	uint8_t t = 0;

	return rd_peek(r, 0, &t) ? t : 0;
}

/* Every TLV of v (a copy is walked) as spans from a, at most
 * CMS_LAYOUT_MAX. */
static tte_err
items(struct rd v, struct arena *a, struct cms_span **out, size_t *n,
      const char *what, struct diag *d)
{
	struct rd walk = v, unused;
	size_t count = 0;
	tte_err rc = TTE_OK;

	*out = NULL;
	*n = 0;
	while (rd_left(&walk) > 0) {
		TRY(next(&walk, 0, &unused, NULL, what, d));
		count++;
		ENSURE(count <= CMS_LAYOUT_MAX, TTE_E_TOO_BIG, d,
		       "more than %d %s", CMS_LAYOUT_MAX, what);
	}
	if (count == 0)
		goto out;
	*out = arena_alloc(a, count * sizeof(**out));
	ENSURE(*out != NULL, TTE_E_NOMEM, d, "%s", what);
	for (size_t i = 0; i < count; i++)
		TRY(next(&v, 0, &unused, &(*out)[i], what, d));
	*n = count;
out:
	return rc;
}

/* The bytes of r from offset from up to its position. */
static tte_err
span_since(const struct rd *r, size_t from, struct cms_span *out,
	   struct diag *d)
{
	struct rd c = *r;
	tte_err rc = TTE_OK;

	out->len = r->off - from;
	TRY(rd_seek(&c, from, d));
	TRY(rd_bytes(&c, out->len, &out->p, d));
out:
	return rc;
}

/* Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ... } */
static tte_err
read_attr(struct cms_span attr, struct arena *a, struct cms_uattr *out,
	  struct diag *d)
{
	struct rd r, seq, oid, values;
	tte_err rc = TTE_OK;

	out->attr = attr;
	rd_init(&r, attr.p, attr.len);
	TRY(next(&r, TAG_SEQ, &seq, NULL, "unsigned attribute", d));
	TRY(next(&seq, TAG_OID, &oid, &out->attr_type, "attribute type", d));
	TRY(next(&seq, TAG_SET, &values, NULL, "attribute values", d));
	TRY(rd_close(&seq, d));
	out->type = cms_ats_attr_type(oid.p, oid.len);
	TRY(items(values, a, &out->values, &out->n_values, "attribute values",
		  d));
out:
	return rc;
}

/* SignerInfo (RFC 5652 §5.3): the fields up to the signature, then the
 * unsigned attributes. */
static tte_err
read_signer(struct cms_span si, struct arena *a, struct cms_layout_signer *s,
	    struct diag *d)
{
	struct rd r, v, unused, ua;
	struct cms_span *attrs = NULL;
	size_t start;
	uint8_t t;
	tte_err rc = TTE_OK;

	rd_init(&r, si.p, si.len);
	TRY(next(&r, TAG_SEQ, &v, NULL, "SignerInfo", d));
	start = v.off;
	TRY(next(&v, TAG_INTEGER, &unused, NULL, "SignerInfo version", d));
	t = peek_tag(&v);
	ENSURE(t == TAG_SEQ || t == TAG_CTX0_PRIM, TTE_E_MALFORMED, d,
	       "SignerInfo sid: tag 0x%02x", t);
	TRY(next(&v, 0, &unused, NULL, "SignerInfo sid", d));
	TRY(next(&v, TAG_SEQ, &unused, NULL, "digestAlgorithm", d));
	if (peek_tag(&v) == TAG_CTX0)
		TRY(next(&v, TAG_CTX0, &unused, NULL, "signedAttrs", d));
	TRY(next(&v, TAG_SEQ, &unused, NULL, "signatureAlgorithm", d));
	t = peek_tag(&v);
	ENSURE(t == TAG_OCTETS || t == TAG_OCTETS_CONS, TTE_E_MALFORMED, d,
	       "SignerInfo signature: tag 0x%02x", t);
	TRY(next(&v, 0, &unused, NULL, "signature", d));
	TRY(span_since(&v, start, &s->fields, d));
	if (rd_left(&v) > 0) {
		TRY(next(&v, TAG_CTX1, &ua, &s->uattrs, "unsignedAttrs", d));
		TRY(items(ua, a, &attrs, &s->n_attrs, "unsigned attributes",
			  d));
		if (s->n_attrs > 0) {
			s->attrs = arena_alloc(a, s->n_attrs *
						  sizeof(*s->attrs));
			ENSURE(s->attrs != NULL, TTE_E_NOMEM, d,
			       "unsigned attributes");
		}
		for (size_t i = 0; i < s->n_attrs; i++)
			TRY(read_attr(attrs[i], a, &s->attrs[i], d));
	}
	TRY(rd_close(&v, d));
out:
	return rc;
}

/* see cms_ats.h */
tte_err
cms_ats_layout(const uint8_t *der, size_t len, struct arena *a,
	       struct cms_layout *out, struct diag *d)
{
	struct rd r, ci, oid, wrap, sd, v, encap, unused;
	struct cms_span *sis = NULL;
	tte_err rc = TTE_OK;

	memset(out, 0, sizeof(*out));
	rd_init(&r, der, len);
	TRY(next(&r, TAG_SEQ, &ci, NULL, "ContentInfo", d));
	TRY(next(&ci, TAG_OID, &oid, NULL, "contentType", d));
	ENSURE(oid_is(oid.p, oid.len, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA)),
	       TTE_E_MALFORMED, d, "the ContentInfo is not a SignedData");
	TRY(next(&ci, TAG_CTX0, &wrap, NULL, "content", d));
	TRY(next(&wrap, TAG_SEQ, &sd, NULL, "SignedData", d));
	TRY(next(&sd, TAG_INTEGER, &unused, NULL, "SignedData version", d));
	TRY(next(&sd, TAG_SET, &unused, NULL, "digestAlgorithms", d));
	TRY(next(&sd, TAG_SEQ, &encap, &out->encap, "encapContentInfo", d));
	TRY(next(&encap, TAG_OID, &unused, &out->content_type, "eContentType",
		 d));
	out->has_econtent = rd_left(&encap) > 0;
	if (peek_tag(&sd) == TAG_CTX0) {
		TRY(next(&sd, TAG_CTX0, &v, &out->certs, "certificates", d));
		TRY(items(v, a, &out->cert, &out->n_cert, "certificates", d));
	}
	if (peek_tag(&sd) == TAG_CTX1) {
		TRY(next(&sd, TAG_CTX1, &v, &out->crls, "crls", d));
		TRY(items(v, a, &out->crl, &out->n_crl, "revocation values", d));
	}
	TRY(next(&sd, TAG_SET, &v, NULL, "signerInfos", d));
	TRY(rd_close(&sd, d));
	TRY(items(v, a, &sis, &out->n_signers, "SignerInfos", d));
	if (out->n_signers > 0) {
		out->signers = arena_alloc(a, out->n_signers *
						      sizeof(*out->signers));
		ENSURE(out->signers != NULL, TTE_E_NOMEM, d, "SignerInfos");
	}
	for (size_t i = 0; i < out->n_signers; i++)
		TRY(read_signer(sis[i], a, &out->signers[i], d));
out:
	return rc;
}

/* see cms_ats.h */
int
cms_ats_token_index(const uint8_t *tok, size_t len, struct arena *a,
		    struct cms_span *index, enum tte_ats_form *form,
		    const char **why)
{
	struct cms_layout l;
	const struct cms_uattr *found = NULL;
	struct diag d;

	diag_clear(&d);
	if (cms_ats_layout(tok, len, a, &l, &d) != TTE_OK ||
	    l.n_signers != 1) {
		*why = "the timestamp token cannot be read for its hash index";
		return -1;
	}
	for (size_t i = 0; i < l.signers[0].n_attrs; i++) {
		const struct cms_uattr *u = &l.signers[0].attrs[i];

		if (u->type != CMS_UA_INDEX_V3 && u->type != CMS_UA_INDEX_OLD)
			continue;
		if (found != NULL) {
			*why = "the token carries more than one hash index "
			       "attribute: which one it was made with is not "
			       "known";
			return -1;
		}
		found = u;
	}
	if (found == NULL)
		return 0;
	if (found->n_values != 1) {
		*why = "the token's ats-hash-index attribute does not hold "
		       "exactly one ATSHashIndex value (EN 319 122-1 §5.5.2)";
		return -1;
	}
	*index = found->values[0];
	*form = found->type == CMS_UA_INDEX_V3 ? TTE_ATS_V3 :
						 TTE_ATS_V3_OLD_INDEX;
	return 1;
}

/* ---- the imprint ---- */

struct hasher {
	EVP_MD_CTX *ctx;
	int ok;
};

static void
feed(struct hasher *h, const uint8_t *p, size_t n)
{
	if (h->ok && n > 0 && !EVP_DigestUpdate(h->ctx, p, n))
		h->ok = 0;
}

static void
feed_span(struct hasher *h, struct cms_span s)
{
	feed(h, s.p, s.len);
}

/* The [1] tag and DER length octets of n bytes of contents. */
static size_t
ctx1_header(size_t n, uint8_t out[6])
{
	size_t k = 0;

	out[k++] = TAG_CTX1;
	if (n < 0x80) {
		out[k++] = (uint8_t)n;
		return k;
	}
	{
		uint8_t be[4];
		size_t m = 0;

		for (size_t v = n; v > 0 && m < sizeof(be); v >>= 8)
			be[m++] = (uint8_t)(v & 0xff);
		out[k++] = (uint8_t)(0x80 | m);
		while (m > 0)
			out[k++] = be[--m];
	}
	return k;
}

static int
is_ats(enum cms_ua_type t)
{
	return t == CMS_UA_ATS_V2 || t == CMS_UA_ATS_V3;
}

/* TS 101 733 §6.4.1: the unsigned attributes a v2 archive timestamp
 * covers are those present before it: every one but the archive
 * timestamps (v2 or v3) of its own genTime or later, or of none known. */
static int
v2_includes(const struct cms_ats_input *in, size_t i)
{
	const struct cms_layout_signer *s = &in->l->signers[in->signer];
	int64_t own = in->gen_time[in->attr];

	if (!is_ats(s->attrs[i].type))
		return 1;
	return i != in->attr && in->gen_time[i] != 0 && own != 0 &&
	       in->gen_time[i] < own;
}

/* Whether a v2 archive timestamp covers any unsigned attribute. */
static int
v2_covers_any(const struct cms_ats_input *in)
{
	for (size_t i = 0; i < in->l->signers[in->signer].n_attrs; i++) {
		if (v2_includes(in, i))
			return 1;
	}
	return 0;
}

/* Digest with md of the v2 imprint input; with_tag: the unsigned
 * attributes with their [1] tag and length. Returns 0 on success. */
static int
digest_v2(const struct cms_ats_input *in, const EVP_MD *md, int with_tag,
	  uint8_t *out, unsigned *out_len)
{
	const struct cms_layout *l = in->l;
	const struct cms_layout_signer *s = &l->signers[in->signer];
	struct hasher h = {EVP_MD_CTX_new(), 1};
	size_t attrs_len = 0;

	h.ok = h.ctx != NULL && EVP_DigestInit_ex(h.ctx, md, NULL);
	feed_span(&h, l->encap);
	if (!l->has_econtent) {
		for (size_t i = 0; i < in->n_content; i++)
			feed(&h, in->content[i].p, in->content[i].len);
	}
	feed_span(&h, l->certs);
	feed_span(&h, l->crls);
	feed_span(&h, s->fields);
	for (size_t i = 0; i < s->n_attrs; i++) {
		if (v2_includes(in, i))
			attrs_len += s->attrs[i].attr.len;
	}
	if (with_tag && s->uattrs.len > 0) {
		uint8_t hdr[6];

		feed(&h, hdr, ctx1_header(attrs_len, hdr));
	}
	for (size_t i = 0; i < s->n_attrs; i++) {
		if (v2_includes(in, i))
			feed_span(&h, s->attrs[i].attr);
	}
	if (h.ok && !EVP_DigestFinal_ex(h.ctx, out, out_len))
		h.ok = 0;
	EVP_MD_CTX_free(h.ctx);
	return h.ok ? 0 : -1;
}

/* Digest with md of the v3 imprint input (EN 319 122-1 §5.5.3).
 * Returns 0 on success. */
static int
digest_v3(const struct cms_ats_input *in, const EVP_MD *md, uint8_t *out,
	  unsigned *out_len)
{
	const struct cms_layout *l = in->l;
	struct hasher h = {EVP_MD_CTX_new(), 1};
	uint8_t content_hash[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (cms_sig_digest(md, in->content, in->n_content, content_hash,
			   &n) != 0)
		h.ok = 0;
	h.ok = h.ok && h.ctx != NULL && EVP_DigestInit_ex(h.ctx, md, NULL);
	feed_span(&h, l->content_type);
	feed(&h, content_hash, n);
	feed_span(&h, l->signers[in->signer].fields);
	feed_span(&h, in->index);
	if (h.ok && !EVP_DigestFinal_ex(h.ctx, out, out_len))
		h.ok = 0;
	EVP_MD_CTX_free(h.ctx);
	return h.ok ? 0 : -1;
}

static int
same(const uint8_t *a, unsigned n, const uint8_t *want, size_t want_len)
{
	return (size_t)n == want_len && memcmp(a, want, n) == 0;
}

/* see cms_ats.h */
int
cms_ats_imprint_match(const struct cms_ats_input *in, const EVP_MD *md,
		      const uint8_t *want, size_t want_len, const char **note,
		      const char **why)
{
	uint8_t dg[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	int r = -1;

	*note = NULL;
	*why = NULL;
	if (in->form == TTE_ATS_V1) {
		*why = "an archive-time-stamp of ETSI TS 101 733 v1 "
		       "(id-aa-ets-archiveTimeStamp): its imprint is not "
		       "checked";
		return -1;
	}
	if (in->content == NULL &&
	    (in->form != TTE_ATS_V2 || !in->l->has_econtent)) {
		*why = "the signed content was not found, and the imprint "
		       "covers it";
		return -1;
	}
	switch (in->form) {
	case TTE_ATS_V3:
	case TTE_ATS_V3_OLD_INDEX:
		if (in->index.len == 0) {
			*why = "the archive-time-stamp-v3 token carries no "
			       "ats-hash-index-v3, which its imprint must "
			       "cover (EN 319 122-1 §5.5.3): it was not made "
			       "for this signature";
			return 0;
		}
		if (digest_v3(in, md, dg, &n) == 0)
			r = same(dg, n, want, want_len);
		break;
	case TTE_ATS_V2:
		if (digest_v2(in, md, 1, dg, &n) != 0)
			break;
		r = same(dg, n, want, want_len);
		if (r == 0 && digest_v2(in, md, 0, dg, &n) == 0 &&
		    same(dg, n, want, want_len)) {
			r = 1;
			if (v2_covers_any(in))
				*note = "its imprint leaves out the tag and "
					"length of unsignedAttrs, as ETSI TS "
					"101 733 v1.8.3 did (v2.2.1 Annex K "
					"note 3 accepts both)";
		}
		break;
	case TTE_ATS_V1:
		break; /* answered above */
	}
	ERR_clear_error();
	if (r < 0)
		*why = "the imprint input could not be digested";
	return r;
}

/* ---- the hash index ---- */

/* Hashes of items with md, EVP_MAX_MD_SIZE bytes apart, from a. */
static uint8_t *
hashes(const struct cms_span *v, size_t n, const EVP_MD *md, struct arena *a)
{
	uint8_t *out = arena_alloc(a, n * EVP_MAX_MD_SIZE + 1);
	unsigned len = 0;

	for (size_t i = 0; out != NULL && i < n; i++) {
		if (!EVP_Digest(v[i].p, v[i].len, out + i * EVP_MAX_MD_SIZE,
				&len, md, NULL))
			return NULL;
	}
	return out;
}

/* The index of the entry in hashes h[0..n) equal to e, or n. */
static size_t
find(const uint8_t *h, size_t n, size_t md_len, struct rd e)
{
	for (size_t i = 0; i < n; i++) {
		if (e.len == md_len &&
		    memcmp(h + i * EVP_MAX_MD_SIZE, e.p, md_len) == 0)
			return i;
	}
	return n;
}

/* The hash algorithm of an index: hashIndAlgorithm, else SHA-256. */
static const EVP_MD *
index_md(struct cms_span alg)
{
	const unsigned char *p;
	ASN1_OBJECT *obj = NULL;
	const EVP_MD *md;
	struct rd r, seq, oid;
	struct cms_span whole;

	if (alg.len == 0)
		return EVP_sha256();
	rd_init(&r, alg.p, alg.len);
	if (next(&r, TAG_SEQ, &seq, NULL, "hashIndAlgorithm", NULL) != TTE_OK ||
	    next(&seq, TAG_OID, &oid, &whole, "hashIndAlgorithm", NULL) !=
		    TTE_OK ||
	    whole.len > LONG_MAX)
		return NULL;
	p = whole.p;
	obj = d2i_ASN1_OBJECT(NULL, &p, (long)whole.len);
	md = obj != NULL ? EVP_get_digestbyobj(obj) : NULL;
	ASN1_OBJECT_free(obj);
	ERR_clear_error();
	return md;
}

/* The values a v3 index entry may name: attrType || attrValue of each
 * value (ats-hash-index-v3), or each Attribute (ats-hash-index), with
 * *owner[k] its attribute. */
static uint8_t *
attr_hashes(const struct cms_layout_signer *s, enum tte_ats_form form,
	    const EVP_MD *md, struct arena *a, size_t **owner, size_t *n)
{
	size_t count = 0, k = 0;
	uint8_t *out;
	unsigned len = 0;

	*n = 0;
	for (size_t i = 0; i < s->n_attrs; i++)
		count += form == TTE_ATS_V3 ? s->attrs[i].n_values : 1;
	out = arena_alloc(a, count * EVP_MAX_MD_SIZE + 1);
	*owner = arena_alloc(a, (count + 1) * sizeof(**owner));
	if (out == NULL || *owner == NULL)
		return NULL;
	for (size_t i = 0; i < s->n_attrs; i++) {
		const struct cms_uattr *u = &s->attrs[i];

		if (form != TTE_ATS_V3) {
			if (!EVP_Digest(u->attr.p, u->attr.len,
					out + k * EVP_MAX_MD_SIZE, &len, md,
					NULL))
				return NULL;
			(*owner)[k++] = i;
			continue;
		}
		for (size_t j = 0; j < u->n_values; j++) {
			EVP_MD_CTX *c = EVP_MD_CTX_new();
			int ok = c != NULL && EVP_DigestInit_ex(c, md, NULL) &&
				 EVP_DigestUpdate(c, u->attr_type.p,
						  u->attr_type.len) &&
				 EVP_DigestUpdate(c, u->values[j].p,
						  u->values[j].len) &&
				 EVP_DigestFinal_ex(c, out + k * EVP_MAX_MD_SIZE,
						    &len);

			EVP_MD_CTX_free(c);
			if (!ok)
				return NULL;
			(*owner)[k++] = i;
		}
	}
	*n = k;
	return out;
}

/* Marks what attribute i covers in ats->covers. */
static void
cover(const struct cms_layout_signer *s, size_t i, const int *pos,
      struct tte_sig *ats)
{
	if (s->attrs[i].type == CMS_UA_SIG_TS)
		ats->covers |= TTE_COVERS_TS;
	else if (pos[i] >= 0 && pos[i] < TTE_ATS_MAX)
		ats->covers |= TTE_COVERS_ATS(pos[i]);
}

/* Counts the entries of one index list and those of them that name
 * none of the hashes h[0..n). */
static tte_err
match_list(struct rd list, const uint8_t *h, size_t n, size_t md_len,
	   size_t *missing, size_t *entries, struct diag *d)
{
	struct rd e;
	tte_err rc = TTE_OK;

	*missing = *entries = 0;
	while (rd_left(&list) > 0) {
		TRY(next(&list, TAG_OCTETS, &e, NULL, "hash index entry", d));
		ENSURE(++*entries <= CMS_LAYOUT_MAX, TTE_E_TOO_BIG, d,
		       "more than %d hash index entries", CMS_LAYOUT_MAX);
		if (find(h, n, md_len, e) == n)
			(*missing)++;
	}
out:
	return rc;
}

/* see cms_ats.h */
void
cms_ats_coverage(const struct cms_ats_input *in, const int *pos,
		 struct arena *a, struct tte_sig *ats)
{
	const struct cms_layout *l = in->l;
	const struct cms_layout_signer *s = &l->signers[in->signer];
	struct rd r, seq, certs, crls, uas, e;
	struct cms_span alg = {NULL, 0};
	const EVP_MD *md;
	uint8_t *hc, *hr, *hu;
	size_t *owner = NULL, n_u = 0, md_len, miss_c, miss_r, miss_u = 0;
	size_t n_entries, n_ua = 0;
	struct diag d;

	ats->covers = 0;
	if (in->form == TTE_ATS_V2) {
		for (size_t i = 0; i < s->n_attrs; i++) {
			if (v2_includes(in, i))
				cover(s, i, pos, ats);
		}
		return;
	}
	if (in->form == TTE_ATS_V1 || in->index.len == 0)
		return;
	diag_clear(&d);
	rd_init(&r, in->index.p, in->index.len);
	if (next(&r, TAG_SEQ, &seq, NULL, "ATSHashIndex", &d) != TTE_OK)
		goto unreadable;
	if (peek_tag(&seq) == TAG_SEQ) {
		/* hashIndAlgorithm is there when four fields are. */
		struct rd probe = seq, unused;
		size_t fields = 0;

		while (rd_left(&probe) > 0 &&
		       next(&probe, 0, &unused, NULL, "ATSHashIndex", &d) ==
			       TTE_OK)
			fields++;
		if (fields == 4 && next(&seq, TAG_SEQ, &unused, &alg,
					"hashIndAlgorithm", &d) != TTE_OK)
			goto unreadable;
	}
	if (next(&seq, TAG_SEQ, &certs, NULL, "certificatesHashIndex", &d) !=
		    TTE_OK ||
	    next(&seq, TAG_SEQ, &crls, NULL, "crlsHashIndex", &d) != TTE_OK ||
	    next(&seq, TAG_SEQ, &uas, NULL, "unsignedAttrsHashIndex", &d) !=
		    TTE_OK ||
	    rd_close(&seq, &d) != TTE_OK)
		goto unreadable;
	md = index_md(alg);
	if (md == NULL) {
		ats->hash_index = TTE_CHECK_NOT_DONE;
		ats->hash_index_msg = "the hash index names a hash algorithm "
				      "that is not known";
		return;
	}
	md_len = (size_t)EVP_MD_get_size(md);
	hc = hashes(l->cert, l->n_cert, md, a);
	hr = hashes(l->crl, l->n_crl, md, a);
	hu = attr_hashes(s, in->form, md, a, &owner, &n_u);
	if (hc == NULL || hr == NULL || hu == NULL) {
		ats->hash_index = TTE_CHECK_NOT_DONE;
		ats->hash_index_msg = "the hash index could not be checked "
				      "(out of memory or digest error)";
		ERR_clear_error();
		return;
	}
	if (match_list(certs, hc, l->n_cert, md_len, &miss_c, &n_entries,
		       &d) != TTE_OK ||
	    match_list(crls, hr, l->n_crl, md_len, &miss_r, &n_entries,
		       &d) != TTE_OK)
		goto unreadable;
	while (rd_left(&uas) > 0) {
		size_t k;

		if (next(&uas, TAG_OCTETS, &e, NULL, "hash index entry", &d) !=
			    TTE_OK ||
		    ++n_ua > CMS_LAYOUT_MAX)
			goto unreadable;
		k = find(hu, n_u, md_len, e);
		if (k == n_u)
			miss_u++;
		else
			cover(s, owner[k], pos, ats);
	}
	if (miss_c + miss_r + miss_u == 0) {
		ats->hash_index = TTE_CHECK_OK;
		return;
	}
	ats->hash_index = TTE_CHECK_FAILED;
	ats->hash_index_msg = arena_printf(
		a, "its %s names %zu certificate%s, %zu revocation value%s "
		"and %zu unsigned attribute value%s not in the signature",
		in->form == TTE_ATS_V3 ? "ats-hash-index-v3" : "ats-hash-index",
		miss_c, miss_c == 1 ? "" : "s", miss_r, miss_r == 1 ? "" : "s",
		miss_u, miss_u == 1 ? "" : "s");
	return;
unreadable:
	ats->hash_index = TTE_CHECK_NOT_DONE;
	ats->hash_index_msg = arena_printf(a, "the hash index cannot be read: "
					   "%s", d.msg);
}
