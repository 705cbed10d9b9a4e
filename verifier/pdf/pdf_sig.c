#include "pdf_sig.h"

#include <limits.h>
#include <string.h>

#include "../cms/cms_verify.h"
#include "pdf_diff.h"
#include "pdf_doc.h"
#include "pdf_statement.h"
#include "pdf_text.h"

struct sigctx {
	struct tte_doc *doc;
	const struct pki_store *store;
	struct pdf_doc *pd;
	size_t last;        /* index of the last revision */
	struct diag *d;
	uint32_t seen[PDF_MAX_SIGNATURES]; /* signature dictionaries done */
	size_t n_seen;
	size_t n_fields;
	int docmdp_p;       /* from the certification signature, 0 none */
	struct pki_pool *pool; /* the DSS's certificates and CRLs (owned) */
};

/* Text of a PDF string as a C string in the arena (bytes as they are;
 * JSON output replaces what is not UTF-8). */
static const char *
str_of(const struct pdf_obj *o, struct arena *a)
{
	if (o == NULL || o->kind != PDF_STRING)
		return NULL;
	return arena_strndup(a, (const char *)o->u.s.p, o->u.s.len);
}

static int
int_of(const struct pdf_obj *o, int64_t *v)
{
	if (o == NULL || o->kind != PDF_INT)
		return -1;
	*v = o->u.i;
	return 0;
}

/* ISO 32000-1 §12.8.2.2: the certification signature's DocMDP /P. */
static int
docmdp_level(struct sigctx *c, const struct pdf_obj *sd)
{
	struct pdf_obj *refs = pdf_doc_get(c->pd, c->last, sd, "Reference",
					   c->d);
	int64_t p = 2; /* the default when /P is absent */

	if (refs == NULL || refs->kind != PDF_ARRAY)
		return 0;
	for (size_t i = 0; i < refs->u.a.n; i++) {
		struct pdf_obj *r = NULL, *params;

		if (pdf_doc_resolve(c->pd, c->last, refs->u.a.v[i], &r, c->d) !=
			    TTE_OK ||
		    !pdf_name_is(pdf_dict_get(r, "TransformMethod"), "DocMDP"))
			continue;
		params = pdf_doc_get(c->pd, c->last, r, "TransformParams", c->d);
		if (int_of(pdf_dict_get(params, "P"), &p) != 0)
			p = 2;
		return p >= 1 && p <= 3 ? (int)p : 1; /* unknown: strictest */
	}
	return 0;
}

/* The DER length of the CMS at the start of the /Contents bytes: the rest
 * is the zero padding that signing tools reserve. */
static size_t
der_length(const uint8_t *p, size_t len)
{
	struct rd r, v;
	uint8_t tag;

	rd_init(&r, p, len);
	if (rd_der(&r, &tag, &v, NULL) != TTE_OK || tag != 0x30)
		return len; /* let the CMS parser say what is wrong */
	return r.off;
}

/*
 * The /ByteRange rules (ISO 32000-1 §12.8.1; PDF Insecurity "Signature
 * Wrapping"). Sets sig->byterange_error and returns -1 when the ranges
 * cannot even be sliced; returns 0 with the two parts otherwise.
 */
static int
check_byterange(struct sigctx *c, const struct pdf_obj *sd,
		const struct pdf_obj *contents, uint32_t sd_num,
		struct tte_sig *sig, struct cms_part parts[2])
{
	struct arena *a = &c->doc->arena;
	const struct pdf_obj *br = pdf_dict_get(sd, "ByteRange");
	int64_t v[4];
	size_t sec = 0;
	long r;

