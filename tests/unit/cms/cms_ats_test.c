/*
 * Tests for verifier/cms/cms_ats.c on a SignedData built here byte by
 * byte, so that the imprint inputs of EN 319 122-1 §5.5.3 (v3) and TS
 * 101 733 §6.4.1 (v2) are pinned independently of the fixture scripts:
 * the layout (DER and BER), the token's hash index, the imprint of each
 * version, what an index covers, and the exact error for truncated,
 * oversized, nested and misplaced input. The fixture documents and the
 * DSS corpus check the same code end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include "../../../verifier/cms/cms_ats.h"

/* ---- a tiny DER writer ---- */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void
put(struct buf *o, const void *p, size_t n)
{
	assert_true(o->n + n <= sizeof(o->b));
	if (n > 0) /* p may be NULL then */
		memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* tag, DER length and contents into o */
static void
tlv(struct buf *o, uint8_t tag, const void *p, size_t n)
{
	uint8_t h[4] = {tag};
	size_t k = 1;

	if (n < 0x80) {
		h[k++] = (uint8_t)n;
	} else {
		assert_true(n < 0x10000);
		h[k++] = 0x82;
		h[k++] = (uint8_t)(n >> 8);
		h[k++] = (uint8_t)n;
	}
	put(o, h, k);
	put(o, p, n);
}

/* o = tag { inner } */
static void
wrap(struct buf *o, uint8_t tag, const struct buf *inner)
{
	tlv(o, tag, inner->b, inner->n);
}

static const uint8_t OID_SIGNED_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
					  0x0d, 0x01, 0x07, 0x02};
static const uint8_t OID_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
				   0x0d, 0x01, 0x07, 0x01};
static const uint8_t OID_SIG_TS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				     0x01, 0x09, 0x10, 0x02, 0x0e};
static const uint8_t OID_ATS_V3[] = {0x04, 0x00, 0x8d, 0x45, 0x02, 0x04};
static const uint8_t OID_ATS_V2[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
				     0x01, 0x09, 0x10, 0x02, 0x30};
static const uint8_t OID_INDEX_V3[] = {0x04, 0x00, 0x81, 0x95,
				       0x32, 0x01, 0x05};
static const uint8_t OID_SHA256[] = {0x60, 0x86, 0x48, 0x01, 0x65,
				     0x03, 0x04, 0x02, 0x01};

static const char CONTENT[] = "Surat Keputusan Gubernur NTT";

/* Attribute ::= SEQUENCE { oid, SET { value } } */
static void
attribute(struct buf *o, const uint8_t *oid, size_t oid_len,
	  const struct buf *value)
{
	struct buf seq = {0};

	tlv(&seq, 0x06, oid, oid_len);
	wrap(&seq, 0x31, value);
	wrap(o, 0x30, &seq);
}

/* A "token": a SignedData ContentInfo whose one SignerInfo carries the
 * unsigned attributes ua (raw Attribute TLVs; empty: none). */
static void
token(struct buf *o, const struct buf *ua)
{
	struct buf si = {0}, sd = {0}, c0 = {0}, ci = {0}, set = {0};
	struct buf e = {0};
	static const uint8_t one = 1;

	tlv(&si, 0x02, &one, 1);
	tlv(&si, 0x30, NULL, 0);          /* sid */
	tlv(&si, 0x30, NULL, 0);          /* digestAlgorithm */
	tlv(&si, 0x30, NULL, 0);          /* signatureAlgorithm */
	tlv(&si, 0x04, "tsa-sig", 7);
	if (ua->n > 0)
		wrap(&si, 0xa1, ua);
	wrap(&set, 0x30, &si);
	tlv(&sd, 0x02, &one, 1);
	tlv(&sd, 0x31, NULL, 0);
	tlv(&e, 0x06, OID_DATA, sizeof(OID_DATA));
	wrap(&sd, 0x30, &e); /* encapContentInfo, no eContent */
	wrap(&sd, 0x31, &set);
	wrap(&c0, 0x30, &sd);
	tlv(&ci, 0x06, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA));
	wrap(&ci, 0xa0, &c0);
	wrap(o, 0x30, &ci);
}

/* The pieces of the test signature, kept to compute expected digests. */
struct sig {
	struct buf der;         /* the ContentInfo */
	struct buf econtent_type, encap, certs, fields, index;
	struct buf sig_ts_attr; /* the signature timestamp attribute */
	struct buf ats_attr;    /* the archive timestamp attribute */
	struct buf cert;        /* the one "certificate" */
};

