#include "cms_sig.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../base/rd.h"

#define CMS_MAX_SIGNED_ATTRS 64 /* signed attributes in one SignerInfo */

/* The scheme to verify with, derived from the algorithm identifiers. */
struct scheme {
	const EVP_MD *md;  /* NULL for Ed25519 / Ed448 */
	int pss;
	const EVP_MD *mgf1_md;
	int salt_len;
};

static const char *
md_name(const EVP_MD *md)
{
	return md == NULL ? "none" : OBJ_nid2sn(EVP_MD_get_type(md));
}

/* RFC 4055 §3.1: RSASSA-PSS-params, with their defaults (SHA-1,
 * MGF1-SHA-1, salt 20, trailer 1). */
static const char *
pss_scheme(const X509_ALGOR *salg, struct scheme *s)
{
	const ASN1_TYPE *p = salg->parameter;
	const unsigned char *der;
	RSA_PSS_PARAMS *pp = NULL;
	const char *err = NULL;

	s->pss = 1;
	s->md = EVP_sha1();
	s->mgf1_md = EVP_sha1();
	s->salt_len = 20;
	if (p == NULL || p->type == V_ASN1_NULL)
		return NULL;
	if (p->type != V_ASN1_SEQUENCE)
		return "unreadable RSASSA-PSS parameters";
	der = p->value.sequence->data;
	pp = d2i_RSA_PSS_PARAMS(NULL, &der, p->value.sequence->length);
	if (pp == NULL)
		return "unreadable RSASSA-PSS parameters";
	if (pp->hashAlgorithm != NULL)
		s->md = EVP_get_digestbyobj(pp->hashAlgorithm->algorithm);
	if (pp->maskGenAlgorithm != NULL) {
		const ASN1_TYPE *mp = pp->maskGenAlgorithm->parameter;
		X509_ALGOR *mh = NULL;

		/* MGF1's parameter is the AlgorithmIdentifier of its hash. */
		if (mp != NULL && mp->type == V_ASN1_SEQUENCE) {
			der = mp->value.sequence->data;
			mh = d2i_X509_ALGOR(NULL, &der, mp->value.sequence->length);
		}
		if (OBJ_obj2nid(pp->maskGenAlgorithm->algorithm) != NID_mgf1 ||
		    mh == NULL)
			err = "RSASSA-PSS with a mask generation function other "
			      "than MGF1";
		else
			s->mgf1_md = EVP_get_digestbyobj(mh->algorithm);
		X509_ALGOR_free(mh);
	}
	if (pp->saltLength != NULL) {
		long v = ASN1_INTEGER_get(pp->saltLength);

		if (v < 0 || v > 1024)
			err = "RSASSA-PSS salt length out of range";
		s->salt_len = (int)v;
	}
	if (pp->trailerField != NULL && ASN1_INTEGER_get(pp->trailerField) != 1)
		err = "RSASSA-PSS trailerField other than 1 (RFC 4055 §3.1)";
	if (s->md == NULL || s->mgf1_md == NULL)
		err = "unknown hash in the RSASSA-PSS parameters";
	RSA_PSS_PARAMS_free(pp);
	return err;
}

static int
key_matches(EVP_PKEY *key, int pk_nid)
{
	int id = EVP_PKEY_get_base_id(key);

	switch (pk_nid) {
	case NID_rsaEncryption:
		return id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS;
	case NID_X9_62_id_ecPublicKey:
		return id == EVP_PKEY_EC;
	default:
		return id == pk_nid;
	}
}

/* Works out how to verify; returns the reason when it cannot. */
static const char *
pick_scheme(CMS_SignerInfo *si, EVP_PKEY *key, struct scheme *s,
	    struct cms_sig_outcome *out, struct arena *a)
{
	X509_ALGOR *dig = NULL, *salg = NULL;
	int snid, md_nid = NID_undef, pk_nid = NID_undef;
	const EVP_MD *dmd;
	const char *err;