	if (br == NULL || br->kind != PDF_ARRAY || br->u.a.n != 4) {
		sig->format_error = "the signature dictionary has no /ByteRange "
				    "of four integers";
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		if (int_of(br->u.a.v[i], &v[i]) != 0 || v[i] < 0) {
			sig->format_error = "the /ByteRange holds something "
					    "other than non-negative integers";
			return -1;
		}
	}
	if (v[0] != 0 || (uint64_t)v[1] > c->pd->len ||
	    (uint64_t)v[2] > c->pd->len || v[2] < v[1] ||
	    (uint64_t)v[3] > c->pd->len - (uint64_t)v[2]) {
		sig->byterange_error = arena_printf(a, "[%lld %lld %lld %lld] "
			"does not start at 0 or lies outside the %zu-byte file",
			(long long)v[0], (long long)v[1], (long long)v[2],
			(long long)v[3], c->pd->len);
		return -1;
	}
	parts[0] = (struct cms_part){c->pd->data, (size_t)v[1]};
	parts[1] = (struct cms_part){c->pd->data + v[2], (size_t)v[3]};
	sig->covers_whole_document = (uint64_t)(v[2] + v[3]) == c->pd->len;
	r = pdf_doc_rev_ending_at(c->pd, (size_t)(v[2] + v[3]));
	if (r < 0) {
		sig->byterange_error = arena_printf(a, "the signed ranges end "
			"at offset %lld, which is not the end of any revision",
			(long long)(v[2] + v[3]));
		return 0;
	}
	sig->revision = r;
	/* The signature dictionary must be part of what it signs: one
	 * redefined later (a new /Reason, /M or /Name) was not signed. */
	if (pdf_doc_entry(c->pd, c->last, sd_num, &sec) == NULL ||
	    sec > (size_t)r) {
		sig->byterange_error = arena_printf(a, "the signature "
			"dictionary was replaced in revision %zu, after the "
			"revision %ld that it signs", sec + 1, r + 1);
		return 0;
	}
	if (contents->in_objstm || (uint64_t)v[1] != contents->off ||
	    (uint64_t)v[2] != contents->end) {
		sig->byterange_error = arena_printf(a, "the unsigned gap "
			"%lld..%lld is not exactly the /Contents string "
			"(%zu..%zu)", (long long)v[1], (long long)v[2],
			contents->off, contents->end);
	}
	return 0;
}

static void
verify_dict(struct sigctx *c, uint32_t num, const char *field)
{
	struct arena *a = &c->doc->arena;
	struct pdf_obj *sd = NULL, *contents;
	const struct pdf_obj *type, *subf;
	struct tte_sig *sig;
	struct cms_part parts[2];
	enum cms_pdf_mode mode = CMS_PDF_DETACHED;
	struct diag d2;
	size_t der_len;

	for (size_t i = 0; i < c->n_seen; i++)
		if (c->seen[i] == num)
			return;
	if (c->n_seen >= PDF_MAX_SIGNATURES)
		return;
	c->seen[c->n_seen++] = num;
	diag_clear(&d2);
	if (pdf_doc_object(c->pd, c->last, num, &sd, &d2) != TTE_OK || sd == NULL ||
	    sd->kind != PDF_DICT) {
		tte_doc_error(c->doc, "signature field '%s': unreadable signature "
			      "dictionary %u (%s)", field, num,
			      d2.code != TTE_OK ? d2.msg : "not a dictionary");
		return;
	}
	type = pdf_dict_get(sd, "Type");
	subf = pdf_dict_get(sd, "SubFilter");
	sig = tte_doc_add_sig(c->doc,
			      pdf_name_is(type, "DocTimeStamp") ||
					      pdf_name_is(subf, "ETSI.RFC3161") ?
				      TTE_KIND_DOC_TIMESTAMP :
				      TTE_KIND_SIGNATURE);
	if (sig == NULL)
		return;
	sig->in_pdf = 1;
	sig->revision = -1;
	sig->field_name = arena_strdup(a, field);
	sig->sub_filter = subf != NULL && subf->kind == PDF_NAME ?
				  arena_strdup(a, subf->u.n.p) : NULL;
	if (c->pd->recovered) {
		sig->format_error = arena_printf(a, "the file's cross-reference "
			"is damaged and was rebuilt by scanning (%s): its "
			"revisions cannot be told apart",
			c->pd->recover_reason ? c->pd->recover_reason : "?");
		return;
	}
	if (sig->sub_filter == NULL) {
		sig->format_error = "the signature dictionary has no /SubFilter";
		return;
	}
	if (strcmp(sig->sub_filter, "adbe.pkcs7.sha1") == 0) {
		mode = CMS_PDF_SHA1;
	} else if (strcmp(sig->sub_filter, "ETSI.RFC3161") == 0) {
		mode = CMS_PDF_TIMESTAMP;
	} else if (strcmp(sig->sub_filter, "adbe.pkcs7.detached") != 0 &&
		   strcmp(sig->sub_filter, "ETSI.CAdES.detached") != 0) {
		sig->format_error = arena_printf(a, "unsupported /SubFilter "
						 "'%s'", sig->sub_filter);
		return;
	}
	contents = pdf_dict_get(sd, "Contents");
	if (contents == NULL || contents->kind != PDF_STRING ||
	    contents->u.s.len == 0) {
		/* Universal Signature Forgery: nothing to verify. */
		sig->format_error = "the signature dictionary has no "
				    "/Contents string";
		return;
	}
	if (check_byterange(c, sd, contents, num, sig, parts) != 0)
		return;
	if (mode == CMS_PDF_DETACHED || mode == CMS_PDF_SHA1)
		sig->docmdp_p = docmdp_level(c, sd);
	if (sig->docmdp_p != 0 && c->docmdp_p == 0)
		c->docmdp_p = sig->docmdp_p;
	der_len = der_length(contents->u.s.p, contents->u.s.len);
	for (size_t i = der_len; i < contents->u.s.len; i++) {
		if (contents->u.s.p[i] != 0) {
			tte_notes_add(&sig->notes, a, "/Contents holds %zu "
				      "bytes after the CMS that are not zero "
				      "padding", contents->u.s.len - der_len);
			break;
		}
	}
	diag_clear(&d2);
	if (cms_verify_pdf(c->doc, c->store, c->pool, contents->u.s.p, der_len,
			   mode, parts, 2, sig, &d2) != TTE_OK &&
	    sig->format_error == NULL)
		sig->format_error = arena_strdup(a, d2.msg);
}

