#include "cms_verify.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>

#include "../base/rd.h"
#include "../pki/pki_chain.h"
#include "../pki/pki_ocsp.h"
#include "cms_ats.h"
#include "cms_sig.h"
#include "../pki/pki_ossl.h"

#define CMS_MAX_PEM (64UL << 20) /* PEM or base64 input decoded in memory */

/* What one verification run shares across its signers. */
struct vctx {
	struct tte_doc *doc;
	const struct pki_store *store;
	const struct pki_pool *pool; /* the document's extra certificates
					and CRLs, or NULL */
	struct diag *d;
	const uint8_t *der;          /* the ContentInfo as received (after
					PEM or base64), for the archive
					timestamps; NULL: not at hand */
	size_t der_len;
	int layout_state;            /* 0 not read, 1 read, -1 unreadable */
	struct cms_layout layout;    /* of der (cms_ats.h) */
	const char *layout_msg;      /* why it is unreadable */
};

/* What a timestamp's message imprint must be the digest of: parts (the
 * signature value, a PDF's byte ranges), or an archive timestamp's
 * input (cms_ats.h). */
struct stamped {
	const struct cms_part *parts;
	size_t n_parts;
	const struct cms_ats_input *ats;
};

/* Verifies one SignerInfo; timestamps inside timestamps are not read. */
static tte_err verify_signer(struct vctx *v, CMS_ContentInfo *cms,
			     CMS_SignerInfo *si, const struct cms_part *parts,
			     size_t n_parts, int content_missing,
			     int is_timestamp, struct tte_sig *sig);

/* Decodes base64 text (whitespace ignored) into a malloc'd buffer. */
static unsigned char *
base64_decode(const uint8_t *p, size_t len, size_t *out_len)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	unsigned char *out = NULL;
	int n = 0, fin = 0;

	if (ctx == NULL || len > CMS_MAX_PEM)
		goto out;
	out = OPENSSL_malloc(len / 4 * 3 + 4);
	if (out == NULL)
		goto out;
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, out, &n, p, (int)len) < 0 ||
	    EVP_DecodeFinal(ctx, out + n, &fin) < 0) {
		OPENSSL_free(out);
		out = NULL;
		goto out;
	}
	*out_len = (size_t)n + (size_t)fin;
out:
	EVP_ENCODE_CTX_free(ctx);
	return out;
}

static int
starts_with_text(const uint8_t *p, size_t len, const char *s)
{
	size_t i = 0, n = strlen(s);

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
			   p[i] == '\n'))
		i++;
	return len - i >= n && memcmp(p + i, s, n) == 0;
}

/*
 * Reads the ContentInfo in any of the accepted encodings. Trailing bytes
 * after DER are a reported fact (STYLE.md rule 8), not a failure: PDF
 * /Contents are zero-padded by design.
 */
static tte_err
decode(struct vctx *v, const uint8_t *in, size_t len, CMS_ContentInfo **out,
       unsigned char **owned)
{
	unsigned char *der = NULL, *pem_der = NULL;
	char *name = NULL, *header = NULL;
	const unsigned char *p;
	size_t der_len = len;
	long pem_len = 0;
	BIO *b = NULL;
	tte_err rc = TTE_OK;

	ENSURE(len > 0 && len <= LONG_MAX, TTE_E_MALFORMED, v->d,
	       "empty signature file");
	if (starts_with_text(in, len, "-----BEGIN")) {
		ENSURE(len <= CMS_MAX_PEM, TTE_E_TOO_BIG, v->d,
		       "PEM signature over %lu bytes", CMS_MAX_PEM);
		b = BIO_new_mem_buf(in, (int)len);
		ENSURE(b != NULL, TTE_E_NOMEM, v->d, "reading PEM");
		if (!PEM_read_bio(b, &name, &header, &pem_der, &pem_len)) {
			rc = pki_ossl_fail(v->d, TTE_E_MALFORMED,
					   "cannot read PEM signature");
			goto out;
		}
		ENSURE(strcmp(name, "CMS") == 0 || strcmp(name, "PKCS7") == 0 ||
			       strcmp(name, "PKCS #7 SIGNED DATA") == 0,
		       TTE_E_MALFORMED, v->d, "PEM block is '%s', not CMS",
		       name);
		p = pem_der;
		der_len = (size_t)pem_len;
	} else if (in[0] != 0x30) {
		der = base64_decode(in, len, &der_len);
		ENSURE(der != NULL && der_len > 0 && der[0] == 0x30,
		       TTE_E_MALFORMED, v->d,
		       "not DER, PEM or base64 of a CMS structure");
		p = der;
	} else {
		p = in;
	}
	{
		const unsigned char *start = p;

		*out = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
		if (*out == NULL) {
			rc = pki_ossl_fail(v->d, TTE_E_MALFORMED,
					   "cannot parse CMS structure");
			goto out;
		}
		if ((size_t)(p - start) < der_len)
			tte_doc_error(v->doc, "%zu bytes after the CMS "
				      "structure were ignored",
				      der_len - (size_t)(p - start));
		/* The bytes as received, for the archive timestamps. */
		v->der = start;
		v->der_len = der_len;
		*owned = der != NULL ? der : pem_der;
		der = pem_der = NULL;
	}
out:
	OPENSSL_free(der);
	OPENSSL_free(pem_der);
	OPENSSL_free(name);
	OPENSSL_free(header);
	BIO_free(b);
	return rc;
}

