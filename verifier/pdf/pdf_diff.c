#include "pdf_diff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_MAX_PARENTS 32   /* /Parent chain followed for /FT */
#define DIFF_MAX_DSS_ITEMS 100000 /* objects under /DSS taken as DSS */

enum verdict { ALLOW, ALLOW_NOTED, DENY };

struct diff {
	struct pdf_doc *pd;
	size_t rev, last;
	int p;                 /* DocMDP level, 0 none */
	struct tte_sig *sig;
	struct arena *a;
	struct diag *d;
	uint32_t root, info, metadata, acroform, fields;
	uint32_t *dss;         /* objects that make up the DSS (sorted) */
	size_t n_dss;
	uint32_t extensions;   /* the catalog's /Extensions, if indirect */
	uint32_t dr, dr_font;  /* the form's /DR and its /Font, if indirect */
	int need_appearances;  /* the form asks viewers to draw fields */
	uint32_t *sigf;        /* signature fields and their widgets as of
				  the last revision (sorted) */
	size_t n_sigf;
	uint32_t *ref_count;   /* references to each object at rev, built
				  on first need; index = object number */
	uint32_t *referrer;    /* the first object referring to it (0:
				  the trailer) */
	size_t n_refs;         /* size of both arrays */
	int denied, noted;
	size_t n_listed;
};