/*
 * ContentInfo { signedData, [0] { SignedData { 1, {}, encap { data,
 * [0] { OCTET STRING CONTENT } }, [0] { cert }, { SignerInfo { 1, sid,
 * alg, [0] signedAttrs, alg, signature, [1] { sigTS attribute, archive
 * timestamp attribute } } } } } }, the archive timestamp v3 (its token
 * carrying an ats-hash-index-v3 that names the certificate and the
 * signature timestamp; plus `extra` unmatched certificate entries) or v2.
 */
static void
build(struct sig *s, int v2, int extra)
{
	struct buf encap_in = {0}, oct = {0}, sd = {0}, c0 = {0}, ci = {0};
	struct buf si = {0}, ua = {0}, sis = {0}, tua = {0}, tok = {0};
	struct buf l_certs = {0}, l_crls = {0}, l_ua = {0}, idx = {0};
	struct buf certs_in = {0}, ts_value = {0};
	static const uint8_t one = 1;
	uint8_t h[32];
	unsigned hn = 0;

	memset(s, 0, sizeof(*s));
	tlv(&s->econtent_type, 0x06, OID_DATA, sizeof(OID_DATA));
	put(&encap_in, s->econtent_type.b, s->econtent_type.n);
	tlv(&oct, 0x04, CONTENT, strlen(CONTENT));
	wrap(&encap_in, 0xa0, &oct);
	wrap(&s->encap, 0x30, &encap_in);
	tlv(&s->cert, 0x30, "a certificate", 13);
	put(&certs_in, s->cert.b, s->cert.n);
	wrap(&s->certs, 0xa0, &certs_in);
	/* SignerInfo fields */
	tlv(&s->fields, 0x02, &one, 1);
	tlv(&s->fields, 0x30, "sid", 3);
	{
		struct buf alg = {0};

		tlv(&alg, 0x06, OID_SHA256, sizeof(OID_SHA256));
		wrap(&s->fields, 0x30, &alg);
	}
	tlv(&s->fields, 0xa0, "signed attributes", 17);
	tlv(&s->fields, 0x30, "rsa", 3);
	tlv(&s->fields, 0x04, "signature value", 15);
	/* The signature timestamp attribute (its value: any SEQUENCE). */
	tlv(&ts_value, 0x30, "sig ts token", 12);
	attribute(&s->sig_ts_attr, OID_SIG_TS, sizeof(OID_SIG_TS), &ts_value);
	if (v2) {
		struct buf empty = {0};

		token(&tok, &empty);
		attribute(&s->ats_attr, OID_ATS_V2, sizeof(OID_ATS_V2), &tok);
	} else {
		/* The index: the certificate and attrType || value of the
		 * signature timestamp, each SHA-256. */
		EVP_Digest(s->cert.b, s->cert.n, h, &hn, EVP_sha256(), NULL);
		tlv(&l_certs, 0x04, h, hn);
		for (int i = 0; i < extra; i++)
			tlv(&l_certs, 0x04, "no such certificate hash 32 bytes",
			    32);
		{
			struct buf cat = {0};

			tlv(&cat, 0x06, OID_SIG_TS, sizeof(OID_SIG_TS));
			put(&cat, ts_value.b, ts_value.n);
			EVP_Digest(cat.b, cat.n, h, &hn, EVP_sha256(), NULL);
		}
		tlv(&l_ua, 0x04, h, hn);
		wrap(&idx, 0x30, &l_certs);
		wrap(&idx, 0x30, &l_crls);
		wrap(&idx, 0x30, &l_ua);
		wrap(&s->index, 0x30, &idx);
		attribute(&tua, OID_INDEX_V3, sizeof(OID_INDEX_V3), &s->index);
		token(&tok, &tua);
		attribute(&s->ats_attr, OID_ATS_V3, sizeof(OID_ATS_V3), &tok);
	}
	put(&si, s->fields.b, s->fields.n);
	put(&ua, s->sig_ts_attr.b, s->sig_ts_attr.n);
	put(&ua, s->ats_attr.b, s->ats_attr.n);
	wrap(&si, 0xa1, &ua);
	wrap(&sis, 0x30, &si);
	tlv(&sd, 0x02, &one, 1);
	tlv(&sd, 0x31, NULL, 0);
	put(&sd, s->encap.b, s->encap.n);
	put(&sd, s->certs.b, s->certs.n);
	wrap(&sd, 0x31, &sis);
	wrap(&c0, 0x30, &sd);
	tlv(&ci, 0x06, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA));
	wrap(&ci, 0xa0, &c0);
	wrap(&s->der, 0x30, &ci);
}