/* The single value of a signed attribute; NULL with *count set to the
 * number of attributes of that type (0: absent, >1: duplicated). */
static ASN1_TYPE *
signed_attr(CMS_SignerInfo *si, int nid, int *count, int *n_values)
{
	int i = CMS_signed_get_attr_by_NID(si, nid, -1);
	X509_ATTRIBUTE *a;

	*count = 0;
	*n_values = 0;
	if (i < 0)
		return NULL;
	*count = 1;
	if (CMS_signed_get_attr_by_NID(si, nid, i) >= 0)
		*count = 2;
	a = CMS_signed_get_attr(si, i);
	*n_values = X509_ATTRIBUTE_count(a);
	if (*count != 1 || *n_values != 1)
		return NULL;
	return X509_ATTRIBUTE_get0_type(a, 0);
}

/* RFC 5652 §11: these attributes must appear once with one value. */
static ASN1_TYPE *
single_attr(struct vctx *v, CMS_SignerInfo *si, int nid, const char *what,
	    struct tte_sig *sig)
{
	int count, n_values;
	ASN1_TYPE *t = signed_attr(si, nid, &count, &n_values);

	if (count == 0)
		return NULL;
	if (t == NULL && sig->format_error == NULL)
		sig->format_error = arena_printf(&v->doc->arena,
			"the %s attribute appears %d times with %d values "
			"(RFC 5652 §11 allows one)", what, count, n_values);
	return t;
}

static const EVP_MD *
digest_of(const X509_ALGOR *alg)
{
	return EVP_get_digestbyobj(alg->algorithm);
}

/* Finds the certificate named by the SignerIdentifier among certs. */
static X509 *
find_signer(CMS_SignerInfo *si, STACK_OF(X509) *certs)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
			return sk_X509_value(certs, i);
	}
	return NULL;
}

/*
 * The DER of a SigningCertificate(V2) value (a SEQUENCE whose first
 * element is the SEQUENCE OF ESSCertID(v2)) cut to its first ESSCertID,
 * into buf (at most len bytes); returns its length, or 0 when the value
 * does not have that shape. RFC 5035 §5.4: the first identifies the
 * signer certificate; the others may name CA certificates the token
 * does not carry, which OpenSSL's check would require to be present
 * (PostSignum's TSA tokens list their CA this way).
 */
/* Writes a SEQUENCE header for n content bytes (minimal DER length,
 * n < 2^24) at buf + *at. */
static void
seq_header(unsigned char *buf, size_t *at, size_t n)
{
	buf[(*at)++] = 0x30;
	if (n < 0x80) {
		buf[(*at)++] = (unsigned char)n;
		return;
	}
	buf[(*at)++] = (unsigned char)(0x80 | (n > 0xffff ? 3 : n > 0xff ? 2 : 1));
	if (n > 0xffff)
		buf[(*at)++] = (unsigned char)(n >> 16);
	if (n > 0xff)
		buf[(*at)++] = (unsigned char)(n >> 8);
	buf[(*at)++] = (unsigned char)n;
}

static size_t
first_cert_id(const ASN1_STRING *v, unsigned char *buf, size_t len)
{
	struct rd r, outer, ids, id;
	uint8_t tag;
	const uint8_t *first;
	size_t n, at = 0;
	struct diag d;

	diag_clear(&d);
	rd_init(&r, v->data, (size_t)v->length);
	if (rd_der(&r, &tag, &outer, &d) != TTE_OK || tag != 0x30 ||
	    rd_der(&outer, &tag, &ids, &d) != TTE_OK || tag != 0x30 ||
	    rd_left(&ids) == 0)
		return 0;
	first = ids.p + ids.off;
	if (rd_der(&ids, &tag, &id, &d) != TTE_OK || tag != 0x30)
		return 0;
	n = (size_t)(id.p + id.len - first); /* the whole first TLV */
	if (n > 0xffff || n + 2 * 4 + 2 > len) /* two headers of <= 5 */
		return 0;
	seq_header(buf, &at, n + (n < 0x80 ? 2 : n <= 0xff ? 3 : 4));
	seq_header(buf, &at, n);
	memcpy(buf + at, first, n);
	return at + n;
}

/* RFC 2634 §5.4 / RFC 5035: the signing-certificate attribute must name
 * the signer certificate (first) by hash. */