static void
change(struct diff *df, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
change(struct diff *df, enum verdict v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (v == ALLOW)
		return;
	if (v == DENY)
		df->denied = 1;
	else
		df->noted = 1;
	if (df->n_listed++ >= PDF_MAX_CHANGES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tte_notes_add(&df->sig->changes, df->a, "%s%s",
		      v == DENY ? "not allowed: " : "allowed: ", buf);
}

static uint32_t
ref_num(const struct pdf_obj *o)
{
	return o != NULL && o->kind == PDF_REF ? o->u.ref.num : 0;
}

static struct pdf_obj *
get(struct diff *df, size_t rev, const struct pdf_obj *dict, const char *key)
{
	return pdf_doc_get(df->pd, rev, dict, key, df->d);
}

static struct pdf_obj *
object(struct diff *df, size_t rev, uint32_t num)
{
	struct pdf_obj *o = NULL;

	if (num == 0 || pdf_doc_object(df->pd, rev, num, &o, df->d) != TTE_OK)
		return NULL;
	return o;
}

static const uint8_t *
src(const struct diff *df)
{
	return df->pd->data;
}

static int
equal(const struct diff *df, const struct pdf_obj *x, const struct pdf_obj *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return pdf_obj_equal(x, y, src(df), src(df));
}

/* A short description of an object for the change list. */
static const char *
describe(struct diff *df, const struct pdf_obj *o)
{
	const struct pdf_obj *d = o != NULL && o->kind == PDF_STREAM ?
					  o->u.st.dict : o;
	const struct pdf_obj *t = pdf_dict_get(d, "Type");
	const struct pdf_obj *st = pdf_dict_get(d, "Subtype");

	if (o == NULL)
		return "object";
	if (t != NULL && t->kind == PDF_NAME && st != NULL && st->kind == PDF_NAME)
		return arena_printf(df->a, "/%s /%s", t->u.n.p, st->u.n.p);
	if (t != NULL && t->kind == PDF_NAME)
		return arena_printf(df->a, "/%s", t->u.n.p);
	if (st != NULL && st->kind == PDF_NAME)
		return arena_printf(df->a, "/Subtype /%s", st->u.n.p);
	if (o->kind == PDF_STREAM)
		return "stream (page content, image, font or form)";
	if (o->kind == PDF_ARRAY)
		return "array";
	if (o->kind == PDF_DICT)
		return "dictionary";
	return "object";
}

static int
in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == x)
			return 1;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* The objects under the last revision's /DSS: the dictionary, its arrays,
 * the VRI dictionaries and the streams they list (ETSI EN 319 142-1
 * §5.4.2: adding validation data is not a change to the document). */
static void
collect_dss(struct diff *df, const struct pdf_obj *root)
{
	uint32_t *v = arena_alloc(df->a, sizeof(uint32_t) * DIFF_MAX_DSS_ITEMS);
	struct pdf_obj *dss_ref = pdf_dict_get(root, "DSS"), *dss;
	size_t n = 0;

	if (v == NULL || dss_ref == NULL)
		return;
	if (ref_num(dss_ref) != 0)
		v[n++] = ref_num(dss_ref);
	dss = get(df, df->last, root, "DSS");
	for (size_t i = 0; dss != NULL && dss->kind == PDF_DICT &&
			   i < dss->u.d.n; i++) {
		struct pdf_obj *val = dss->u.d.v[i].val, *r = NULL;

		if (ref_num(val) != 0 && n < DIFF_MAX_DSS_ITEMS)
			v[n++] = ref_num(val);
		if (pdf_doc_resolve(df->pd, df->last, val, &r, df->d) != TTE_OK ||
		    r == NULL)
			continue;
		if (r->kind == PDF_ARRAY) {
			for (size_t k = 0; k < r->u.a.n && n < DIFF_MAX_DSS_ITEMS; k++)
				if (ref_num(r->u.a.v[k]) != 0)
					v[n++] = ref_num(r->u.a.v[k]);
		} else if (r->kind == PDF_DICT) { /* /VRI: hash -> dict */
			for (size_t k = 0; k < r->u.d.n && n < DIFF_MAX_DSS_ITEMS; k++) {
				struct pdf_obj *e = NULL;

				if (ref_num(r->u.d.v[k].val) != 0)
					v[n++] = ref_num(r->u.d.v[k].val);
				/* a VRI entry's /Cert /CRL /OCSP /TS arrays
				 * (ETSI EN 319 142-1 §5.4.2.3) */
				if (pdf_doc_resolve(df->pd, df->last,
						    r->u.d.v[k].val, &e,
						    df->d) != TTE_OK ||
				    e == NULL || e->kind != PDF_DICT)
					continue;
				for (size_t m = 0; m < e->u.d.n &&
						   n < DIFF_MAX_DSS_ITEMS; m++) {
					struct pdf_obj *arr = NULL;

					if (ref_num(e->u.d.v[m].val) != 0)
						v[n++] = ref_num(e->u.d.v[m].val);
					if (pdf_doc_resolve(df->pd, df->last,
							    e->u.d.v[m].val, &arr,
							    df->d) != TTE_OK ||
					    arr == NULL || arr->kind != PDF_ARRAY)
						continue;
					for (size_t q = 0; q < arr->u.a.n &&
							   n < DIFF_MAX_DSS_ITEMS; q++)
						if (ref_num(arr->u.a.v[q]) != 0)
							v[n++] = ref_num(arr->u.a.v[q]);
				}
			}
		}
	}
	qsort(v, n, sizeof(*v), cmp_u32);
	df->dss = v;
	df->n_dss = n;
}

/* The field's /FT, inherited through /Parent (ISO 32000-1 §12.7.3.1). */
static int
is_sig_field(struct diff *df, size_t rev, const struct pdf_obj *f)
{
	for (int i = 0; f != NULL && i < DIFF_MAX_PARENTS; i++) {
		const struct pdf_obj *ft = pdf_dict_get(f, "FT");

		if (ft != NULL)
			return pdf_name_is(ft, "Sig");
		f = get(df, rev, f, "Parent");
	}
	return 0;
}

/* Nonzero when the signature field f's value is a document timestamp. */
static int
holds_doc_timestamp(struct diff *df, const struct pdf_obj *f)
{
	const struct pdf_obj *v = get(df, df->last, f, "V");

	return pdf_name_is(pdf_dict_get(v, "Type"), "DocTimeStamp") ||
	       pdf_name_is(pdf_dict_get(v, "SubFilter"), "ETSI.RFC3161");
}

#define DIFF_MAX_FIELDS 10000 /* form fields and widgets visited */

/* Collects every signature field (/FT /Sig, inherited) and its /Kids as
 * of the last revision: widgets whose /Parent is missing still count,
 * since viewers find them through /Kids. */
static void
collect_sig_fields(struct diff *df, struct pdf_obj *kids, int inherited,
		   int depth, size_t *n, uint32_t *v)
{
	if (kids == NULL || kids->kind != PDF_ARRAY || depth > DIFF_MAX_PARENTS)
		return;
	for (size_t i = 0; i < kids->u.a.n && *n < DIFF_MAX_FIELDS; i++) {
		struct pdf_obj *f = NULL, *ft;
		int sig;

		if (pdf_doc_resolve(df->pd, df->last, kids->u.a.v[i], &f,
				    df->d) != TTE_OK ||
		    f == NULL || f->kind != PDF_DICT)
			continue;
		ft = pdf_dict_get(f, "FT");
		sig = ft != NULL ? pdf_name_is(ft, "Sig") : inherited;
		if (sig && ref_num(kids->u.a.v[i]) != 0)
			v[(*n)++] = ref_num(kids->u.a.v[i]);
		collect_sig_fields(df, get(df, df->last, f, "Kids"), sig,
				   depth + 1, n, v);
	}
}

static void
sig_fields(struct diff *df, struct pdf_obj *root)
{
	uint32_t *v = arena_alloc(df->a, sizeof(uint32_t) * DIFF_MAX_FIELDS);
	size_t n = 0;

	if (v == NULL)
		return;
	collect_sig_fields(df, get(df, df->last, get(df, df->last, root,
						      "AcroForm"), "Fields"),
			   0, 0, &n, v);
	qsort(v, n, sizeof(*v), cmp_u32);
	df->sigf = v;
	df->n_sigf = n;
}

/* Counts the references inside one object (depth-bounded). */
static void
count_refs(struct diff *df, const struct pdf_obj *o, uint32_t from, int depth)
{
	if (o == NULL || depth > PDF_MAX_DEPTH)
		return;
	switch (o->kind) {
	case PDF_REF:
		if (o->u.ref.num < df->n_refs) {
			if (df->ref_count[o->u.ref.num]++ == 0)
				df->referrer[o->u.ref.num] = from;
		}
		break;
	case PDF_ARRAY:
		for (size_t i = 0; i < o->u.a.n; i++)
			count_refs(df, o->u.a.v[i], from, depth + 1);
		break;
	case PDF_DICT:
		for (size_t i = 0; i < o->u.d.n; i++)
			count_refs(df, o->u.d.v[i].val, from, depth + 1);
		break;
	case PDF_STREAM:
		count_refs(df, o->u.st.dict, from, depth + 1);
		break;
	case PDF_NULL:
	case PDF_BOOL:
	case PDF_INT:
	case PDF_REAL:
	case PDF_STRING:
	case PDF_NAME:
		break;
	}
}

/* Who refers to what in the signed revision: every object of it is read
 * once. Returns -1 when that cannot be done (then nothing is excused). */
static int
build_ref_index(struct diff *df)
{
	const struct pdf_obj *size;
	int64_t n;

	if (df->ref_count != NULL)
		return 0;
	size = pdf_dict_get(df->pd->secs[df->rev].trailer, "Size");
	if (size == NULL || size->kind != PDF_INT || size->u.i <= 0 ||
	    size->u.i > PDF_MAX_OBJECTS)
		return -1;
	n = size->u.i;
	df->ref_count = arena_alloc(df->a, sizeof(uint32_t) * (size_t)n);
	df->referrer = arena_alloc(df->a, sizeof(uint32_t) * (size_t)n);
	if (df->ref_count == NULL || df->referrer == NULL)
		return -1;
	df->n_refs = (size_t)n;
	for (uint32_t num = 1; num < (uint32_t)n; num++) {
		struct pdf_obj *o = NULL;

		if (pdf_doc_object(df->pd, df->rev, num, &o, df->d) != TTE_OK)
			return -1;
		/* A cross-reference stream's dictionary is a trailer: its
		 * /Root and /Info are not uses of those objects. */
		if (o != NULL && o->kind == PDF_STREAM &&
		    pdf_name_is(pdf_dict_get(o->u.st.dict, "Type"), "XRef"))
			continue;
		count_refs(df, o, num, 0);
	}
	count_refs(df, df->pd->secs[df->rev].trailer, 0, 0);
	return 0;
}

/* Nonzero when widget w's /AP (a dict, or the indirect dict ap) holds a
 * reference to num among its appearance entries /N /D /R. */
static int
ap_holds(const struct pdf_obj *ap, uint32_t num)
{
	static const char *const keys[] = {"N", "D", "R"};

	for (size_t k = 0; k < 3; k++) {
		const struct pdf_obj *e = pdf_dict_get(ap, keys[k]);

		if (ref_num(e) == num)
			return 1;
		/* appearance states: /N << /On 5 0 R /Off 6 0 R >> */
		for (size_t i = 0; e != NULL && e->kind == PDF_DICT &&
				   i < e->u.d.n; i++)
			if (ref_num(e->u.d.v[i].val) == num)
				return 1;
	}
	return 0;
}

/*
 * The widget whose appearance alone uses object num in the signed
 * revision (referenced once, from that widget's /AP, or from an indirect
 * /AP dictionary that only that widget uses), or 0. Re-drawing such an
 * appearance in place belongs to filling or signing its field; an
 * object used anywhere else is not excused (pyHanko's "sneaky" cases).
 */
static uint32_t
sole_appearance_owner(struct diff *df, uint32_t num)
{
	struct pdf_obj *w = NULL, *ap;
	uint32_t from;

	if (build_ref_index(df) != 0 || num >= df->n_refs ||
	    df->ref_count[num] != 1)
		return 0;
	from = df->referrer[num];
	if (from == 0 || pdf_doc_object(df->pd, df->rev, from, &w, df->d) !=
				 TTE_OK || w == NULL)
		return 0;
	if (w->kind == PDF_DICT && pdf_name_is(pdf_dict_get(w, "Subtype"),
					       "Widget")) {
		ap = get(df, df->rev, w, "AP");
		if (ref_num(pdf_dict_get(w, "AP")) == num || ap_holds(ap, num))
			return from;
		return 0;
	}
	/* An indirect /AP dictionary: one more step up. */
	if (w->kind == PDF_DICT && ap_holds(w, num) &&
	    from < df->n_refs && df->ref_count[from] == 1) {
		uint32_t wnum = df->referrer[from];
		struct pdf_obj *ww = NULL;

		if (wnum != 0 &&
		    pdf_doc_object(df->pd, df->rev, wnum, &ww, df->d) == TTE_OK &&
		    ww != NULL && ref_num(pdf_dict_get(ww, "AP")) == from)
			return wnum;
	}
	return 0;
}

/* Judges a field, widget or annotation that a later revision added. */
static enum verdict
judge_added(struct diff *df, const struct pdf_obj *ref, const char *where)
{
	struct pdf_obj *o = NULL;
	const struct pdf_obj *st;

	if (pdf_doc_resolve(df->pd, df->last, (struct pdf_obj *)ref, &o,
			    df->d) != TTE_OK ||
	    o == NULL || o->kind != PDF_DICT) {
		change(df, DENY, "%s gained an entry that is not a dictionary",
		       where);
		return DENY;
	}
	st = pdf_dict_get(o, "Subtype");
	if (is_sig_field(df, df->last, o) ||
	    in_sorted(df->sigf, df->n_sigf, ref_num(ref))) {
		/* A new signature field (or its widget): signing. Under P=1
		 * only document timestamps may be added. */
		if (df->p == 1 && !holds_doc_timestamp(df, o)) {
			change(df, DENY, "a signature was added although the "
			       "certification allows no changes (P=1)");
			return DENY;
		}
		return ALLOW;
	}
	if (pdf_dict_get(o, "FT") != NULL || pdf_name_is(st, "Widget")) {
		change(df, DENY, "%s gained a new form field", where);
		return DENY;
	}
	if (st != NULL && (df->p == 0 || df->p == 3)) {
		df->sig->annots_added++; /* the policy's call (issue 5) */
		change(df, ALLOW_NOTED, "an annotation (/%s) was added to %s; "
		       "it is not part of what was signed and may cover "
		       "content", st->kind == PDF_NAME ? st->u.n.p : "?", where);
		return ALLOW_NOTED;
	}
	change(df, DENY, "%s gained an annotation%s", where,
	       df->p ? " that the certification level does not permit" : "");
	return DENY;
}

/* An array that may only grow: old entries kept, new ones judged. */
static void
judge_growing_array(struct diff *df, const struct pdf_obj *old,
		    const struct pdf_obj *new, const char *where)
{
	if (old == NULL || new == NULL || old->kind != PDF_ARRAY ||
	    new->kind != PDF_ARRAY) {
		change(df, DENY, "%s was replaced", where);
		return;
	}
	for (size_t i = 0; i < old->u.a.n; i++) {
		int found = 0;

		for (size_t k = 0; k < new->u.a.n && !found; k++)
			found = equal(df, old->u.a.v[i], new->u.a.v[k]);
		if (!found) {
			change(df, DENY, "%s lost an entry", where);
			return;
		}
	}
	for (size_t k = 0; k < new->u.a.n; k++) {
		int known = 0;

		for (size_t i = 0; i < old->u.a.n && !known; i++)
			known = equal(df, old->u.a.v[i], new->u.a.v[k]);
		if (!known)
			judge_added(df, new->u.a.v[k], where);
	}
}

/* The value of key in a dict as of a revision, resolved when indirect
 * only if the key's value object itself is unchanged (an indirect value
 * that changed is judged as its own object). */
static int
key_changed(struct diff *df, const struct pdf_obj *old, const struct pdf_obj *new,
	    const char *key)
{
	const struct pdf_obj *o = pdf_dict_get(old, key);
	const struct pdf_obj *n = pdf_dict_get(new, key);

	if (equal(df, o, n))
		return 0;
	/* Re-pointed to a copy: the same value under another number. */
	if (o != NULL && n != NULL && (o->kind == PDF_REF || n->kind == PDF_REF))
		return !equal(df, get(df, df->rev, old, key),
			      get(df, df->last, new, key));
	return 1;
}

/* Calls fn for each key whose value differs between old and new. */
static void
each_changed_key(struct diff *df, const struct pdf_obj *old,
		 const struct pdf_obj *new,
		 void (*fn)(struct diff *, const struct pdf_obj *,
			    const struct pdf_obj *, const char *, void *),
		 void *arg)
{
	for (size_t i = 0; i < new->u.d.n; i++) {
		const char *k = new->u.d.v[i].key;

		if (key_changed(df, old, new, k))
			fn(df, old, new, k, arg);
	}
	for (size_t i = 0; i < old->u.d.n; i++) {
		const char *k = old->u.d.v[i].key;

		if (pdf_dict_get(new, k) == NULL)
			fn(df, old, new, k, arg);
	}
}

static void acroform_key(struct diff *df, const struct pdf_obj *old,
			 const struct pdf_obj *new, const char *k, void *arg);

/* Nonzero when the new name dictionary is the old one plus /AP. */
static int
names_gain_only_ap(struct diff *df, const struct pdf_obj *old,
		   const struct pdf_obj *new)
{
	if (new == NULL || new->kind != PDF_DICT ||
	    (old != NULL && old->kind != PDF_DICT))
		return 0;
	for (size_t i = 0; i < new->u.d.n; i++) {
		const char *k = new->u.d.v[i].key;

		if (strcmp(k, "AP") != 0 && (old == NULL ||
					     key_changed(df, old, new, k)))
			return 0;
	}
	for (size_t i = 0; old != NULL && i < old->u.d.n; i++)
		if (pdf_dict_get(new, old->u.d.v[i].key) == NULL)
			return 0;
	return 1;
}

#define DIFF_MAX_GROW_DEPTH 4 /* /DR /Font /F1 ... nesting compared */

static int
grows(struct diff *df, const struct pdf_obj *old, const struct pdf_obj *new,
      int depth)
{
	if (new == NULL || new->kind != PDF_DICT || depth > DIFF_MAX_GROW_DEPTH)
		return 0;
	if (old == NULL)
		return 1; /* from nothing */
	if (old->kind != PDF_DICT)
		return 0;
	for (size_t i = 0; i < old->u.d.n; i++) {
		const char *k = old->u.d.v[i].key;

		if (key_changed(df, old, new, k) &&
		    !grows(df, get(df, df->rev, old, k),
			   get(df, df->last, new, k), depth + 1))
			return 0;
	}
	return 1;
}

/* Nonzero when new is old with entries added, at any depth of nested
 * dictionaries (a font added to /DR /Font), and none changed. */
static int
dict_only_grows(struct diff *df, const struct pdf_obj *old,
		const struct pdf_obj *new)
{
	return grows(df, old, new, 0);
}

static void
catalog_key(struct diff *df, const struct pdf_obj *old,
	    const struct pdf_obj *new, const char *k, void *arg)
{
	(void)arg;
	if (strcmp(k, "DSS") == 0 || strcmp(k, "Extensions") == 0)
		return; /* PAdES validation data and its extension level */
	if (strcmp(k, "AcroForm") == 0) {
		struct pdf_obj *o = get(df, df->rev, old, k);
		struct pdf_obj *n = get(df, df->last, new, k);

		if (o == NULL && n != NULL && n->kind == PDF_DICT) {
			/* A form appears with the first signature. */
			judge_growing_array(df, &(struct pdf_obj){.kind = PDF_ARRAY},
					    get(df, df->last, n, "Fields"),
					    "the form's /Fields");
		} else if (o != NULL && n != NULL && o->kind == PDF_DICT &&
			   n->kind == PDF_DICT &&
			   ref_num(pdf_dict_get(old, k)) == 0 &&
			   ref_num(pdf_dict_get(new, k)) == 0) {
			each_changed_key(df, o, n, acroform_key, NULL);
		} else if (ref_num(pdf_dict_get(old, k)) == 0 ||
			   ref_num(pdf_dict_get(old, k)) !=
				   ref_num(pdf_dict_get(new, k))) {
			change(df, DENY, "the catalog's /AcroForm was replaced");
		}
		return;
	}
	if (strcmp(k, "Metadata") == 0) {
		change(df, ALLOW_NOTED, "the XMP metadata was replaced (not "
		       "shown on pages)");
		return;
	}
	if (strcmp(k, "Version") == 0) {
		change(df, ALLOW_NOTED, "the catalog's PDF /Version changed");
		return;
	}
	if (strcmp(k, "StructTreeRoot") == 0 || strcmp(k, "MarkInfo") == 0) {
		change(df, ALLOW_NOTED, "the logical structure (tagging, /%s) "
		       "changed: not rendered", k);
		return;
	}
	if (strcmp(k, "Names") == 0 && (df->p == 0 || df->p == 3) &&
	    names_gain_only_ap(df, get(df, df->rev, old, k),
			       get(df, df->last, new, k))) {
		/* Acrobat stores comment icons in an /AP name tree (ISO
		 * 32000-1 §7.7.4); scripts and attachments stay refused. */
		change(df, ALLOW_NOTED, "the catalog's /Names gained an /AP "
		       "tree of annotation appearances");
		return;
	}
	change(df, DENY, "the document catalog's /%s changed", k);
}

static void
acroform_key(struct diff *df, const struct pdf_obj *old,
	     const struct pdf_obj *new, const char *k, void *arg)
{
	(void)arg;
	if (strcmp(k, "Fields") == 0) {
		if (ref_num(pdf_dict_get(new, k)) != 0 &&
		    ref_num(pdf_dict_get(old, k)) == ref_num(pdf_dict_get(new, k)))
			return; /* the indirect array is judged itself */
		judge_growing_array(df, get(df, df->rev, old, k),
				    get(df, df->last, new, k),
				    "the form's /Fields");
		return;
	}
	if (strcmp(k, "SigFlags") == 0)
		return;
	if (strcmp(k, "DR") == 0 &&
	    (!df->need_appearances ||
	     dict_only_grows(df, get(df, df->rev, old, k),
			     get(df, df->last, new, k)))) {
		/* Default resources only feed appearances a viewer builds
		 * itself, which it does when /NeedAppearances is true: then
		 * they may only grow. */
		change(df, ALLOW_NOTED, "the form's default resources (/DR) "
		       "changed");
		return;
	}
	if (strcmp(k, "DA") == 0 || strcmp(k, "NeedAppearances") == 0) {
		change(df, ALLOW_NOTED, "the form's /%s changed", k);
		return;
	}
	change(df, DENY, "the form's /%s changed", k);
}

static void
page_key(struct diff *df, const struct pdf_obj *old, const struct pdf_obj *new,
	 const char *k, void *arg)
{
	const char *where = arg;

	if (strcmp(k, "Annots") == 0) {
		if (ref_num(pdf_dict_get(new, k)) != 0 &&
		    ref_num(pdf_dict_get(old, k)) == ref_num(pdf_dict_get(new, k)))
			return;
		judge_growing_array(df, get(df, df->rev, old, k) != NULL ?
					       get(df, df->rev, old, k) :
					       &(struct pdf_obj){.kind = PDF_ARRAY},
				    get(df, df->last, new, k), where);
		return;
	}
	if (strcmp(k, "Tabs") == 0 || strcmp(k, "StructParents") == 0) {
		change(df, ALLOW_NOTED, "%s: /%s (tab order or tagging) changed",
		       where, k);
		return;
	}
	change(df, DENY, "%s: /%s changed", where, k);
}

/* ISO 32000-1 §12.5.3: a flags change that sets neither Invisible (1),
 * Hidden (2), NoView (32) nor ToggleNoView (256) changes nothing seen. */
static int
flags_harmless(const struct pdf_obj *old, const struct pdf_obj *new)
{
	int64_t o = old != NULL && old->kind == PDF_INT ? old->u.i : 0;
	int64_t n = new != NULL && new->kind == PDF_INT ? new->u.i : 0;
	const int64_t hiding = 1 | 2 | 32 | 256;

	if ((old != NULL && old->kind != PDF_INT) ||
	    (new != NULL && new->kind != PDF_INT))
		return 0;
	return ((n & ~o) & hiding) == 0 && ((o & ~n) & hiding) == 0;
}

/* A page tree node: only what pages inherit matters (ISO 32000-1
 * §7.7.3.4); producers keep private keys there (iText's /ITXT). */
static void
pages_key(struct diff *df, const struct pdf_obj *old, const struct pdf_obj *new,
	  const char *k, void *arg)
{
	static const char *const rendered[] = {"Kids", "Count", "Parent",
		"Type", "Resources", "MediaBox", "CropBox", "Rotate"};
	const char *where = arg;

	(void)old;
	(void)new;
	for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++) {
		if (strcmp(k, rendered[i]) == 0) {
			change(df, DENY, "%s: /%s changed", where, k);
			return;
		}
	}
	change(df, ALLOW_NOTED, "%s: private key /%s changed (not inherited "
	       "by pages)", where, k);
}