/* SHA-256 of the concatenation of the n pieces. */
static void
sha256_of(const struct buf *const *v, size_t n, uint8_t out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned len = 0;

	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, EVP_sha256(), NULL));
	for (size_t i = 0; i < n; i++)
		assert_true(EVP_DigestUpdate(c, v[i]->b, v[i]->n));
	assert_true(EVP_DigestFinal_ex(c, out, &len));
	EVP_MD_CTX_free(c);
}

/* ---- tests ---- */

static void
layout_and_index(void **state)
{
	struct sig s;
	struct cms_layout l;
	struct cms_span index;
	enum tte_ats_form form = TTE_ATS_V2;
	const char *why = NULL;
	struct arena a;

	(void)state;
	build(&s, 0, 0);
	arena_init(&a);
	assert_int_equal(cms_ats_layout(s.der.b, s.der.n, &a, &l, NULL), TTE_OK);
	assert_true(l.has_econtent);
	assert_int_equal(l.n_cert, 1);
	assert_int_equal(l.n_crl, 0);
	assert_int_equal(l.n_signers, 1);
	assert_int_equal(l.signers[0].fields.len, s.fields.n);
	assert_memory_equal(l.signers[0].fields.p, s.fields.b, s.fields.n);
	assert_int_equal(l.signers[0].n_attrs, 2);
	assert_int_equal(l.signers[0].attrs[0].type, CMS_UA_SIG_TS);
	assert_int_equal(l.signers[0].attrs[1].type, CMS_UA_ATS_V3);
	assert_int_equal(l.signers[0].attrs[1].n_values, 1);
	assert_int_equal(cms_ats_token_index(l.signers[0].attrs[1].values[0].p,
					     l.signers[0].attrs[1].values[0].len,
					     &a, &index, &form, &why), 1);
	assert_int_equal(form, TTE_ATS_V3);
	assert_int_equal(index.len, s.index.n);
	assert_memory_equal(index.p, s.index.b, s.index.n);
	/* Bytes after the ContentInfo (a PDF's zero padding) are ignored. */
	memset(s.der.b + s.der.n, 0, 16);
	assert_int_equal(cms_ats_layout(s.der.b, s.der.n + 16, &a, &l, NULL),
			 TTE_OK);
	arena_release(&a);
}

/* The input of EN 319 122-1 §5.5.3, and nothing else, matches. */
static void
imprint_v3(void **state)
{
	struct sig s;
	struct cms_layout l;
	struct cms_ats_input in;
	struct cms_part part = {(const unsigned char *)CONTENT,
				sizeof(CONTENT) - 1};
	struct buf ch = {0};
	unsigned chn = 0;
	uint8_t want[32];
	int64_t gen[2] = {0, 0};
	const char *note, *why;
	struct arena a;
	enum tte_ats_form form;

	(void)state;
	build(&s, 0, 0);
	arena_init(&a);
	assert_int_equal(cms_ats_layout(s.der.b, s.der.n, &a, &l, NULL), TTE_OK);
	assert_true(EVP_Digest(CONTENT, sizeof(CONTENT) - 1, ch.b, &chn,
			       EVP_sha256(), NULL));
	ch.n = chn;
	sha256_of((const struct buf *const[]){&s.econtent_type, &ch, &s.fields,
					      &s.index}, 4, want);
	memset(&in, 0, sizeof(in));
	in.l = &l;
	in.attr = 1;
	in.form = TTE_ATS_V3;
	in.content = &part;
	in.n_content = 1;
	in.gen_time = gen;
	assert_int_equal(cms_ats_token_index(l.signers[0].attrs[1].values[0].p,
					     l.signers[0].attrs[1].values[0].len,
					     &a, &in.index, &form, &why), 1);
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), 1);
	assert_null(note);
	/* One bit off, or other content: not this signature. */
	want[5] ^= 1;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), 0);
	want[5] ^= 1;
	part.len--;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), 0);
	part.len++;
	/* No index in the token: it cannot be the standard's imprint. */
	in.index.len = 0;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), 0);
	assert_non_null(strstr(why, "no ats-hash-index-v3"));
	/* No content: not computable, never a match. */
	in.content = NULL;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), -1);
	/* v1 is never verified. */
	in.content = &part;
	in.form = TTE_ATS_V1;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), want, 32,
					       &note, &why), -1);
	arena_release(&a);
}

/* TS 101 733 §6.4.1 and Annex K note 3: both encodings of the
 * unsignedAttrs are accepted, and later archive timestamps are left
 * out. */