	memset(s, 0, sizeof(*s));
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &salg);
	dmd = EVP_get_digestbyobj(dig->algorithm);
	snid = OBJ_obj2nid(salg->algorithm);
	if (snid == NID_rsassaPss) {
		err = pss_scheme(salg, s);
		if (err != NULL)
			return err;
		if (!key_matches(key, NID_rsaEncryption))
			return "RSASSA-PSS signature with a key that is not RSA";
		if (dmd != NULL && EVP_MD_get_type(s->md) != EVP_MD_get_type(dmd))
			out->note = arena_printf(a, "the RSASSA-PSS hash %s differs "
				"from the digest algorithm %s", md_name(s->md),
				md_name(dmd));
		return NULL;
	}
	if (OBJ_find_sigid_algs(snid, &md_nid, &pk_nid) && pk_nid != NID_undef) {
		/* sha256WithRSAEncryption, ecdsa-with-SHA256, Ed25519, ... */
		if (!key_matches(key, pk_nid))
			out->format_issue = arena_printf(a, "the signature "
				"algorithm %s does not fit the signer's key",
				OBJ_nid2sn(snid));
		if (md_nid != NID_undef && dmd != NULL &&
		    md_nid != EVP_MD_get_type(dmd))
			out->format_issue = arena_printf(a, "the signature "
				"algorithm %s names another hash than the digest "
				"algorithm %s", OBJ_nid2sn(snid), md_name(dmd));
		if (md_nid == NID_undef && (pk_nid == NID_ED25519 ||
					    pk_nid == NID_ED448)) {
			/* RFC 8419 §3: signed attributes are digested with
			 * SHA-512 for Ed25519 and SHAKE256 for Ed448. */
			int want = pk_nid == NID_ED25519 ? NID_sha512 :
							   NID_shake256;

			if (dmd != NULL && EVP_MD_get_type(dmd) != want)
				out->format_issue = arena_printf(a, "%s with the "
					"digest algorithm %s (RFC 8419 requires "
					"%s)", OBJ_nid2sn(pk_nid), md_name(dmd),
					OBJ_nid2sn(want));
			s->md = NULL; /* pure EdDSA hashes internally */
			return NULL;
		}
	} else if (snid != NID_rsaEncryption &&
		   snid != NID_X9_62_id_ecPublicKey) {
		return arena_printf(a, "unsupported signature algorithm %s",
				    OBJ_nid2sn(snid));
	} else if (!key_matches(key, snid)) {
		out->format_issue = arena_printf(a, "the signature algorithm "
			"%s does not fit the signer's key", OBJ_nid2sn(snid));
	}
	if (dmd == NULL)
		return "unknown digest algorithm";
	s->md = dmd;
	return NULL;
}

/* see cms_sig.h */
int
cms_sig_digest(const EVP_MD *md, const struct cms_part *parts, size_t n_parts,
	       unsigned char *out, unsigned int *out_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto out;
	for (size_t i = 0; i < n_parts; i++) {
		if (EVP_DigestUpdate(ctx, parts[i].p, parts[i].len) != 1)
			goto out;
	}
	/* SHAKE as a CMS digest has a fixed output: 512 bits for SHAKE256
	 * (RFC 8419 §2.3), 256 bits for SHAKE128 (RFC 8702 §3.1). */
	if (EVP_MD_get_type(md) == NID_shake256 ||
	    EVP_MD_get_type(md) == NID_shake128) {
		*out_len = EVP_MD_get_type(md) == NID_shake256 ? 64 : 32;
		if (EVP_DigestFinalXOF(ctx, out, *out_len) == 1)
			rc = 0;
	} else if (EVP_DigestFinal_ex(ctx, out, out_len) == 1) {
		rc = 0;
	}
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int
digest_verify(EVP_PKEY *key, const struct scheme *s, const unsigned char *sig,
	      size_t sig_len, const struct cms_part *parts, size_t n_parts)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *joined = NULL;
	size_t total = 0;
	int ok = 0;

	if (mctx == NULL ||
	    EVP_DigestVerifyInit(mctx, &pctx, s->md, NULL, key) != 1)
		goto out;
	if (s->pss &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, s->mgf1_md) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, s->salt_len) != 1))
		goto out;
	if (s->md != NULL) {
		for (size_t i = 0; i < n_parts; i++) {
			if (EVP_DigestVerifyUpdate(mctx, parts[i].p,
						   parts[i].len) != 1)
				goto out;
		}
		ok = EVP_DigestVerifyFinal(mctx, sig, sig_len) == 1;
		goto out;
	}
	/* Pure EdDSA cannot stream: join the parts. */
	for (size_t i = 0; i < n_parts; i++)
		total += parts[i].len;
	joined = OPENSSL_malloc(total > 0 ? total : 1);
	if (joined == NULL)
		goto out;
	total = 0;
	for (size_t i = 0; i < n_parts; i++) {
		memcpy(joined + total, parts[i].p, parts[i].len);
		total += parts[i].len;
	}
	ok = EVP_DigestVerify(mctx, sig, sig_len, joined, total) == 1;