struct field_arg {
	const char *where;
	int sig_field;
	int had_value;     /* the field had a /V when signed */
	int value_changed; /* its /V differs now (a sig field: got one) */
};

/* The field a widget or field dict belongs to: itself when it carries
 * field keys, else its /Parent. */
static const struct pdf_obj *
owning_field(struct diff *df, size_t rev, const struct pdf_obj *o)
{
	if (pdf_dict_get(o, "T") != NULL || pdf_dict_get(o, "FT") != NULL ||
	    pdf_dict_get(o, "V") != NULL)
		return o;
	return get(df, rev, o, "Parent");
}

/* Fills the value facts of fa for widget or field num (old and new
 * versions): an appearance may be redrawn only with a new value. */
static void
field_value_facts(struct diff *df, uint32_t num, const struct pdf_obj *old,
		  const struct pdf_obj *new, struct field_arg *fa)
{
	const struct pdf_obj *fo = owning_field(df, df->rev, old);
	const struct pdf_obj *fn = owning_field(df, df->last, new);

	fa->sig_field = is_sig_field(df, df->rev, old) ||
			in_sorted(df->sigf, df->n_sigf, num);
	fa->had_value = pdf_dict_get(fo, "V") != NULL;
	fa->value_changed = fo != NULL && fn != NULL &&
			    key_changed(df, fo, fn, "V");
}