static void
check_ess(struct vctx *v, CMS_SignerInfo *si, X509 *signer,
	  STACK_OF(X509) *certs, struct tte_sig *sig)
{
	ASN1_TYPE *t1, *t2;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain = NULL;
	const unsigned char *p;
	unsigned char buf[4096]; /* one ESSCertID: a hash and a name */
	size_t n;
	int r;

	t1 = single_attr(v, si, NID_id_smime_aa_signingCertificate,
			 "signing-certificate", sig);
	t2 = single_attr(v, si, NID_id_smime_aa_signingCertificateV2,
			 "signing-certificate-v2", sig);
	if (t1 == NULL && t2 == NULL)
		return; /* absent: plain CMS and PKCS #7 signatures */
	if ((t1 != NULL && t1->type != V_ASN1_SEQUENCE) ||
	    (t2 != NULL && t2->type != V_ASN1_SEQUENCE))
		goto bad_format;
	if (t1 != NULL) {
		n = first_cert_id(t1->value.sequence, buf, sizeof(buf));
		p = buf;
		ss = n > 0 ? d2i_ESS_SIGNING_CERT(NULL, &p, (long)n) : NULL;
		if (ss == NULL)
			goto bad_format;
	}
	if (t2 != NULL) {
		n = first_cert_id(t2->value.sequence, buf, sizeof(buf));
		p = buf;
		ss2 = n > 0 ? d2i_ESS_SIGNING_CERT_V2(NULL, &p, (long)n) : NULL;
		if (ss2 == NULL)
			goto bad_format;
	}
	chain = sk_X509_new_null();
	if (chain == NULL || !sk_X509_push(chain, signer))
		goto out;
	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (sk_X509_value(certs, i) != signer &&
		    !sk_X509_push(chain, sk_X509_value(certs, i)))
			goto out;
	}
	r = OSSL_ESS_check_signing_certs(ss, ss2, chain, 0);
	sig->ess = r > 0 ? TTE_CHECK_OK : TTE_CHECK_FAILED;
	if (r <= 0)
		sig->signer_msg = arena_printf(&v->doc->arena,
			"the signing-certificate attribute does not match the "
			"signer certificate '%s' (certificate substitution?)",
			sig->chain != NULL ? sig->chain->subject : "?");
	goto out;
bad_format:
	if (sig->format_error == NULL)
		sig->format_error = "unreadable signing-certificate attribute";
out:
	ERR_clear_error();
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
}

/* Records what cms_sig_verify found. */
static void
record_signature(struct vctx *v, const struct cms_sig_outcome *o,
		 struct tte_sig *sig)
{
	sig->signature = o->ok ? TTE_CHECK_OK : TTE_CHECK_FAILED;
	if (!o->ok)
		sig->signature_msg = o->why;
	if (o->note != NULL)
		tte_notes_add(&sig->notes, &v->doc->arena, "%s", o->note);
	if (o->format_issue != NULL && sig->format_error == NULL)
		sig->format_error = o->format_issue;
}

/* RFC 5652 §5.4: the signature covers the DER encoding of the signed
 * attributes. Signers that sent them out of DER order signed either the
 * bytes they sent or the DER form; both are tried, and the deviation is
 * told. A signature is over exactly the bytes checked, so accepting
 * either order lets nothing unsigned through. */
static void
verify_signed_attrs(struct vctx *v, CMS_SignerInfo *si, X509 *signer,
		    struct tte_sig *sig)
{
	struct arena *a = &v->doc->arena;
	struct cms_sig_outcome o, o2;
	unsigned char *rcv = NULL, *srt = NULL;
	size_t rlen = 0, slen = 0;
	int reordered;

	if (cms_sig_signed_attrs(si, &rcv, &rlen, &srt, &slen) != 0) {
		sig->signature = TTE_CHECK_FAILED;
		sig->signature_msg = "the signed attributes cannot be encoded "
				     "for verification";
		return;
	}
	reordered = rlen != slen || memcmp(rcv, srt, rlen) != 0;
	cms_sig_verify(si, X509_get0_pubkey(signer),
		       &(struct cms_part){rcv, rlen}, 1, a, &o);
	if (!o.ok && reordered) {
		cms_sig_verify(si, X509_get0_pubkey(signer),
			       &(struct cms_part){srt, slen}, 1, a, &o2);
		if (o2.ok) {
			o = o2;
			tte_notes_add(&sig->notes, a, "the signed attributes "
				      "were sent out of DER order; the signature "
				      "is over their DER encoding");
		}
	} else if (o.ok && reordered) {
		tte_notes_add(&sig->notes, a, "the signed attributes are not in "
			      "DER order (RFC 5652 §5.3); the signature covers "
			      "them as sent");
	}
	record_signature(v, &o, sig);
	OPENSSL_free(rcv);
	OPENSSL_free(srt);
}

/* Verifies the RFC 3161 TimeStampToken tok[0..len) whose message
 * imprint must be the digest of what st says, filling ts. */