out:
	OPENSSL_free(joined);
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return ok;
}

/* RFC 5754 §2: a DigestInfo whose AlgorithmIdentifier has no NULL
 * parameters. Accepted only when the recovered block is exactly that. */
static int
digestinfo_without_null(EVP_PKEY *key, const EVP_MD *md,
			const unsigned char *sig, size_t sig_len,
			const struct cms_part *parts, size_t n_parts)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	unsigned char rec[1024], want[128], h[EVP_MAX_MD_SIZE];
	unsigned char *oid = NULL;
	size_t rec_len = sizeof(rec);
	unsigned int hlen = 0;
	int oid_len, n = 0, ok = 0;

	if (ctx == NULL || EVP_PKEY_verify_recover_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_verify_recover(ctx, rec, &rec_len, sig, sig_len) != 1)
		goto out;
	if (cms_sig_digest(md, parts, n_parts, h, &hlen) != 0)
		goto out;
	oid_len = i2d_ASN1_OBJECT(OBJ_nid2obj(EVP_MD_get_type(md)), &oid);
	/* SEQUENCE { SEQUENCE { OID }, OCTET STRING hash }: all short. */
	if (oid_len <= 0 || oid_len + hlen + 6 > 127)
		goto out;
	want[n++] = 0x30;
	want[n++] = (unsigned char)(2 + oid_len + 2 + hlen);
	want[n++] = 0x30;
	want[n++] = (unsigned char)oid_len;
	memcpy(want + n, oid, (size_t)oid_len);
	n += oid_len;
	want[n++] = 0x04;
	want[n++] = (unsigned char)hlen;
	memcpy(want + n, h, hlen);
	n += (int)hlen;
	ok = rec_len == (size_t)n && memcmp(rec, want, (size_t)n) == 0;
out:
	OPENSSL_free(oid);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/* see cms_sig.h */
void
cms_sig_verify(CMS_SignerInfo *si, EVP_PKEY *key, const struct cms_part *parts,
	       size_t n_parts, struct arena *a, struct cms_sig_outcome *out)
{
	ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
	struct scheme s;
	const char *err;

	memset(out, 0, sizeof(*out));
	if (key == NULL) {
		out->why = "the signer certificate's public key is unreadable";
		return;
	}
	err = pick_scheme(si, key, &s, out, a);
	if (err != NULL) {
		out->why = err;
		return;
	}
	if (digest_verify(key, &s, sv->data, (size_t)sv->length, parts,
			  n_parts)) {
		out->ok = 1;
		return;
	}
	if (!s.pss && s.md != NULL && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
	    digestinfo_without_null(key, s.md, sv->data, (size_t)sv->length,
				    parts, n_parts)) {
		out->ok = 1;
		out->note = "the RSA signature's DigestInfo omits the NULL "
			    "parameters of its hash algorithm (tolerated, RFC "
			    "5754 §2)";
		return;
	}
	out->why = arena_printf(a, "the signature value does not verify with "
				"the signer's public key (%s%s)",
				s.pss ? "RSASSA-PSS, " : "", md_name(s.md));
}

/* X.690 §11.6: SET OF components in ascending order of their encodings,
 * the shorter padded with trailing zero octets. */
struct enc {
	unsigned char *p;
	size_t n;
};

static int
cmp_enc(const void *x, const void *y)
{
	const struct enc *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->p, b->p, n);

	if (c != 0)
		return c;
	for (size_t i = n; i < a->n; i++)
		if (a->p[i] != 0)
			return 1;
	for (size_t i = n; i < b->n; i++)
		if (b->p[i] != 0)
			return -1;
	return 0;
}

static unsigned char *
set_of(const struct enc *e, int count, size_t total, size_t *len)
{
	unsigned char *out, *p;
	size_t hdr = total < 0x80 ? 2 : total < 0x100 ? 3 :
		     total < 0x10000 ? 4 : 5;

	if (total >= 0x1000000)
		return NULL;
	out = OPENSSL_malloc(hdr + total);
	if (out == NULL)
		return NULL;
	p = out;
	*p++ = 0x31; /* the SET OF tag, not [0] (RFC 5652 §5.4) */
	if (hdr == 2) {
		*p++ = (unsigned char)total;
	} else {
		*p++ = (unsigned char)(0x80 | (hdr - 2));
		for (size_t i = hdr - 2; i > 0; i--)
			*p++ = (unsigned char)(total >> (8 * (i - 1)));
	}
	for (int i = 0; i < count; i++) {
		memcpy(p, e[i].p, e[i].n);
		p += e[i].n;
	}
	*len = hdr + total;
	return out;
}