static void
field_key(struct diff *df, const struct pdf_obj *old, const struct pdf_obj *new,
	  const char *k, void *arg)
{
	struct field_arg *fa = arg;
	/* ISO 32000-1 §12.7: the value, its appearance and state, a choice
	 * field's selected indices, the reset value and the default
	 * appearance string are form data. */
	int value_key = strcmp(k, "V") == 0 || strcmp(k, "AP") == 0 ||
			strcmp(k, "AS") == 0 || strcmp(k, "I") == 0 ||
			strcmp(k, "DV") == 0 || strcmp(k, "DA") == 0;
	int look_key = strcmp(k, "AP") == 0 || strcmp(k, "AS") == 0 ||
		       strcmp(k, "DA") == 0;

	if (strcmp(k, "F") == 0 && fa->sig_field &&
	    flags_harmless(pdf_dict_get(old, "F"), pdf_dict_get(new, "F"))) {
		/* Signing tools lock or mark signed widgets for printing. */
		change(df, ALLOW_NOTED, "%s: annotation flags changed (print "
		       "or lock only)", fa->where);
		return;
	}
	if (!value_key) {
		change(df, DENY, "%s: /%s changed", fa->where, k);
		return;
	}
	if (fa->sig_field) {
		/* Signing an empty signature field is allowed; changing a
		 * signed one never is, nor redrawing one not being signed. */
		if (fa->had_value || (look_key && !fa->value_changed))
			change(df, DENY, "%s: a signed signature field changed "
			       "(/%s)", fa->where, k);
		else if (df->p == 1 && !holds_doc_timestamp(df, new))
			change(df, DENY, "%s was signed although the "
			       "certification allows no changes (P=1)",
			       fa->where);
		return;
	}
	if (df->p == 1) {
		change(df, DENY, "%s: form data changed although the "
		       "certification allows no changes (P=1)", fa->where);
	} else if (look_key && !fa->value_changed) {
		/* The shadow "replace" attack: the value stays as signed
		 * while the appearance shows something else. */
		change(df, DENY, "%s: its appearance (/%s) changed while its "
		       "value stayed as signed", fa->where, k);
	} else {
		change(df, ALLOW_NOTED, "%s: form field filled (/%s)",
		       fa->where, k);
	}
}