static void
verify_timestamp(struct vctx *v, const unsigned char *tok, long tok_len,
		 const struct stamped *st, struct tte_sig *ts)
{
	struct arena *a = &v->doc->arena;
	CMS_ContentInfo *tcms = NULL;
	TS_TST_INFO *tst = NULL;
	ASN1_OCTET_STRING **pos;
	STACK_OF(CMS_SignerInfo) *sis;
	const unsigned char *p;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dglen = 0;
	TS_MSG_IMPRINT *mi;
	ASN1_OCTET_STRING *want;
	const EVP_MD *md;

	p = tok;
	tcms = d2i_CMS_ContentInfo(NULL, &p, tok_len);
	if (tcms == NULL || OBJ_obj2nid(CMS_get0_type(tcms)) != NID_pkcs7_signed) {
		ts->format_error = "the timestamp token is not a CMS SignedData";
		goto out;
	}
	if (OBJ_obj2nid(CMS_get0_eContentType(tcms)) != NID_id_smime_ct_TSTInfo) {
		ts->format_error = "the timestamp token does not hold a TSTInfo";
		goto out;
	}
	pos = CMS_get0_content(tcms);
	sis = CMS_get0_SignerInfos(tcms);
	if (pos == NULL || *pos == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
		ts->format_error = "the timestamp token must carry its TSTInfo "
				   "and exactly one SignerInfo (RFC 3161 §2.4.2)";
		goto out;
	}
	p = (*pos)->data;
	tst = d2i_TS_TST_INFO(NULL, &p, (*pos)->length);
	if (tst == NULL) {
		ts->format_error = "unreadable TSTInfo";
		goto out;
	}
	if (pki_ossl_time(TS_TST_INFO_get_time(tst), &ts->ts_time) != 0) {
		ts->format_error = "unreadable genTime in the TSTInfo";
		goto out;
	}
	/* The imprint must be the digest of what it stamps: the signature
	 * value (ETSI EN 319 122-1 §5.3), the PDF byte ranges, or an
	 * archive timestamp's input (§5.5.3). */
	mi = TS_TST_INFO_get_msg_imprint(tst);
	md = digest_of(TS_MSG_IMPRINT_get_algo(mi));
	want = TS_MSG_IMPRINT_get_msg(mi);
	if (md != NULL && st->ats != NULL) {
		const char *note = NULL, *why = NULL;
		int r = cms_ats_imprint_match(st->ats, md, want->data,
					      (size_t)want->length, &note,
					      &why);

		ts->imprint = r > 0 ? TTE_CHECK_OK :
			      r == 0 ? TTE_CHECK_FAILED : TTE_CHECK_NOT_DONE;
		ts->imprint_msg = r > 0 ? NULL :
			why != NULL ? why :
			"the archive timestamp's message imprint is not the "
			"digest of this signature and what it archives: it "
			"stamps other data";
		if (note != NULL)
			tte_notes_add(&ts->notes, a, "%s", note);
	} else if (md == NULL ||
		   cms_sig_digest(md, st->parts, st->n_parts, dg, &dglen) != 0) {
		ts->imprint = TTE_CHECK_FAILED;
		ts->imprint_msg = "unknown digest algorithm in the message imprint";
	} else if ((unsigned)want->length != dglen ||
		   memcmp(want->data, dg, dglen) != 0) {
		ts->imprint = TTE_CHECK_FAILED;
		ts->imprint_msg = "the timestamp's message imprint is not the "
				  "digest of what it should stamp: it stamps "
				  "other data";
	} else {
		ts->imprint = TTE_CHECK_OK;
	}
	if (verify_signer(v, tcms, sk_CMS_SignerInfo_value(sis, 0),
			  &(struct cms_part){(*pos)->data, (size_t)(*pos)->length},
			  1, 0, 1, ts) != TTE_OK &&
	    ts->format_error == NULL)
		ts->format_error = arena_strdup(a, v->d->msg);
out:
	ERR_clear_error();
	TS_TST_INFO_free(tst);
	CMS_ContentInfo_free(tcms);
}

static void
signature_timestamp(struct vctx *v, CMS_SignerInfo *si, struct tte_sig *sig)
{
	int i = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
					     -1);
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	ASN1_OCTET_STRING *sv;
	int n;

	if (i < 0)
		return;
	attr = CMS_unsigned_get_attr(si, i);
	n = X509_ATTRIBUTE_count(attr);
	sig->timestamp = arena_alloc(&v->doc->arena, sizeof(*sig->timestamp));
	if (sig->timestamp == NULL)
		return;
	sig->timestamp->kind = TTE_KIND_TIMESTAMP;
	sig->timestamp->id = arena_printf(&v->doc->arena, "%s-TS", sig->id);
	if (n < 1) {
		sig->timestamp->format_error = "empty timestamp attribute";
		return;
	}
	if (n > 1 || CMS_unsigned_get_attr_by_NID(
			     si, NID_id_smime_aa_timeStampToken, i) >= 0)
		tte_notes_add(&sig->notes, &v->doc->arena,
			      "more than one signature timestamp: only the "
			      "first was checked");
	t = X509_ATTRIBUTE_get0_type(attr, 0);
	sv = CMS_SignerInfo_get0_signature(si);
	if (t->type != V_ASN1_SEQUENCE) {
		sig->timestamp->format_error = "the timestamp token is not a "
					       "SEQUENCE";
		return;
	}
	verify_timestamp(v, t->value.sequence->data, t->value.sequence->length,
			 &(struct stamped){&(struct cms_part){sv->data,
							     (size_t)sv->length},
					   1, NULL},
			 sig->timestamp);
}

/* The genTime of the TimeStampToken tok[0..len), or 0 when unreadable. */
static int64_t
token_time(const uint8_t *tok, size_t len)
{
	const unsigned char *p = tok;
	CMS_ContentInfo *cms = NULL;
	TS_TST_INFO *tst = NULL;
	ASN1_OCTET_STRING **pos;
	int64_t t = 0;

	if (len > LONG_MAX)
		return 0;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	pos = cms != NULL ? CMS_get0_content(cms) : NULL;
	if (pos != NULL && *pos != NULL) {
		p = (*pos)->data;
		tst = d2i_TS_TST_INFO(NULL, &p, (*pos)->length);
	}
	if (tst == NULL || pki_ossl_time(TS_TST_INFO_get_time(tst), &t) != 0)
		t = 0;
	TS_TST_INFO_free(tst);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return t;
}