static void
imprint_v2(void **state)
{
	struct sig s;
	struct cms_layout l;
	struct cms_ats_input in;
	struct cms_part part = {(const unsigned char *)CONTENT,
				sizeof(CONTENT) - 1};
	struct buf tagged = {0};
	uint8_t with_tag[32], without[32];
	int64_t gen[2] = {100, 200};
	const char *note, *why;
	struct arena a;

	(void)state;
	build(&s, 1, 0);
	arena_init(&a);
	assert_int_equal(cms_ats_layout(s.der.b, s.der.n, &a, &l, NULL), TTE_OK);
	assert_int_equal(l.signers[0].attrs[1].type, CMS_UA_ATS_V2);
	/* The signature timestamp (earlier) is in; the archive timestamp
	 * itself is not. */
	wrap(&tagged, 0xa1, &s.sig_ts_attr);
	sha256_of((const struct buf *const[]){&s.encap, &s.certs, &s.fields,
					      &tagged}, 4, with_tag);
	sha256_of((const struct buf *const[]){&s.encap, &s.certs, &s.fields,
					      &s.sig_ts_attr}, 4, without);
	memset(&in, 0, sizeof(in));
	in.l = &l;
	in.attr = 1;
	in.form = TTE_ATS_V2;
	in.content = &part;
	in.n_content = 1;
	in.gen_time = gen;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), with_tag, 32,
					       &note, &why), 1);
	assert_null(note);
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), without, 32,
					       &note, &why), 1);
	assert_non_null(note);
	/* Attached: the content is in encapContentInfo, not needed. */
	in.content = NULL;
	assert_int_equal(cms_ats_imprint_match(&in, EVP_sha256(), with_tag, 32,
					       &note, &why), 1);
	arena_release(&a);
}

/* What the index names: the certificate and the signature timestamp;
 * an entry naming nothing present fails the index, not the coverage. */
static void
coverage(void **state)
{
	struct sig s;
	struct cms_layout l;
	struct cms_ats_input in;
	struct tte_sig ats;
	int64_t gen[2] = {0, 0};
	int pos[2] = {-1, 0};
	enum tte_ats_form form;
	const char *why;
	struct arena a;

	(void)state;
	for (int extra = 0; extra < 2; extra++) {
		build(&s, 0, extra);
		arena_init(&a);
		assert_int_equal(cms_ats_layout(s.der.b, s.der.n, &a, &l, NULL),
				 TTE_OK);
		memset(&in, 0, sizeof(in));
		memset(&ats, 0, sizeof(ats));
		in.l = &l;
		in.attr = 1;
		in.form = TTE_ATS_V3;
		in.gen_time = gen;
		assert_int_equal(cms_ats_token_index(
					 l.signers[0].attrs[1].values[0].p,
					 l.signers[0].attrs[1].values[0].len, &a,
					 &in.index, &form, &why), 1);
		cms_ats_coverage(&in, pos, &a, &ats);
		assert_int_equal(ats.covers, TTE_COVERS_TS);
		assert_int_equal(ats.hash_index, extra ? TTE_CHECK_FAILED :
							 TTE_CHECK_OK);
		if (extra)
			assert_non_null(strstr(ats.hash_index_msg,
					       "names 1 certificate, 0 revocation "
					       "values and 0 unsigned attribute "
					       "values not in the signature"));
		arena_release(&a);
	}
	/* v2: everything before it, the signature timestamp included. */
	build(&s, 1, 0);
	arena_init(&a);
	assert_int_equal(cms_ats_layout(s.der.b, s.der.n, &a, &l, NULL), TTE_OK);
	memset(&ats, 0, sizeof(ats));
	in.l = &l;
	in.form = TTE_ATS_V2;
	in.index.len = 0;
	gen[0] = 100;
	gen[1] = 200;
	cms_ats_coverage(&in, pos, &a, &ats);
	assert_int_equal(ats.covers, TTE_COVERS_TS);
	assert_int_equal(ats.hash_index, TTE_CHECK_NOT_DONE);
	arena_release(&a);
}