static const char *
field_label(struct diff *df, const struct pdf_obj *f, uint32_t num)
{
	const struct pdf_obj *t = pdf_dict_get(f, "T");

	if (t != NULL && t->kind == PDF_STRING)
		return arena_printf(df->a, "form field '%.*s' (object %u)",
				    (int)(t->u.s.len > 64 ? 64 : t->u.s.len),
				    (const char *)t->u.s.p, num);
	return arena_printf(df->a, "form field widget (object %u)", num);
}

/* Nonzero when the signed revision refers to num exactly once. */
static int
sole_reference(struct diff *df, uint32_t num)
{
	return build_ref_index(df) == 0 && num < df->n_refs &&
	       df->ref_count[num] == 1;
}

/* The last resort for a changed object: an appearance stream (or /AP
 * dictionary) that only one widget uses may be redrawn when its field
 * is filled or signed; anything else is a change to what was signed. */
static void
judge_appearance(struct diff *df, uint32_t num, const struct pdf_obj *old)
{
	uint32_t owner = sole_appearance_owner(df, num);
	struct pdf_obj *w = NULL;
	int sig;

	if (owner == 0 ||
	    pdf_doc_object(df->pd, df->rev, owner, &w, df->d) != TTE_OK ||
	    w == NULL) {
		change(df, DENY, "object %u (%s) was changed", num,
		       describe(df, old));
		return;
	}
	{
		struct pdf_obj *wn = NULL;
		struct field_arg fa = {NULL, 0, 0, 0};

		if (pdf_doc_object(df->pd, df->last, owner, &wn, df->d) != TTE_OK ||
		    wn == NULL) {
			change(df, DENY, "object %u (%s) was changed", num,
			       describe(df, old));
			return;
		}
		field_value_facts(df, owner, w, wn, &fa);
		sig = fa.sig_field;
		if (!fa.value_changed || (sig && fa.had_value) ||
		    (df->p == 1 && !(sig && holds_doc_timestamp(df, wn)))) {
			change(df, DENY, "object %u, the appearance of widget "
			       "%u, was redrawn although %s", num, owner,
			       !fa.value_changed ?
				       "its field's value stayed as signed" :
			       sig && fa.had_value ?
				       "its signature field was already signed" :
				       "the certification allows no changes "
				       "(P=1)");
			return;
		}
	}
	change(df, ALLOW_NOTED, "the appearance of widget %u (object %u) was "
	       "redrawn in place", owner, num);
}