/* Whether si has an archive timestamp attribute (any version). */
static int
has_archive_attr(CMS_SignerInfo *si)
{
	for (int i = 0; i < CMS_unsigned_get_attr_count(si); i++) {
		ASN1_OBJECT *o = X509_ATTRIBUTE_get0_object(
			CMS_unsigned_get_attr(si, i));
		enum cms_ua_type t = o == NULL ? CMS_UA_OTHER :
			cms_ats_attr_type(OBJ_get0_data(o),
					  (size_t)OBJ_length(o));

		if (t == CMS_UA_ATS_V3 || t == CMS_UA_ATS_V2 ||
		    t == CMS_UA_ATS_V1)
			return 1;
	}
	return 0;
}

static enum tte_ats_form
form_of(enum cms_ua_type t)
{
	switch (t) {
	case CMS_UA_ATS_V2:
		return TTE_ATS_V2;
	case CMS_UA_ATS_V1:
		return TTE_ATS_V1;
	case CMS_UA_ATS_V3:
	case CMS_UA_OTHER:
	case CMS_UA_SIG_TS:
	case CMS_UA_INDEX_V3:
	case CMS_UA_INDEX_OLD:
		break;
	}
	return TTE_ATS_V3;
}

/* Appends a new archive timestamp of form to sig's list; NULL when out
 * of memory. */
static struct tte_sig *
new_archive(struct vctx *v, struct tte_sig *sig, size_t n,
	    enum tte_ats_form form)
{
	struct tte_sig *ats = arena_alloc(&v->doc->arena, sizeof(*ats));
	struct tte_sig **tail = &sig->archive;

	if (ats == NULL)
		return NULL;
	ats->kind = TTE_KIND_ARCHIVE_TIMESTAMP;
	ats->id = arena_printf(&v->doc->arena, "%s-ATS%zu", sig->id, n + 1);
	ats->ats_form = form;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = ats;
	return ats;
}

/*
 * The archive timestamps of si (ETSI EN 319 122-1 §5.5.3; TS 101 733
 * §6.4.1 for v2), each recorded in sig->archive in the order of the
 * unsigned attributes: its token verified as a signature timestamp is,
 * its imprint over the input its version defines (cms_ats.h), and what
 * it covers. parts are the signed content (absent: content_missing).
 */
static void
archive_timestamps(struct vctx *v, CMS_ContentInfo *cms, CMS_SignerInfo *si,
		   const struct cms_part *parts, size_t n_parts,
		   int content_missing, struct tte_sig *sig)
{
	struct arena *a = &v->doc->arena;
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	const struct cms_layout_signer *ls;
	struct cms_ats_input in;
	int64_t *gen = NULL;
	int *pos = NULL;
	size_t idx = 0, n = 0, skipped = 0;
	const char *unread = NULL;
	struct diag d;

	if (!has_archive_attr(si))
		return;
	if (v->layout_state == 0) {
		diag_clear(&d);
		v->layout_state = 1;
		if (v->der == NULL) {
			v->layout_state = -1;
			v->layout_msg = "the signature's bytes are not at hand";
		} else if (cms_ats_layout(v->der, v->der_len, a, &v->layout,
					  &d) != TTE_OK) {
			v->layout_state = -1;
			v->layout_msg = arena_strdup(a, d.msg);
		}
	}
	while (idx < (size_t)sk_CMS_SignerInfo_num(sis) &&
	       sk_CMS_SignerInfo_value(sis, (int)idx) != si)
		idx++;
	if (v->layout_state < 0)
		unread = v->layout_msg;
	else if (idx >= v->layout.n_signers ||
		 v->layout.signers[idx].n_attrs !=
			 (size_t)CMS_unsigned_get_attr_count(si))
		unread = "its unsigned attributes read differently by OpenSSL "
			 "and by the archive timestamp reader";
	if (unread != NULL) {
		/* Recorded, and never valid: they could not be verified. */
		struct tte_sig *ats = new_archive(v, sig, 0, TTE_ATS_V3);

		if (ats != NULL) {
			ats->imprint_msg = arena_printf(
				a, "the signature's structure could not be read "
				"for its archive timestamps: %s", unread);
		}
		return;
	}
	ls = &v->layout.signers[idx];
	gen = arena_alloc(a, (ls->n_attrs + 1) * sizeof(*gen));
	pos = arena_alloc(a, (ls->n_attrs + 1) * sizeof(*pos));
	if (gen == NULL || pos == NULL)
		return;
	for (size_t i = 0; i < ls->n_attrs; i++) {
		const struct cms_uattr *u = &ls->attrs[i];

		pos[i] = -1;
		if (u->type != CMS_UA_ATS_V3 && u->type != CMS_UA_ATS_V2 &&
		    u->type != CMS_UA_ATS_V1)
			continue;
		if (u->n_values > 0)
			gen[i] = token_time(u->values[0].p, u->values[0].len);
		if (n < TTE_ATS_MAX)
			pos[i] = (int)n++;
		else
			skipped++;
	}
	memset(&in, 0, sizeof(in));
	in.l = &v->layout;
	in.signer = idx;
	in.content = content_missing ? NULL : parts;
	in.n_content = content_missing ? 0 : n_parts;
	in.gen_time = gen;
	for (size_t i = 0; i < ls->n_attrs; i++) {
		const struct cms_uattr *u = &ls->attrs[i];
		struct tte_sig *ats;
		const char *why = NULL;

		if (pos[i] < 0)
			continue;
		ats = new_archive(v, sig, (size_t)pos[i], form_of(u->type));
		if (ats == NULL)
			return;
		in.attr = i;
		in.form = ats->ats_form;
		in.index.p = NULL;
		in.index.len = 0;
		ats->ts_time = gen[i];
		if (u->n_values != 1) {
			ats->imprint_msg = u->n_values == 0 ?
				"the attribute holds no timestamp token" :
				"the attribute holds more than one timestamp "
				"token (one is allowed)";
			continue;
		}
		if (u->values[0].len > LONG_MAX) {
			ats->imprint_msg = "the timestamp token is too long";
			continue;
		}
		if (ats->ats_form == TTE_ATS_V3 &&
		    cms_ats_token_index(u->values[0].p, u->values[0].len, a,
					&in.index, &in.form, &why) < 0) {
			ats->imprint_msg = why;
			continue;
		}
		ats->ats_form = in.form;
		if (ats->ats_form == TTE_ATS_V1) {
			ats->imprint_msg = "an archive-time-stamp of ETSI TS 101 "
					   "733 v1 (id-aa-ets-archiveTimeStamp) "
					   "is recognised and not verified";
			continue;
		}
		verify_timestamp(v, u->values[0].p, (long)u->values[0].len,
				 &(struct stamped){NULL, 0, &in}, ats);
		cms_ats_coverage(&in, pos, a, ats);
	}
	if (skipped > 0)
		tte_notes_add(&sig->notes, a, "%zu more archive timestamp%s "
			      "(over %d) were not verified", skipped,
			      skipped == 1 ? "" : "s", TTE_ATS_MAX);
}