/* see cms_sig.h */
int
cms_sig_signed_attrs(CMS_SignerInfo *si, unsigned char **received,
		     size_t *rlen, unsigned char **sorted, size_t *slen)
{
	struct enc e[CMS_MAX_SIGNED_ATTRS];
	int n = CMS_signed_get_attr_count(si), done = 0, rc = -1;
	size_t total = 0;

	*received = *sorted = NULL;
	if (n <= 0 || n > CMS_MAX_SIGNED_ATTRS)
		return -1;
	for (; done < n; done++) {
		int len;

		e[done].p = NULL;
		len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, done),
					 &e[done].p);
		if (len <= 0)
			goto out;
		e[done].n = (size_t)len;
		total += (size_t)len;
	}
	*received = set_of(e, n, total, rlen);
	qsort(e, (size_t)n, sizeof(e[0]), cmp_enc);
	*sorted = set_of(e, n, total, slen);
	if (*received != NULL && *sorted != NULL)
		rc = 0;
out:
	for (int i = 0; i < done; i++)
		OPENSSL_free(e[i].p);
	if (rc != 0) {
		OPENSSL_free(*received);
		OPENSSL_free(*sorted);
		*received = *sorted = NULL;
	}
	return rc;
}

/* Reads the OID at the start of an AlgorithmIdentifier's content. */
static int
alg_oid(struct rd *alg, const uint8_t **oid, size_t *len)
{
	struct rd v;
	uint8_t tag;

	if (rd_der(alg, &tag, &v, NULL) != TTE_OK || tag != 0x06)
		return -1;
	*oid = v.p;
	*len = v.len;
	return 0;
}

static int
same_oid(const ASN1_OBJECT *obj, const uint8_t *oid, size_t len)
{
	return (size_t)OBJ_length(obj) == len &&
	       memcmp(OBJ_get0_data(obj), oid, len) == 0;
}

/* see cms_sig.h */
const char *
cms_sig_algorithm_protection(CMS_SignerInfo *si, struct arena *a)
{
	ASN1_OBJECT *id = OBJ_txt2obj("1.2.840.113549.1.9.52", 1);
	X509_ALGOR *dig = NULL, *salg = NULL;
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	struct rd r, seq, alg;
	const uint8_t *oid;
	size_t oid_len;
	uint8_t tag;
	int i;
	const char *bad = NULL;

	if (id == NULL)
		return NULL;
	i = CMS_signed_get_attr_by_OBJ(si, id, -1);
	ASN1_OBJECT_free(id);
	if (i < 0)
		return NULL;
	attr = CMS_signed_get_attr(si, i);
	t = X509_ATTRIBUTE_count(attr) == 1 ? X509_ATTRIBUTE_get0_type(attr, 0) :
					      NULL;
	if (t == NULL || t->type != V_ASN1_SEQUENCE)
		return "unreadable CMSAlgorithmProtection attribute";
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &salg);
	/* CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm,
	 *   signatureAlgorithm [1] IMPLICIT OPTIONAL, macAlgorithm [2] ... } */
	rd_init(&r, t->value.sequence->data,
		(size_t)t->value.sequence->length);
	if (rd_der(&r, &tag, &seq, NULL) != TTE_OK || tag != 0x30 ||
	    rd_der(&seq, &tag, &alg, NULL) != TTE_OK || tag != 0x30 ||
	    alg_oid(&alg, &oid, &oid_len) != 0)
		return "unreadable CMSAlgorithmProtection attribute";
	if (!same_oid(dig->algorithm, oid, oid_len))
		bad = "digest";
	while (bad == NULL && rd_left(&seq) > 0) {
		if (rd_der(&seq, &tag, &alg, NULL) != TTE_OK)
			return "unreadable CMSAlgorithmProtection attribute";
		if (tag == 0xa1 &&
		    (alg_oid(&alg, &oid, &oid_len) != 0 ||
		     !same_oid(salg->algorithm, oid, oid_len)))
			bad = "signature";
	}
	if (bad == NULL)
		return NULL;
	return arena_printf(a, "the CMSAlgorithmProtection attribute names "
			    "another %s algorithm than the SignerInfo (RFC 6211: "
			    "algorithm substitution)", bad);
}