/* Judges one object that a later revision redefined or freed. */
static void
judge_object(struct diff *df, uint32_t num)
{
	struct pdf_obj *old = NULL, *new = NULL;
	const struct pdf_obj *od;

	/* Unreadable is never "unchanged": fail closed. */
	if (pdf_doc_object(df->pd, df->rev, num, &old, df->d) != TTE_OK ||
	    pdf_doc_object(df->pd, df->last, num, &new, df->d) != TTE_OK) {
		change(df, DENY, "object %u cannot be read to compare it (%s)",
		       num, df->d->msg);
		return;
	}
	if (old == NULL)
		return; /* new: judged where it is referenced */
	if (new == NULL) {
		change(df, DENY, "object %u (%s) was deleted", num,
		       describe(df, old));
		return;
	}
	if (equal(df, old, new))
		return; /* an identical override */
	od = old->kind == PDF_STREAM ? old->u.st.dict : old;
	if (pdf_name_is(pdf_dict_get(od, "Type"), "XRef") ||
	    pdf_name_is(pdf_dict_get(od, "Type"), "ObjStm"))
		return; /* file structure: its members are judged one by one */
	if (in_sorted(df->dss, df->n_dss, num))
		return;
	/* Metadata objects are excused only when nothing else uses them:
	 * an object shared with a page is page content (pyHanko's "not all
	 * paths" case). */
	if ((num == df->info || num == df->metadata || num == df->extensions) &&
	    !sole_reference(df, num)) {
		change(df, DENY, "object %u (%s), also used elsewhere in the "
		       "document, was changed", num, describe(df, old));
		return;
	}
	if (num == df->info) {
		change(df, ALLOW_NOTED, "the document information dictionary "
		       "changed (not shown on pages)");
		return;
	}
	if (num == df->metadata) {
		change(df, ALLOW_NOTED, "the XMP metadata changed (not shown "
		       "on pages)");
		return;
	}
	if (old->kind != new->kind) {
		change(df, DENY, "object %u (%s) was replaced by another kind "
		       "of object", num, describe(df, old));
		return;
	}
	if (num == df->root && old->kind == PDF_DICT) {
		each_changed_key(df, old, new, catalog_key, NULL);
		return;
	}
	if (num == df->acroform && old->kind == PDF_DICT) {
		each_changed_key(df, old, new, acroform_key, NULL);
		return;
	}
	if (num == df->fields) {
		judge_growing_array(df, old, new, "the form's /Fields");
		return;
	}
	if (old->kind == PDF_DICT && pdf_name_is(pdf_dict_get(od, "Type"), "Pages")) {
		each_changed_key(df, old, new, pages_key,
				 (void *)arena_printf(df->a, "page tree node %u",
						      num));
		return;
	}
	if (pdf_name_is(pdf_dict_get(od, "Type"), "StructTreeRoot") ||
	    pdf_name_is(pdf_dict_get(od, "Type"), "StructElem")) {
		change(df, ALLOW_NOTED, "object %u of the logical structure "
		       "(tagging) changed: not rendered", num);
		return;
	}
	if ((num == df->dr || num == df->dr_font) &&
	    (!df->need_appearances || dict_only_grows(df, old, new))) {
		change(df, ALLOW_NOTED, "the form's default resources (object "
		       "%u) gained entries", num);
		return;
	}
	if (old->kind == PDF_DICT && pdf_name_is(pdf_dict_get(od, "Type"), "Page")) {
		each_changed_key(df, old, new, page_key,
				 (void *)arena_printf(df->a, "page object %u", num));
		return;
	}
	if (old->kind == PDF_DICT &&
	    (pdf_dict_get(od, "FT") != NULL || pdf_dict_get(od, "T") != NULL ||
	     pdf_name_is(pdf_dict_get(od, "Subtype"), "Widget"))) {
		struct field_arg fa = {field_label(df, old, num), 0, 0, 0};

		field_value_facts(df, num, old, new, &fa);
		each_changed_key(df, old, new, field_key, &fa);
		return;
	}
	if (old->kind == PDF_ARRAY) {
		/* An indirect /Annots array is the usual case. */
		judge_growing_array(df, old, new,
				    arena_printf(df->a, "array %u", num));
		return;
	}
	if (num == df->extensions) {
		change(df, ALLOW_NOTED, "the catalog's /Extensions changed");
		return;
	}
	judge_appearance(df, num, old);
}