/* Adds the document's certificates, CRLs and OCSP responses (v->pool,
 * a PDF's DSS) to the signature's own: certificates to *certs (created
 * when the CMS had none), the rest to rev. References are shared. */
static tte_err
merge_pool(struct vctx *v, struct pki_pool *rev, STACK_OF(X509) **certs)
{
	const struct pki_pool *p = v->pool;
	tte_err rc = TTE_OK;

	if (*certs == NULL)
		*certs = sk_X509_new_null();
	ENSURE(*certs != NULL, TTE_E_NOMEM, v->d, "certificates");
	for (int i = 0; i < sk_X509_num(p->certs); i++) {
		X509 *x = sk_X509_value(p->certs, i);

		ENSURE(X509_up_ref(x), TTE_E_CRYPTO, v->d, "certificate");
		if (!sk_X509_push(*certs, x)) {
			X509_free(x);
			BAIL(TTE_E_NOMEM, v->d, "certificates");
		}
	}
	for (int i = 0; i < sk_X509_CRL_num(p->crls); i++) {
		X509_CRL *c = sk_X509_CRL_value(p->crls, i);

		ENSURE(X509_CRL_up_ref(c), TTE_E_CRYPTO, v->d, "CRL");
		if (!sk_X509_CRL_push(rev->crls, c)) {
			X509_CRL_free(c);
			BAIL(TTE_E_NOMEM, v->d, "CRLs");
		}
	}
	for (int i = 0; i < sk_OCSP_BASICRESP_num(p->ocsps); i++) {
		OCSP_BASICRESP *r = sk_OCSP_BASICRESP_value(p->ocsps, i);
		unsigned char *der = NULL;
		int n = i2d_OCSP_BASICRESP(r, &der);
		const unsigned char *q = der;
		OCSP_BASICRESP *copy = n > 0 ? d2i_OCSP_BASICRESP(NULL, &q, n) :
					       NULL;

		/* OpenSSL 3.0 has no OCSP_BASICRESP_up_ref: a copy. */
		OPENSSL_free(der);
		ENSURE(copy != NULL, TTE_E_CRYPTO, v->d, "OCSP response");
		if (!sk_OCSP_BASICRESP_push(rev->ocsps, copy)) {
			OCSP_BASICRESP_free(copy);
			BAIL(TTE_E_NOMEM, v->d, "OCSP responses");
		}
	}
out:
	return rc;
}