#define PDF_MAX_DSS_ITEMS 4096 /* certificates or CRLs read from /DSS */

/* Reads the streams of one /DSS array into the pool. */
static void
dss_array(struct sigctx *c, const struct pdf_obj *dss, const char *key,
	  int (*add)(struct pki_pool *, const unsigned char *, size_t))
{
	struct pdf_obj *arr = pdf_doc_get(c->pd, c->last, dss, key, c->d);
	size_t bad = 0;

	if (arr == NULL || arr->kind != PDF_ARRAY)
		return;
	for (size_t i = 0; i < arr->u.a.n && i < PDF_MAX_DSS_ITEMS; i++) {
		struct pdf_obj *st = NULL;
		const uint8_t *data;
		size_t len;
		struct diag d2;

		diag_clear(&d2);
		if (pdf_doc_resolve(c->pd, c->last, arr->u.a.v[i], &st, &d2) !=
			    TTE_OK ||
		    st == NULL || st->kind != PDF_STREAM ||
		    pdf_doc_stream(c->pd, c->last, st, &data, &len, &d2) != TTE_OK ||
		    add(c->pool, data, len) != 0)
			bad++;
	}
	if (bad > 0)
		tte_doc_error(c->doc, "%zu entries of the DSS /%s could not be "
			      "read", bad, key);
}

/* PAdES (ETSI EN 319 142-1 §5.4): the Document Security Store's
 * certificates, CRLs and OCSP responses serve chain building and
 * revocation. The /VRI index is not needed: every entry is tried. */
static void
read_dss(struct sigctx *c, const struct pdf_obj *root)
{
	struct pdf_obj *dss = pdf_doc_get(c->pd, c->last, root, "DSS", c->d);

	if (dss == NULL || dss->kind != PDF_DICT)
		return;
	c->pool = pki_pool_new();
	if (c->pool == NULL)
		return;
	dss_array(c, dss, "Certs", pki_pool_add_cert);
	dss_array(c, dss, "CRLs", pki_pool_add_crl);
	/* ISO 32000-2 §12.8.4.3: each /OCSPs stream is one OCSPResponse. */
	dss_array(c, dss, "OCSPs", pki_pool_add_ocsp);
}

/* The field's full name (ISO 32000-1 §12.7.3.2): parent names joined by
 * '.'. */
static const char *
full_name(const char *parent, const struct pdf_obj *t, struct arena *a)
{
	const char *own = str_of(t, a);

	if (own == NULL)
		return parent;
	if (parent == NULL || parent[0] == '\0')
		return own;
	return arena_printf(a, "%s.%s", parent, own);
}