/* see pdf_diff.h */
tte_err
pdf_diff_analyse(struct pdf_doc *pd, size_t rev, int p, struct tte_sig *sig,
		 struct arena *a, struct diag *d)
{
	struct diff df = {0};
	struct pdf_obj *root_old, *root_new;
	uint32_t *nums, new_root;
	size_t total;
	tte_err rc = TTE_OK;

	df.pd = pd;
	df.rev = rev;
	df.last = pd->n_secs - 1;
	df.p = p;
	df.sig = sig;
	df.a = a;
	df.d = d;
	if (pd->trailing_off != 0)
		change(&df, DENY, "bytes after the last %%%%EOF (from offset "
		       "%zu) are not an incremental update: objects appended "
		       "without a cross-reference section", pd->trailing_off);
	if (rev >= df.last)
		goto done;
	df.root = ref_num(pdf_dict_get(pd->secs[rev].trailer, "Root"));
	new_root = ref_num(pdf_dict_get(pd->secs[df.last].trailer, "Root"));
	if (df.root == 0 || new_root == 0) {
		change(&df, DENY, "the trailer has no document catalog");
		goto done;
	}
	/* The information dictionary is excused only when both trailers
	 * name the same one: a later trailer cannot relabel an object. */
	df.info = ref_num(pdf_dict_get(pd->secs[rev].trailer, "Info"));
	if (df.info != ref_num(pdf_dict_get(pd->secs[df.last].trailer, "Info")))
		df.info = 0;
	root_old = object(&df, rev, df.root);
	root_new = object(&df, df.last, new_root);
	ENSURE(root_old != NULL && root_new != NULL &&
		       root_old->kind == PDF_DICT && root_new->kind == PDF_DICT,
	       TTE_E_MALFORMED, d, "unreadable document catalog %u", df.root);
	if (new_root != df.root) {
		/* A new catalog object (e-Szigno): judged as the old one
		 * changed, key by key. */
		change(&df, ALLOW_NOTED, "the trailer points to a new catalog "
		       "object %u (was %u)", new_root, df.root);
		each_changed_key(&df, root_old, root_new, catalog_key, NULL);
	}
	df.metadata = ref_num(pdf_dict_get(root_old, "Metadata"));
	if (df.metadata != ref_num(pdf_dict_get(root_new, "Metadata")))
		df.metadata = 0;
	df.extensions = ref_num(pdf_dict_get(root_new, "Extensions"));
	{
		struct pdf_obj *acro = get(&df, df.last, root_new, "AcroForm");

		const struct pdf_obj *na = pdf_dict_get(acro, "NeedAppearances");

		df.need_appearances = na != NULL && na->kind == PDF_BOOL &&
				      na->u.b;
		df.dr = ref_num(pdf_dict_get(acro, "DR"));
		df.dr_font = ref_num(pdf_dict_get(get(&df, df.last, acro, "DR"),
						  "Font"));
	}
	sig_fields(&df, root_new);
	df.acroform = ref_num(pdf_dict_get(root_new, "AcroForm"));
	df.fields = ref_num(pdf_dict_get(get(&df, df.last, root_new, "AcroForm"),
					 "Fields"));
	collect_dss(&df, root_new);
	total = 0;
	for (size_t s = rev + 1; s <= df.last; s++)
		total += pd->secs[s].n;
	nums = arena_alloc(a, sizeof(*nums) * (total + 1));
	ENSURE(nums != NULL, TTE_E_NOMEM, d, "modification analysis");
	total = 0;
	for (size_t s = rev + 1; s <= df.last; s++) {
		memcpy(nums + total, pd->secs[s].nums,
		       sizeof(*nums) * pd->secs[s].n);
		total += pd->secs[s].n;
	}
	qsort(nums, total, sizeof(*nums), cmp_u32);
	for (size_t i = 0; i < total; i++) {
		/* Each object once, whether redefined, overridden or freed. */
		if (i > 0 && nums[i] == nums[i - 1])
			continue;
		judge_object(&df, nums[i]);
	}
	if (df.n_listed > PDF_MAX_CHANGES)
		tte_notes_add(&sig->changes, a, "... and %zu more changes",
			      df.n_listed - PDF_MAX_CHANGES);
done:
	sig->mods = df.denied ? TTE_MODS_DISALLOWED :
		    rev < df.last || df.noted ? TTE_MODS_ALLOWED :
						 TTE_MODS_NONE;
out:
	return rc;
}