/* The same SignedData with indefinite lengths reads the same fields. */
static void
ber_layout(void **state)
{
	struct sig s;
	struct cms_layout l;
	struct buf ber = {0};
	struct arena a;
	size_t body;

	(void)state;
	build(&s, 0, 0);
	/* ContentInfo 30 LL 06 09 <oid> a0 LL 30 LL <sd>: rewrap the outer
	 * three in the indefinite form. */
	{
		const uint8_t *p = s.der.b;
		size_t off = 0, l1, l2, l3;

		assert_int_equal(p[0], 0x30);
		assert_int_equal(p[1], 0x82);
		l1 = 4;
		off = l1 + 2 + sizeof(OID_SIGNED_DATA);
		assert_int_equal(p[off], 0xa0);
		l2 = p[off + 1] == 0x82 ? 4 : 2;
		assert_int_equal(p[off + l2], 0x30);
		l3 = p[off + l2 + 1] == 0x82 ? 4 : 2;
		body = off + l2 + l3;
		put(&ber, "\x30\x80", 2);
		put(&ber, p + l1, 2 + sizeof(OID_SIGNED_DATA));
		put(&ber, "\xa0\x80\x30\x80", 4);
		put(&ber, p + body, s.der.n - body);
		put(&ber, "\0\0\0\0\0\0", 6);
	}
	arena_init(&a);
	assert_int_equal(cms_ats_layout(ber.b, ber.n, &a, &l, NULL), TTE_OK);
	assert_int_equal(l.signers[0].fields.len, s.fields.n);
	assert_memory_equal(l.signers[0].fields.p, s.fields.b, s.fields.n);
	assert_int_equal(l.signers[0].attrs[1].type, CMS_UA_ATS_V3);
	/* Cut before its end-of-contents. */
	assert_int_equal(cms_ats_layout(ber.b, ber.n - 2, &a, &l, NULL),
			 TTE_E_TRUNCATED);
	arena_release(&a);
}

static void
refuses_bad_input(void **state)
{
	static const uint8_t not_signed[] = {0x30, 0x0b, 0x06, 0x09, 0x2a,
					     0x86, 0x48, 0x86, 0xf7, 0x0d,
					     0x01, 0x07, 0x01};
	static const uint8_t high_tag[] = {0x3f, 0x81, 0x01, 0x00};
	struct sig s;
	struct cms_layout l;
	struct buf deep = {0}, many = {0}, tmp = {0};
	struct arena a;
	struct diag d;

	(void)state;
	arena_init(&a);
	build(&s, 0, 0);
	for (size_t cut = 0; cut < s.der.n; cut += 97)
		assert_int_equal(cms_ats_layout(s.der.b, cut, &a, &l, NULL),
				 TTE_E_TRUNCATED);
	assert_int_equal(cms_ats_layout(not_signed, sizeof(not_signed), &a, &l,
					NULL), TTE_E_MALFORMED);
	assert_int_equal(cms_ats_layout(high_tag, sizeof(high_tag), &a, &l,
					NULL), TTE_E_UNSUPPORTED);
	/* Indefinite lengths nested deeper than CMS_BER_MAX_DEPTH. */
	for (int i = 0; i < CMS_BER_MAX_DEPTH + 2; i++)
		put(&deep, "\x30\x80", 2);
	for (int i = 0; i < CMS_BER_MAX_DEPTH + 2; i++)
		put(&deep, "\0\0", 2);
	diag_clear(&d);
	assert_int_equal(cms_ats_layout(deep.b, deep.n, &a, &l, &d),
			 TTE_E_TOO_BIG);
	/* A field out of place: a SignedData whose version is a SET. */
	{
		struct buf sd = {0}, c0 = {0}, ci = {0};

		tlv(&sd, 0x31, NULL, 0);
		wrap(&c0, 0x30, &sd);
		tlv(&ci, 0x06, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA));
		wrap(&ci, 0xa0, &c0);
		wrap(&tmp, 0x30, &ci);
		assert_int_equal(cms_ats_layout(tmp.b, tmp.n, &a, &l, NULL),
				 TTE_E_MALFORMED);
	}
	/* More certificates than CMS_LAYOUT_MAX (empty TLVs, to fit). */
	{
		struct buf sd = {0}, c0 = {0}, ci = {0}, certs = {0};
		static const uint8_t one = 1;

		for (int i = 0; i <= CMS_LAYOUT_MAX; i++)
			put(&certs, "\x05\x00", 2);
		tlv(&sd, 0x02, &one, 1);
		tlv(&sd, 0x31, NULL, 0);
		put(&sd, s.encap.b, s.encap.n);
		wrap(&sd, 0xa0, &certs);
		tlv(&sd, 0x31, NULL, 0);
		wrap(&c0, 0x30, &sd);
		tlv(&ci, 0x06, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA));
		wrap(&ci, 0xa0, &c0);
		wrap(&many, 0x30, &ci);
		diag_clear(&d);
		assert_int_equal(cms_ats_layout(many.b, many.n, &a, &l, &d),
				 TTE_E_TOO_BIG);
		assert_non_null(strstr(d.msg, "more than 1024 certificates"));
	}
	arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_and_index),
		cmocka_unit_test(imprint_v3),
		cmocka_unit_test(imprint_v2),
		cmocka_unit_test(coverage),
		cmocka_unit_test(ber_layout),
		cmocka_unit_test(refuses_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