static tte_err
verify_signer(struct vctx *v, CMS_ContentInfo *cms, CMS_SignerInfo *si,
	      const struct cms_part *parts, size_t n_parts, int content_missing,
	      int is_timestamp, struct tte_sig *sig)
{
	struct arena *a = &v->doc->arena;
	STACK_OF(X509) *certs = CMS_get1_certs(cms);
	X509_ALGOR *dig = NULL, *salg = NULL;
	X509 *signer;
	ASN1_TYPE *t;
	const EVP_MD *md;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dglen = 0;
	const char *protection;
	struct pki_pool *rev = NULL;
	tte_err rc = TTE_OK;

	ERR_clear_error();
	ENSURE(sk_X509_num(certs) <= CMS_MAX_CERTS, TTE_E_TOO_BIG, v->d,
	       "%d certificates in one CMS (limit %d)", sk_X509_num(certs),
	       CMS_MAX_CERTS);
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &salg);
	sig->digest_alg = pki_ossl_obj_name(dig->algorithm, a);
	sig->sig_alg = pki_ossl_obj_name(salg->algorithm, a);
	{
		int md_nid = NID_undef, pk_nid = NID_undef;

		/* RFC 5652 §5.3: digestAlgorithm names a digest; some
		 * signers put a signature algorithm there. */
		if (OBJ_find_sigid_algs(OBJ_obj2nid(dig->algorithm), &md_nid,
					&pk_nid) && pk_nid != NID_undef)
			tte_notes_add(&sig->notes, a, "the digest algorithm "
				      "field holds the signature algorithm %s "
				      "(RFC 5652 §5.3 wants a digest); its hash "
				      "was used", sig->digest_alg);
	}

	signer = find_signer(si, certs);
	if (signer == NULL) {
		sig->signer_found = TTE_CHECK_FAILED;
		sig->signer_msg = "the signer certificate named by the "
				  "SignerInfo is not in the signature";
		goto out;
	}
	sig->signer_found = TTE_CHECK_OK;
	/* The revocation data the signature carries (CMS crls and OCSP,
	 * CAdES revocationValues, adbe-revocationInfoArchival) and the
	 * document's own (PDF DSS) help build the chain and decide
	 * revocation; none of it is trusted by itself. */
	rev = pki_pool_new();
	ENSURE(rev != NULL, TTE_E_NOMEM, v->d, "revocation data");
	pki_ocsp_collect_cms(cms, si, rev);
	if (v->pool != NULL)
		TRY(merge_pool(v, rev, &certs));
	TRY(pki_chain_check(v->store, signer, certs, rev, a, sig, v->d));

	md = digest_of(dig);
	if (md == NULL) {
		sig->format_error = arena_printf(a, "unknown digest algorithm "
						 "'%s'", sig->digest_alg);
		goto out;
	}
	if (content_missing) {
		sig->content_missing = 1;
	} else if (CMS_signed_get_attr_count(si) > 0 &&
		   cms_sig_digest(md, parts, n_parts, dg, &dglen) != 0) {
		rc = pki_ossl_fail(v->d, TTE_E_CRYPTO, "cannot digest content");
		goto out;
	}

	if (CMS_signed_get_attr_count(si) <= 0) {
		/* No signed attributes: the signature covers the content
		 * itself, so digest and signature stand or fall together. */
		if (!content_missing) {
			struct cms_sig_outcome o;

			cms_sig_verify(si, X509_get0_pubkey(signer), parts,
				       n_parts, a, &o);
			record_signature(v, &o, sig);
			sig->hash = o.ok ? TTE_CHECK_OK : TTE_CHECK_NOT_DONE;
		}
		goto timestamp;
	}

	/* RFC 5652 §5.3: with signed attributes, contentType and
	 * messageDigest are mandatory. */
	t = single_attr(v, si, NID_pkcs9_contentType, "contentType", sig);
	if (t == NULL || t->type != V_ASN1_OBJECT) {
		sig->content_type = TTE_CHECK_FAILED;
	} else {
		sig->content_type = OBJ_cmp(t->value.object,
					    CMS_get0_eContentType(cms)) == 0 ?
					    TTE_CHECK_OK : TTE_CHECK_FAILED;
	}
	t = single_attr(v, si, NID_pkcs9_messageDigest, "messageDigest", sig);
	if (t == NULL || t->type != V_ASN1_OCTET_STRING) {
		if (sig->format_error == NULL)
			sig->format_error = "no messageDigest signed attribute";
	} else if (!content_missing) {
		if ((unsigned)t->value.octet_string->length == dglen &&
		    memcmp(t->value.octet_string->data, dg, dglen) == 0) {
			sig->hash = TTE_CHECK_OK;
		} else {
			sig->hash = TTE_CHECK_FAILED;
			sig->hash_msg = is_timestamp ?
				"the TSTInfo digest does not match the token's "
				"messageDigest" :
				"the signed content was altered: its digest does "
				"not match the messageDigest attribute";
		}
	}
	t = single_attr(v, si, NID_pkcs9_signingTime, "signingTime", sig);
	if (t != NULL && (t->type == V_ASN1_UTCTIME ||
			  t->type == V_ASN1_GENERALIZEDTIME))
		sig->has_signing_time =
			pki_ossl_time(t->value.utctime, &sig->signing_time) == 0;

	check_ess(v, si, signer, certs, sig);

	verify_signed_attrs(v, si, signer, sig);
	protection = cms_sig_algorithm_protection(si, a);
	if (protection != NULL) {
		sig->signature = TTE_CHECK_FAILED;
		sig->signature_msg = protection;
	}
timestamp:
	if (!is_timestamp) {
		signature_timestamp(v, si, sig);
		archive_timestamps(v, cms, si, parts, n_parts, content_missing,
				   sig);
	}
	if (CMS_unsigned_get_attr_by_NID(si, NID_pkcs9_countersignature, -1) >= 0)
		tte_notes_add(&sig->notes, a, "countersignatures (RFC 5652 "
			      "§11.4) are present and not verified yet");
out:
	ERR_clear_error();
	pki_pool_free(rev);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

/* see cms_verify.h */
tte_err
cms_verify(struct tte_doc *doc, const struct pki_store *store,
	   const uint8_t *der, size_t len, const struct cms_content_src *src,
	   struct diag *d)
{
	struct vctx v = {.doc = doc, .store = store, .d = d};
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	ASN1_OCTET_STRING **pos;
	struct tte_sig *sig;
	unsigned char *decoded = NULL;
	uint8_t *detached = NULL;
	const uint8_t *content = NULL;
	size_t content_len = 0;
	int content_missing = 0, n;
	struct diag cd;
	const char *missing_why = NULL;
	tte_err rc = TTE_OK;