/* Walks the field tree; inheritable /FT comes down from parents. */
static void
walk_fields(struct sigctx *c, struct pdf_obj *kids, const char *parent,
	    int inherited_sig, int depth)
{
	struct arena *a = &c->doc->arena;

	if (kids == NULL || kids->kind != PDF_ARRAY || depth > PDF_MAX_FIELD_DEPTH)
		return;
	for (size_t i = 0; i < kids->u.a.n; i++) {
		struct pdf_obj *ref = kids->u.a.v[i], *f = NULL, *ft, *v;
		const char *name;
		int is_sig;

		if (++c->n_fields > PDF_MAX_FIELDS)
			return;
		if (pdf_doc_resolve(c->pd, c->last, ref, &f, c->d) != TTE_OK ||
		    f == NULL || f->kind != PDF_DICT)
			continue;
		ft = pdf_dict_get(f, "FT");
		is_sig = ft != NULL ? pdf_name_is(ft, "Sig") : inherited_sig;
		name = full_name(parent, pdf_dict_get(f, "T"), a);
		v = pdf_dict_get(f, "V");
		if (is_sig && v != NULL && v->kind == PDF_REF)
			verify_dict(c, v->u.ref.num, name ? name : "?");
		else if (is_sig && v != NULL && v->kind == PDF_DICT)
			tte_doc_error(c->doc, "signature field '%s' holds its "
				      "signature dictionary directly; not "
				      "verified", name ? name : "?");
		walk_fields(c, pdf_doc_get(c->pd, c->last, f, "Kids", c->d), name,
			    is_sig, depth + 1);
	}
}

/* ISO 32000-1 §12.8.1: a signature dictionary is found through its field,
 * but one that no field reaches still tells something: a signature
 * removed after signing, or one hidden from viewers. Each is verified
 * and judged like the others, with a note. */
static void
scan_unreachable(struct sigctx *c)
{
	const struct pdf_obj *size = pdf_dict_get(c->pd->secs[c->last].trailer,
						  "Size");
	struct tte_sig *known_tail = c->doc->sigs_tail;

	if (size == NULL || size->kind != PDF_INT || size->u.i <= 0 ||
	    size->u.i > PDF_MAX_OBJECTS)
		return;
	for (uint32_t num = 1; num < (uint32_t)size->u.i; num++) {
		struct pdf_obj *o = NULL;
		struct diag d2;
		int known = 0;

		diag_clear(&d2);
		if (pdf_doc_object(c->pd, c->last, num, &o, &d2) != TTE_OK ||
		    o == NULL || o->kind != PDF_DICT)
			continue;
		if (!pdf_name_is(pdf_dict_get(o, "Type"), "Sig") &&
		    !pdf_name_is(pdf_dict_get(o, "Type"), "DocTimeStamp") &&
		    (pdf_dict_get(o, "ByteRange") == NULL ||
		     pdf_dict_get(o, "Contents") == NULL))
			continue;
		for (size_t i = 0; i < c->n_seen && !known; i++)
			known = c->seen[i] == num;
		if (!known)
			verify_dict(c, num, "(no field)");
	}
	for (struct tte_sig *s = known_tail != NULL ? known_tail->next :
						       c->doc->sigs;
	     s != NULL; s = s->next) {
		tte_notes_add(&s->notes, &c->doc->arena, "no signature field "
			      "refers to this signature dictionary: viewers do "
			      "not show it");
	}
}

/* The structural PAdES level (ETSI EN 319 142-1 §6): what the file holds,
 * not whether it is valid (the indication says that). */