	ERR_clear_error();
	TRY(decode(&v, der, len, &cms, &decoded));
	ENSURE(OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed,
	       TTE_E_MALFORMED, d, "the CMS holds %s, not signedData",
	       OBJ_nid2sn(OBJ_obj2nid(CMS_get0_type(cms))));
	pos = CMS_get0_content(cms);
	if (pos != NULL && *pos != NULL) {
		/* Attached: the encapsulated content is what was signed. */
		content = (*pos)->data;
		content_len = (size_t)(*pos)->length;
		content_missing = 0;
	} else {
		/* Detached: ask for the content; its absence is a verdict
		 * (SIGNED_DATA_NOT_FOUND), not an error. */
		diag_clear(&cd);
		if (src == NULL || src->load(src->arg, &detached, &content_len,
					     &cd) != TTE_OK) {
			content_missing = 1;
			missing_why = arena_strdup(&doc->arena, src == NULL ?
				"no content source" : cd.msg);
		} else {
			content = detached;
		}
	}
	sis = CMS_get0_SignerInfos(cms);
	n = sk_CMS_SignerInfo_num(sis);
	ENSURE(n > 0, TTE_E_MALFORMED, d, "the CMS has no SignerInfo");
	ENSURE(n <= CMS_MAX_SIGNERS, TTE_E_TOO_BIG, d,
	       "%d SignerInfos (limit %d)", n, CMS_MAX_SIGNERS);
	for (int i = 0; i < n; i++) {
		sig = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
		ENSURE(sig != NULL, TTE_E_NOMEM, d, "signature result");
		TRY(verify_signer(&v, cms, sk_CMS_SignerInfo_value(sis, i),
				  &(struct cms_part){content, content_len}, 1,
				  content_missing, 0, sig));
		if (missing_why != NULL)
			tte_notes_add(&sig->notes, &doc->arena, "%s",
				      missing_why);
	}
out:
	free(detached);
	OPENSSL_free(decoded);
	ERR_clear_error();
	CMS_ContentInfo_free(cms);
	return rc;
}

/* see cms_verify.h */
tte_err
cms_verify_pdf(struct tte_doc *doc, const struct pki_store *store,
	       const struct pki_pool *pool, const uint8_t *der, size_t len,
	       enum cms_pdf_mode mode, const struct cms_part *parts,
	       size_t n_parts, struct tte_sig *sig, struct diag *d)
{
	struct vctx v = {.doc = doc, .store = store, .pool = pool, .d = d,
			 .der = der, .der_len = len};
	struct arena *a = &doc->arena;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	ASN1_OCTET_STRING **pos;
	const unsigned char *p = der;
	unsigned char dg[EVP_MAX_MD_SIZE];
	unsigned int dglen = 0;
	int n;
	tte_err rc = TTE_OK;

	ERR_clear_error();
	ENSURE(len > 0 && len <= LONG_MAX, TTE_E_MALFORMED, d,
	       "empty signature /Contents");
	if (mode == CMS_PDF_TIMESTAMP) {
		verify_timestamp(&v, der, (long)len,
				 &(struct stamped){parts, n_parts, NULL}, sig);
		goto out;
	}
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (cms == NULL) {
		rc = pki_ossl_fail(d, TTE_E_MALFORMED,
				   "cannot parse the signature's CMS");
		goto out;
	}
	ENSURE(OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed,
	       TTE_E_MALFORMED, d, "the signature's CMS is not signedData");
	sis = CMS_get0_SignerInfos(cms);
	n = sk_CMS_SignerInfo_num(sis);
	ENSURE(n > 0, TTE_E_MALFORMED, d, "the signature's CMS has no "
	       "SignerInfo");
	/* ISO 32000-1 §12.8.3.3.1: exactly one SignerInfo. */
	if (n > 1)
		sig->format_error = arena_printf(a, "%d SignerInfos in one PDF "
						 "signature (one allowed)", n);
	pos = CMS_get0_content(cms);
	if (mode == CMS_PDF_DETACHED) {
		if (pos != NULL && *pos != NULL && sig->format_error == NULL)
			/* The signature would cover its own eContent, not the
			 * document's bytes. */
			sig->format_error = "the signature carries encapsulated "
					    "content: it does not sign the "
					    "document's byte ranges";
		TRY(verify_signer(&v, cms, sk_CMS_SignerInfo_value(sis, 0),
				  parts, n_parts, 0, 0, sig));
		goto out;
	}
	/* adbe.pkcs7.sha1: the signed eContent is the SHA-1 of the ranges. */
	if (pos == NULL || *pos == NULL) {
		sig->format_error = "adbe.pkcs7.sha1 signature without its "
				    "encapsulated digest";
		goto out;
	}
	TRY(verify_signer(&v, cms, sk_CMS_SignerInfo_value(sis, 0),
			  &(struct cms_part){(*pos)->data,
					     (size_t)(*pos)->length},
			  1, 0, 0, sig));
	if (cms_sig_digest(EVP_sha1(), parts, n_parts, dg, &dglen) != 0 ||
	    (unsigned)(*pos)->length != dglen ||
	    memcmp((*pos)->data, dg, dglen) != 0) {
		sig->hash = TTE_CHECK_FAILED;
		sig->hash_msg = "the document was altered: the signed SHA-1 "
				"digest does not match its byte ranges";
	}
out:
	ERR_clear_error();
	CMS_ContentInfo_free(cms);
	return rc;
}