static void
set_levels(struct sigctx *c)
{
	struct arena *a = &c->doc->arena;
	long dss_rev = -1;

	for (size_t r = 0; r <= c->last && dss_rev < 0; r++) {
		struct pdf_obj *root = pdf_doc_get(c->pd, r,
						   c->pd->secs[r].trailer, "Root",
						   c->d);

		if (pdf_dict_get(root, "DSS") != NULL)
			dss_rev = (long)r;
	}
	for (struct tte_sig *s = c->doc->sigs; s != NULL; s = s->next) {
		int t = s->timestamp != NULL, lt = 0, lta = 0;
		const char *base;

		if (s->kind != TTE_KIND_SIGNATURE)
			continue;
		for (const struct tte_sig *ts = c->doc->sigs; ts != NULL;
		     ts = ts->next) {
			if (ts->kind != TTE_KIND_DOC_TIMESTAMP ||
			    ts->revision <= s->revision)
				continue;
			t = 1;
			if (dss_rev >= 0 && ts->revision >= dss_rev)
				lta = 1;
		}
		lt = t && dss_rev > s->revision;
		base = s->sub_filter != NULL &&
				       strcmp(s->sub_filter,
					      "ETSI.CAdES.detached") == 0 ?
			       "PAdES" :
			       "PKCS7";
		s->level = arena_printf(a, "%s-B-%s", base,
					lta ? "LTA" : lt ? "LT" : t ? "T" : "B");
	}
}

/* The agreement's statement in the text of the last revision: what a
 * reader of the document sees. An extraction that stopped at a limit
 * still counts what it read; one that failed says "unknown". */
static void
statement(struct sigctx *c)
{
	struct pdf_text_stats st = {0};
	const char *text = NULL;
	size_t len = 0;
	struct diag d2;
	tte_err rc;

	diag_clear(&d2);
	rc = pdf_text_extract_stats(c->pd, c->last, &text, &len, &st, &d2);
	if (rc != TTE_OK && rc != TTE_E_TOO_BIG) {
		c->doc->statement = TTE_STMT_UNKNOWN;
		tte_doc_error(c->doc, "page text could not be extracted: %s",
			      d2.msg);
		return;
	}
	c->doc->statement = pdf_statement_match(text, len, st.text_ops,
						st.undecodable != 0 ||
							rc == TTE_E_TOO_BIG,
						c->doc->wordings);
}

/* see pdf_sig.h */
tte_err
pdf_sig_verify(struct tte_doc *doc, const struct pki_store *store,
	       const uint8_t *data, size_t len, struct diag *d)
{
	struct sigctx *c = NULL;
	struct pdf_obj *root, *acro;
	struct diag d2;
	tte_err rc = TTE_OK;

	c = arena_alloc(&doc->arena, sizeof(*c));
	ENSURE(c != NULL, TTE_E_NOMEM, d, "signature context");
	c->doc = doc;
	c->store = store;
	c->d = &d2;
	diag_clear(&d2);
	TRY(pdf_doc_open(data, len, &doc->arena, &c->pd, d));
	if (c->pd->encrypted) {
		tte_doc_error(doc, "encrypted PDF: not verified (tteaudit does "
			      "not decrypt documents)");
		goto out;
	}
	c->last = c->pd->n_secs - 1;
	root = pdf_doc_get(c->pd, c->last, c->pd->secs[c->last].trailer, "Root",
			   &d2);
	ENSURE(root != NULL && root->kind == PDF_DICT, TTE_E_MALFORMED, d,
	       "no document catalog (/Root)%s%s", d2.code ? ": " : "",
	       d2.code ? d2.msg : "");
	read_dss(c, root);
	acro = pdf_doc_get(c->pd, c->last, root, "AcroForm", &d2);
	walk_fields(c, pdf_doc_get(c->pd, c->last, acro, "Fields", &d2), NULL, 0,
		    0);
	scan_unreachable(c);
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		diag_clear(&d2);
		if (s->revision < 0 || s->byterange_error != NULL ||
		    s->format_error != NULL)
			continue;
		if (pdf_diff_analyse(c->pd, (size_t)s->revision, c->docmdp_p, s,
				     &doc->arena, &d2) != TTE_OK)
			tte_notes_add(&s->notes, &doc->arena, "modification "
				      "analysis failed: %s", d2.msg);
	}
	set_levels(c);
	statement(c);
	/* Leniencies of the parser are facts a reader of the verdict needs:
	 * the file is not exactly what the standard describes. */
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		for (size_t i = 0; i < c->pd->n_notes; i++)
			tte_notes_add(&s->notes, &doc->arena, "parsing: %s",
				      c->pd->notes[i]);
	}
out:
	if (c != NULL)
		pki_pool_free(c->pool);
	return rc;
}
