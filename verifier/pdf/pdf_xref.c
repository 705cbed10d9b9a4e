/*
 * pdf_xref.c - cross-reference sections (ISO 32000-1 §7.5.4-§7.5.8) and
 * recovery when they cannot be read.
 *
 * A file ends with
 *
 *   startxref EOL <offset of the newest section> EOL %%EOF [EOL]
 *
 * and each section is one of
 *
 *   table (§7.5.4)     xref EOL
 *                      (<first> <count> EOL
 *                       (<10-digit offset> <5-digit gen> n|f EOL){count})*
 *                      trailer << ... /Prev <offset of the older one> >>
 *   stream (§7.5.8)    N G obj << /Type /XRef /W [w1 w2 w3] /Index [...]
 *                      /Size n /Prev ... >> stream <rows> endstream endobj
 *                      row = type(w1, default 1) field2(w2) field3(w3),
 *                      big-endian; type 0 free, 1 offset+gen, 2 object
 *                      stream number + index
 *   hybrid (§7.5.8.4)  a table whose trailer has /XRefStm <offset of a
 *                      cross-reference stream>: the stream's entries count
 *                      where the table has none or a free one (that is how
 *                      such files hide compressed objects from PDF 1.4
 *                      readers)
 *
 * Sections are chained newest to oldest by /Prev (a visited set stops
 * loops). Each section's revision ends at the "%%EOF" after the first
 * "startxref" that follows its xref data and names it: in a linearized
 * file the first-page section's own "startxref 0" names nothing, and the
 * revision a reader saw at the end of the file is the first-page section
 * plus the main one; a boundary whose revision would need a section
 * lying after it is not a revision a reader could have seen, and the
 * section's eof_end stays 0.
 *
 * Quirks tolerated, each noted: a first subsection "1 n" whose first
 * entry is object 0's "0000000000 65535 f" (it starts at 0), in-use
 * entries at offset 0 (free), a startxref off by a few bytes from
 * "xref". White space inside tables is read by the lexer, so 19- and
 * 21-byte entries and any end of line are fine.
 *
 * Recovery scans the whole file: only then, and the document is marked.
 *
 * Unsupported, on purpose: guessing sections back from %%EOF markers in
 * a damaged file (recovery gives one section: revisions cannot be told
 * apart, and callers report that).
 */
#include "pdf_xref.h"

#include <stdlib.h>
#include <string.h>

/* "startxref" is looked for in the last MiB: Acrobat looks in 1 KiB;
 * more tolerates appended junk. */
#define STARTXREF_WINDOW (1UL << 20)
#define XREF_FUZZ 64 /* how far "xref" may be from where startxref says */
#define XREF_MAX_W 8 /* bytes of one /W field: offsets fit 64 bits */
/* Decoded bytes allowed beyond the rows an xref stream declares. */
#define XREF_STREAM_SLACK 4096
/* How far before "/XRef" its "N G obj" may be when sections are
 * scanned for. */
#define XREF_HEADER_WINDOW 1024
/* "trailer" keywords tried, from the end, while recovering. */
#define RECOVER_TRAILER_TRIES 16
/* Section starts kept from a scan. */
#define XREF_MAX_CANDIDATES (4 * PDF_MAX_SECTIONS)
/* Broken /Prev links followed elsewhere: a real file has one or two. */
#define XREF_MAX_REPAIRS 8
#define ENTBUF_FIRST 64 /* first capacity of an entry buffer */

/* Entries of one section while they are read. */
struct entbuf {
	uint32_t *nums;
	struct pdf_xref_ent *ents;
	size_t *rank; /* later rank wins for a duplicated number */
	size_t n, cap;
};

struct xr {
	struct pdf_doc *doc;
	struct arena *a; /* where entries go (the document's) */
	size_t total;    /* entries over all sections */
};

struct sortkey {
	uint32_t num;
	size_t rank;
	size_t i;
};




/* The byte at off, or -1 past the end. */
static int
byte_at(const struct pdf_doc *doc, size_t off)
{
	struct rd r;
	uint8_t c;

	rd_init(&r, doc->data, doc->len);
	if (rd_seek(&r, off, NULL) != TTE_OK || !rd_peek(&r, 0, &c))
		return -1;
	return c;
}

/* Past an optional CR LF, CR or LF at off. */
static size_t
skip_eol(const struct pdf_doc *doc, size_t off)
{
	if (byte_at(doc, off) == '\r')
		off++;
	if (byte_at(doc, off) == '\n')
		off++;
	return off;
}

static tte_err
entbuf_add(struct xr *x, struct entbuf *eb, uint32_t num,
           const struct pdf_xref_ent *e, size_t rank, struct diag *d)
{
	size_t cap;
	uint32_t *nn;
	struct pdf_xref_ent *ne;
	size_t *nr;
	tte_err rc = TTE_OK;

	ENSURE(num < PDF_MAX_OBJECTS, TTE_E_TOO_BIG, d,
	       "object number %u over the limit of %d", num, PDF_MAX_OBJECTS);
	ENSURE(x->total < PDF_MAX_XREF_ENTRIES, TTE_E_TOO_BIG, d,
	       "more than %d cross-reference entries", PDF_MAX_XREF_ENTRIES);
	if (eb->n == eb->cap) {
		/* Doubling: what is left behind is at most what is kept,
		 * and every entry was read from the input. */
		cap = eb->cap == 0 ? ENTBUF_FIRST : 2 * eb->cap;
		nn = arena_alloc(x->a, cap * sizeof(*nn));
		ne = arena_alloc(x->a, cap * sizeof(*ne));
		nr = arena_alloc(x->a, cap * sizeof(*nr));
		ENSURE(nn != NULL && ne != NULL && nr != NULL, TTE_E_NOMEM, d,
		       "cross-reference entries");
		if (eb->n > 0) {
			memcpy(nn, eb->nums, eb->n * sizeof(*nn));
			memcpy(ne, eb->ents, eb->n * sizeof(*ne));
			memcpy(nr, eb->rank, eb->n * sizeof(*nr));
		}
		eb->nums = nn;
		eb->ents = ne;
		eb->rank = nr;
		eb->cap = cap;
	}
	eb->nums[eb->n] = num;
	eb->ents[eb->n] = *e;
	eb->rank[eb->n] = rank;
	eb->n++;
	x->total++;
out:
	return rc;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return 0;
}

/* Moves eb's entries into sec, sorted by number, the highest rank (then
 * the latest added) winning for a number given twice. */
static tte_err
finalize(struct xr *x, const struct entbuf *eb, struct pdf_section *sec,
         struct diag *d)
{
	struct sortkey *k;
	size_t i, m = 0;
	int sorted = 1;
	tte_err rc = TTE_OK;

	for (i = 1; i < eb->n && sorted; i++)
		sorted = eb->nums[i] > eb->nums[i - 1];
	if (sorted) {
		sec->nums = eb->nums;
		sec->ents = eb->ents;
		sec->n = eb->n;
		goto out;
	}
	k = arena_alloc(x->a, eb->n * sizeof(*k));
	sec->nums = arena_alloc(x->a, eb->n * sizeof(*sec->nums));
	sec->ents = arena_alloc(x->a, eb->n * sizeof(*sec->ents));
	ENSURE(k != NULL && sec->nums != NULL && sec->ents != NULL, TTE_E_NOMEM,
	       d, "cross-reference index");
	for (i = 0; i < eb->n; i++) {
		k[i].num = eb->nums[i];
		k[i].rank = eb->rank[i];
		k[i].i = i;
	}
	qsort(k, eb->n, sizeof(*k), cmp_key);
	for (i = 0; i < eb->n; i++) {
		if (i + 1 < eb->n && k[i + 1].num == k[i].num)
			continue; /* a later one wins */
		sec->nums[m] = k[i].num;
		sec->ents[m] = eb->ents[k[i].i];
		m++;
	}
	sec->n = m;
out:
	return rc;
}

/* The entry of num in sec, or NULL. */
static const struct pdf_xref_ent *
sec_find(const struct pdf_section *sec, uint32_t num)
{
	size_t lo = 0, hi = sec->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sec->nums[mid] == num)
			return &sec->ents[mid];
		if (sec->nums[mid] < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Reads a classic table's subsections; lx is just past "xref" and ends
 * just past "trailer". */
static tte_err
read_table(struct xr *x, struct pdf_lex *lx, size_t xoff, struct entbuf *eb,
           struct diag *d)
{
	struct pdf_doc *doc = x->doc;
	struct pdf_tok t, c, to, tg, tk;
	struct pdf_xref_ent e;
	int64_t start;
	int first = 1, zero_noted = 0;
	tte_err rc = TTE_OK;

	for (;;) {
		TRY(pdf_lex_next(lx, &t, d));
		if (pdf_tok_is(&t, "trailer"))
			break;
		ENSURE(t.kind != PDF_TOK_EOF, TTE_E_TRUNCATED, d,
		       "xref table at offset %zu ends without 'trailer'", xoff);
		TRY(pdf_lex_next(lx, &c, d));
		ENSURE(t.kind == PDF_TOK_INT && t.i >= 0 &&
		           t.i < PDF_MAX_OBJECTS && c.kind == PDF_TOK_INT &&
		           c.i >= 0,
		       c.kind == PDF_TOK_EOF ? TTE_E_TRUNCATED
		                             : TTE_E_MALFORMED,
		       d, "bad xref subsection header at offset %zu", t.off);
		ENSURE(c.i <= PDF_MAX_OBJECTS - t.i, TTE_E_TOO_BIG, d,
		       "xref subsection at offset %zu goes past %d objects",
		       t.off, PDF_MAX_OBJECTS);
		start = t.i;
		for (int64_t k = 0; k < c.i; k++) {
			TRY(pdf_lex_next(lx, &to, d));
			TRY(pdf_lex_next(lx, &tg, d));
			TRY(pdf_lex_next(lx, &tk, d));
			ENSURE(to.kind == PDF_TOK_INT && to.i >= 0 &&
			           tg.kind == PDF_TOK_INT && tg.i >= 0 &&
			           tg.i <= UINT16_MAX &&
			           (pdf_tok_is(&tk, "n") || pdf_tok_is(&tk, "f")),
			       tk.kind == PDF_TOK_EOF ? TTE_E_TRUNCATED
			                              : TTE_E_MALFORMED,
			       d, "bad xref entry at offset %zu", to.off);
			memset(&e, 0, sizeof(e));
			e.type = pdf_tok_is(&tk, "n") ? 1 : 0;
			e.gen = (uint16_t)tg.i;
			e.off = (uint64_t)to.i;
			if (first && k == 0 && start == 1 && e.type == 0 &&
			    e.gen == UINT16_MAX && e.off == 0) {
				/* The classic off-by-one: object 0's entry
				 * under a subsection that says it starts at
				 * 1. */
				start = 0;
				pdf_doc_note(doc,
				             "xref subsection at offset %zu "
				             "starts at 1 but begins with "
				             "object 0's entry: read as 0",
				             t.off);
			}
			if (e.type == 1 && e.off == 0) {
				e.type = 0;
				if (!zero_noted)
					pdf_doc_note(doc,
					             "xref table at offset "
					             "%zu: in-use entries at "
					             "offset 0 read as free",
					             xoff);
				zero_noted = 1;
			}
			TRY(entbuf_add(x, eb, (uint32_t)(start + k), &e, eb->n,
			               d));
		}
		first = 0;
	}
out:
	return rc;
}

/* An integer value that must be direct, or -1 when absent. */
static tte_err
direct_int(const struct pdf_obj *dict, const char *key, int64_t *v, size_t off,
           struct diag *d)
{
	const struct pdf_obj *o = pdf_dict_get(dict, key);
	tte_err rc = TTE_OK;

	*v = -1;
	if (o == NULL)
		goto out;
	ENSURE(o->kind == PDF_INT && o->u.i >= 0, TTE_E_MALFORMED, d,
	       "/%s of the cross-reference at offset %zu is not a "
	       "non-negative integer",
	       key, off);
	*v = o->u.i;
out:
	return rc;
}

static tte_err
field(struct rd *r, int64_t w, uint64_t *v, struct diag *d)
{
	uint8_t b;
	tte_err rc = TTE_OK;

	*v = 0;
	for (int64_t i = 0; i < w; i++) {
		TRY(rd_u8(r, &b, d));
		*v = *v << 8 | b;
	}
out:
	return rc;
}

/* Reads the cross-reference stream at off (§7.5.8). */
static tte_err
read_xref_stream(struct xr *x, size_t off, struct entbuf *eb,
                 struct pdf_obj **trailer, size_t *end, struct diag *d)
{
	static const char *const direct_keys[] = {
	    "Size", "W", "Index", "Prev", "Filter", "DecodeParms"};
	struct pdf_doc *doc = x->doc;
	struct pdf_indirect io;
	const struct pdf_obj *dict, *w, *idx, *o;
	int64_t size, wv[3], rowsize, rows = 0, start, count;
	uint64_t f[3];
	const uint8_t *data;
	size_t dlen, cap;
	struct pdf_xref_ent e;
	struct rd r;
	tte_err rc = TTE_OK;

	TRY(pdf_doc_parse_at(doc, off, PDF_NO_REV, &io, d));
	ENSURE(io.obj->kind == PDF_STREAM &&
	           pdf_name_is(pdf_dict_get(io.obj, "Type"), "XRef"),
	       TTE_E_MALFORMED, d,
	       "object %u at offset %zu is not a cross-reference stream",
	       io.num, off);
	dict = io.obj->u.st.dict;
	/* §7.5.8.2: nothing in this dictionary can be looked up yet. */
	for (size_t i = 0; i < sizeof(direct_keys) / sizeof(*direct_keys);
	     i++) {
		o = pdf_dict_get(dict, direct_keys[i]);
		ENSURE(o == NULL || o->kind != PDF_REF, TTE_E_MALFORMED, d,
		       "indirect /%s in the cross-reference stream at offset "
		       "%zu",
		       direct_keys[i], off);
	}
	TRY(direct_int(dict, "Size", &size, off, d));
	ENSURE(size >= 0, TTE_E_MALFORMED, d,
	       "cross-reference stream at offset %zu has no /Size", off);
	ENSURE(size <= PDF_MAX_OBJECTS, TTE_E_TOO_BIG, d,
	       "/Size %lld at offset %zu over %d objects", (long long)size, off,
	       PDF_MAX_OBJECTS);
	w = pdf_dict_get(dict, "W");
	ENSURE(w != NULL && w->kind == PDF_ARRAY && w->u.a.n == 3,
	       TTE_E_MALFORMED, d,
	       "cross-reference stream at offset %zu: /W is not 3 integers",
	       off);
	rowsize = 0;
	for (int i = 0; i < 3; i++) {
		o = w->u.a.v[i];
		ENSURE(o->kind == PDF_INT && o->u.i >= 0 &&
		           o->u.i <= XREF_MAX_W,
		       TTE_E_MALFORMED, d,
		       "cross-reference stream at offset %zu: /W field %d is "
		       "not 0 to %d",
		       off, i, XREF_MAX_W);
		wv[i] = o->u.i;
		rowsize += wv[i];
	}
	ENSURE(rowsize > 0, TTE_E_MALFORMED, d,
	       "cross-reference stream at offset %zu: /W [0 0 0]", off);
	idx = pdf_dict_get(dict, "Index");
	ENSURE(idx == NULL || (idx->kind == PDF_ARRAY && idx->u.a.n % 2 == 0),
	       TTE_E_MALFORMED, d,
	       "cross-reference stream at offset %zu: /Index is not pairs",
	       off);
	for (size_t i = 0; idx != NULL && i < idx->u.a.n; i++) {
		o = idx->u.a.v[i];
		ENSURE(o->kind == PDF_INT && o->u.i >= 0 &&
		           o->u.i <= PDF_MAX_OBJECTS,
		       TTE_E_MALFORMED, d,
		       "cross-reference stream at offset %zu: bad /Index", off);
		if (i % 2 == 1)
			rows += o->u.i;
	}
	if (idx == NULL)
		rows = size;
	ENSURE(rows <= PDF_MAX_XREF_ENTRIES, TTE_E_TOO_BIG, d,
	       "cross-reference stream at offset %zu: %lld entries", off,
	       (long long)rows);
	/* The rows bound what decoding may produce (PNG predictors add a
	 * byte per row): a bomb here stops early. */
	cap = (size_t)rows * (size_t)(rowsize + 1) + XREF_STREAM_SLACK;
	TRY(pdf_doc_stream_capped(doc, PDF_NO_REV, io.obj, cap, &data, &dlen,
	                          d));
	rd_init(&r, data, dlen);
	for (size_t p = 0; p < (idx != NULL ? idx->u.a.n : 2); p += 2) {
		start = idx != NULL ? idx->u.a.v[p]->u.i : 0;
		count = idx != NULL ? idx->u.a.v[p + 1]->u.i : size;
		ENSURE(start + count <= PDF_MAX_OBJECTS, TTE_E_TOO_BIG, d,
		       "cross-reference stream at offset %zu goes past %d "
		       "objects",
		       off, PDF_MAX_OBJECTS);
		for (int64_t k = 0; k < count; k++) {
			ENSURE(rd_left(&r) >= (size_t)rowsize, TTE_E_TRUNCATED,
			       d,
			       "cross-reference stream at offset %zu has "
			       "%zu bytes, too few for its entries",
			       off, dlen);
			for (int i = 0; i < 3; i++)
				TRY(field(&r, wv[i], &f[i], d));
			memset(&e, 0, sizeof(e));
			switch (wv[0] == 0 ? 1 : f[0]) {
			case 1:
				ENSURE(f[2] <= UINT16_MAX, TTE_E_MALFORMED, d,
				       "cross-reference stream at offset %zu: "
				       "generation %llu",
				       off, (unsigned long long)f[2]);
				e.type = 1;
				e.off = f[1];
				e.gen = (uint16_t)f[2];
				break;
			case 2:
				ENSURE(f[1] < PDF_MAX_OBJECTS &&
				           f[2] <= UINT32_MAX,
				       TTE_E_MALFORMED, d,
				       "cross-reference stream at offset %zu: "
				       "object stream %llu index %llu",
				       off, (unsigned long long)f[1],
				       (unsigned long long)f[2]);
				e.type = 2;
				e.off = f[1];
				e.idx = (uint32_t)f[2];
				break;
			default:
				/* 0 is free; other types mean the null
				 * object (§7.5.8.3): free as well. */
				e.type = 0;
				e.gen = f[2] > UINT16_MAX ? UINT16_MAX
				                          : (uint16_t)f[2];
				break;
			}
			TRY(entbuf_add(x, eb, (uint32_t)(start + k), &e, eb->n,
			               d));
		}
	}
	*trailer = io.obj->u.st.dict;
	*end = io.end;
out:
	return rc;
}

enum sec_kind { SEC_NONE, SEC_TABLE, SEC_STREAM };

static size_t header_before(const struct pdf_doc *doc, size_t p);

/* What starts at off: "xref", "N G obj", or neither. */
static enum sec_kind
classify(struct pdf_doc *doc, size_t off)
{
	struct pdf_lex lx;
	struct pdf_tok t[3];
	struct arena none;
	enum sec_kind k = SEC_NONE;

	arena_init(&none);
	pdf_lex_init(&lx, doc->data, doc->len, &none);
	/* Strings and names are never needed: a lexing error or an
	 * allocation just means "neither". */
	if (rd_seek(&lx.r, off, NULL) != TTE_OK ||
	    pdf_lex_next(&lx, &t[0], NULL) != TTE_OK)
		goto out;
	if (pdf_tok_is(&t[0], "xref")) {
		k = SEC_TABLE;
		goto out;
	}
	if (t[0].kind == PDF_TOK_INT &&
	    pdf_lex_next(&lx, &t[1], NULL) == TTE_OK &&
	    t[1].kind == PDF_TOK_INT &&
	    pdf_lex_next(&lx, &t[2], NULL) == TTE_OK && pdf_tok_is(&t[2], "obj"))
		k = SEC_STREAM;
out:
	arena_release(&none);
	return k;
}

/*
 * Where a section really starts when startxref or /Prev is a little off
 * (within XREF_FUZZ bytes): the nearest "xref" keyword or "N G obj"
 * header. Returns its offset + 1, or 0.
 */
static size_t
fuzz_section(struct pdf_doc *doc, size_t off)
{
	struct rd r;
	size_t from = off > XREF_FUZZ ? off - XREF_FUZZ : 0, at, h, cand;
	size_t dist, best = 0, best_dist = SIZE_MAX;
	static const char *const words[] = {"xref", "obj"};

	for (int w = 0; w < 2; w++) {
		rd_init(&r, doc->data, doc->len);
		if (rd_seek(&r, from, NULL) != TTE_OK)
			return 0;
		while (rd_find(&r, off + XREF_FUZZ + 4, words[w],
		               strlen(words[w]), &at)) {
			cand = 0;
			if (w == 0 &&
			    (at == 0 ||
			     !pdf_lex_is_regular((uint8_t)byte_at(doc, at - 1))) &&
			    classify(doc, at) == SEC_TABLE)
				cand = at + 1;
			h = w == 1 ? header_before(doc, at) : 0;
			if (h != 0 && classify(doc, h - 1) == SEC_STREAM)
				cand = h;
			if (cand != 0) {
				dist = cand - 1 > off ? cand - 1 - off
				                      : off - (cand - 1);
				if (dist < best_dist) {
					best = cand;
					best_dist = dist;
				}
			}
			if (rd_seek(&r, at + 1, NULL) != TTE_OK)
				break;
		}
	}
	return best;
}

/*
 * Reads the section at off into sec; *end is past its xref data, *prev
 * the next older section's offset or -1. sec->xref_off is off, where
 * startxref or /Prev says the section is, even when it is found a few
 * bytes away (noted).
 */
static tte_err
read_section(struct xr *x, size_t off, struct pdf_section *sec, size_t *end,
             int64_t *prev, struct diag *d)
{
	struct pdf_doc *doc = x->doc;
	struct pdf_lex lx;
	struct pdf_tok t;
	struct entbuf eb = {0}, sb = {0};
	struct pdf_section tab = {0}, st = {0};
	struct pdf_obj *trailer = NULL, *stdict = NULL;
	const struct pdf_xref_ent *te;
	const struct pdf_obj *po;
	enum sec_kind kind;
	int64_t xs;
	size_t at = off, fz, send;
	tte_err rc = TTE_OK;

	memset(sec, 0, sizeof(*sec));
	kind = classify(doc, off);
	if (kind == SEC_NONE) {
		fz = fuzz_section(doc, off);
		ENSURE(fz != 0, TTE_E_MALFORMED, d,
		       "no cross-reference section at offset %zu", off);
		at = fz - 1;
		kind = classify(doc, at);
		pdf_doc_note(doc,
		             "startxref or /Prev says %zu, the "
		             "cross-reference section is at %zu",
		             off, at);
	}
	if (kind == SEC_STREAM) {
		TRY(read_xref_stream(x, at, &eb, &trailer, end, d));
		sec->is_stream = 1;
	} else {
		pdf_lex_init(&lx, doc->data, doc->len, doc->a);
		TRY(rd_seek(&lx.r, at, d));
		TRY(pdf_lex_next(&lx, &t, d)); /* "xref" */
		TRY(read_table(x, &lx, at, &eb, d));
		TRY(pdf_parse_obj(&lx, &trailer, d));
		ENSURE(trailer->kind == PDF_DICT, TTE_E_MALFORMED, d,
		       "trailer at offset %zu is not a dictionary",
		       trailer->off);
		*end = lx.r.off;
		TRY(direct_int(trailer, "XRefStm", &xs, at, d));
		if (xs >= 0) {
			/* Hybrid: the stream fills what the table leaves
			 * out or marks free. */
			TRY(finalize(x, &eb, &tab, d));
			TRY(read_xref_stream(x, (size_t)xs, &sb, &stdict, &send,
			                     d));
			TRY(finalize(x, &sb, &st, d));
			for (size_t i = 0; i < st.n; i++) {
				te = sec_find(&tab, st.nums[i]);
				if (te == NULL || te->type == 0)
					TRY(entbuf_add(x, &eb, st.nums[i],
					               &st.ents[i], eb.n, d));
			}
			sec->has_xrefstm = 1;
		}
	}
	TRY(finalize(x, &eb, sec, d));
	/* A /Prev that is no offset is a broken link like one that points
	 * nowhere: past the end, where the caller looks elsewhere. */
	po = pdf_dict_get(trailer, "Prev");
	*prev = po == NULL                            ? -1
	        : po->kind == PDF_INT && po->u.i >= 0 ? po->u.i
	                                              : INT64_MAX;
	sec->xref_off = off;
	sec->trailer = trailer;
out:
	return rc;
}

/* Offset of the last "startxref" and the offset it gives. */
static tte_err
find_startxref(const struct pdf_doc *doc, size_t *value, struct diag *d)
{
	struct rd r;
	struct pdf_lex lx;
	struct pdf_tok t;
	struct arena none;
	size_t at, from;
	tte_err rc = TTE_OK;

	arena_init(&none); /* numbers need no memory */
	rd_init(&r, doc->data, doc->len);
	TRY(rd_seek(&r, doc->len, d));
	from = doc->len > STARTXREF_WINDOW ? doc->len - STARTXREF_WINDOW : 0;
	ENSURE(rd_rfind(&r, from, "startxref", 9, &at), TTE_E_MALFORMED, d,
	       "no startxref in the last %zu bytes", doc->len - from);
	pdf_lex_init(&lx, doc->data, doc->len, &none);
	TRY(rd_seek(&lx.r, at + 9, d));
	TRY(pdf_lex_next(&lx, &t, d));
	/* An offset past the end is refused later, with a fallback. */
	ENSURE(t.kind == PDF_TOK_INT && t.i >= 0, TTE_E_MALFORMED, d,
	       "startxref at offset %zu is not followed by an offset", at);
	*value = (size_t)t.i;
out:
	arena_release(&none);
	return rc;
}

struct by_off {
	size_t off;
	size_t i;
};

static int
cmp_off(const void *a, const void *b)
{
	const struct by_off *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* After a "startxref" at sx: the offset it gives and the end of the
 * %%EOF that follows (before limit) with its end of line; 0 if none. */
static size_t
boundary_after(struct pdf_doc *doc, size_t sx, size_t limit, size_t *value)
{
	struct pdf_lex lx;
	struct pdf_tok t;
	struct arena none;
	size_t at = 0, e = 0;

	arena_init(&none);
	pdf_lex_init(&lx, doc->data, doc->len, &none);
	if (rd_seek(&lx.r, sx + 9, NULL) == TTE_OK &&
	    pdf_lex_next(&lx, &t, NULL) == TTE_OK && t.kind == PDF_TOK_INT &&
	    t.i >= 0 && rd_find(&lx.r, limit, "%%EOF", 5, &at)) {
		*value = (size_t)t.i;
		e = skip_eol(doc, at + 5);
	}
	arena_release(&none);
	return e;
}

/* Sets every section's eof_end and body_start and doc->trailing_off
 * (see the top of this file). xend[i] is where section i's data ends. */
static tte_err
extents(struct pdf_doc *doc, const size_t *xend, struct diag *d)
{
	size_t n = doc->n_secs, limit, sx, e, value = 0, t, pos;
	struct by_off *order;
	size_t *prefmax;
	struct rd r;
	tte_err rc = TTE_OK;

	order = arena_alloc(doc->a, n * sizeof(*order));
	prefmax = arena_alloc(doc->a, n * sizeof(*prefmax));
	ENSURE(order != NULL && prefmax != NULL, TTE_E_NOMEM, d,
	       "section extents");
	for (size_t i = 0; i < n; i++) {
		order[i].off = doc->secs[i].xref_off;
		order[i].i = i;
		prefmax[i] = i == 0 || xend[i] > prefmax[i - 1]
		                 ? xend[i]
		                 : prefmax[i - 1];
	}
	qsort(order, n, sizeof(*order), cmp_off);
	rd_init(&r, doc->data, doc->len);
	for (size_t k = 0; k < n; k++) {
		/* A section's boundary lies before the next section in file
		 * order: the searches together read the file at most once. */
		limit = k + 1 < n ? order[k + 1].off : doc->len;
		if (rd_seek(&r, xend[order[k].i], NULL) != TTE_OK ||
		    !rd_find(&r, limit, "startxref", 9, &sx))
			continue;
		e = boundary_after(doc, sx, limit, &value);
		if (e == 0)
			continue;
		for (t = 0; t < n && doc->secs[t].xref_off != value; t++)
			;
		/* The revision the startxref names must lie before it. */
		if (t < n && doc->secs[t].eof_end == 0 && prefmax[t] <= e)
			doc->secs[t].eof_end = e;
	}
	for (size_t i = 1; i < n; i++)
		doc->secs[i].body_start = doc->secs[i - 1].eof_end;
	doc->trailing_off = 0;
	pos = doc->secs[n - 1].eof_end;
	if (pos != 0) {
		while (byte_at(doc, pos) >= 0 &&
		       pdf_lex_is_space((uint8_t)byte_at(doc, pos)))
			pos++;
		if (pos < doc->len)
			doc->trailing_off = pos;
	}
out:
	return rc;
}

/*
 * The offset given by the last "startxref" before `before`: where the
 * revision before a section's own ended. The search is charged to the
 * scan budget. Returns 0 when there is none.
 */
static int
prev_startxref(struct pdf_doc *doc, size_t before, size_t *value)
{
	struct pdf_doc_priv *priv = doc->cache;
	struct rd r;
	size_t at = 0, e, from;

	from = before > priv->scan_left ? before - priv->scan_left : 0;
	rd_init(&r, doc->data, doc->len);
	if (rd_seek(&r, before, NULL) != TTE_OK)
		return 0;
	if (!rd_rfind(&r, from, "startxref", 9, &at)) {
		priv->scan_left -= before - from;
		return 0;
	}
	priv->scan_left -= before - at;
	e = boundary_after(doc, at, before, value);
	return e != 0 && *value < doc->len;
}

/* Section starts found by scanning, sorted; made once, on demand. */
struct cands {
	size_t *off;
	size_t n, cap;
	int scanned;
};

static tte_err
cand_add(struct pdf_doc *doc, struct cands *c, size_t off, struct diag *d)
{
	size_t *no;
	tte_err rc = TTE_OK;

	if ((c->n > 0 && c->off[c->n - 1] == off) ||
	    c->n >= XREF_MAX_CANDIDATES)
		goto out;
	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : 2 * c->cap;
		no = arena_alloc(doc->a, c->cap * sizeof(*no));
		ENSURE(no != NULL, TTE_E_NOMEM, d, "section candidates");
		if (c->n > 0)
			memcpy(no, c->off, c->n * sizeof(*no));
		c->off = no;
	}
	c->off[c->n++] = off;
out:
	return rc;
}

static int
cmp_size(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * Every "xref" table and every "N G obj" header shortly before a
 * "/XRef" name: the places a cross-reference section can start. This
 * reads the whole file, which only a broken chain justifies.
 */
static tte_err
scan_sections(struct pdf_doc *doc, struct cands *c, struct diag *d)
{
	struct rd r, b;
	size_t at, o, h;
	int nx;
	tte_err rc = TTE_OK;

	c->scanned = 1;
	rd_init(&r, doc->data, doc->len);
	while (rd_find(&r, doc->len, "xref", 4, &at)) {
		if ((at == 0 || !pdf_lex_is_regular((uint8_t)byte_at(doc, at - 1))) &&
		    classify(doc, at) == SEC_TABLE)
			TRY(cand_add(doc, c, at, d));
		TRY(rd_seek(&r, at + 4, d));
	}
	TRY(rd_seek(&r, 0, d));
	while (rd_find(&r, doc->len, "/XRef", 5, &at)) {
		nx = byte_at(doc, at + 5);
		rd_init(&b, doc->data, doc->len);
		if ((nx < 0 || !pdf_lex_is_regular((uint8_t)nx)) &&
		    rd_seek(&b, at, NULL) == TTE_OK &&
		    rd_rfind(&b,
		             at > XREF_HEADER_WINDOW ? at - XREF_HEADER_WINDOW
		                                     : 0,
		             "obj", 3, &o)) {
			h = header_before(doc, o);
			if (h != 0 && classify(doc, h - 1) == SEC_STREAM)
				TRY(cand_add(doc, c, h - 1, d));
		}
		TRY(rd_seek(&r, at + 5, d));
	}
	if (c->n > 1)
		qsort(c->off, c->n, sizeof(*c->off), cmp_size);
out:
	return rc;
}

/* Reads the section at off unless it is past the end or already read. */
static tte_err
try_section(struct xr *x, const struct pdf_section *chain, size_t n, size_t off,
            struct pdf_section *sec, size_t *end, int64_t *prev, struct diag *d)
{
	tte_err rc = TTE_OK;

	for (size_t i = 0; i < n; i++)
		ENSURE(chain[i].xref_off != off, TTE_E_MALFORMED, d,
		       "/Prev loop: the section at offset %zu comes again",
		       off);
	ENSURE(off < x->doc->len, TTE_E_MALFORMED, d,
	       "cross-reference offset %zu is past the end of the %zu-byte "
	       "file",
	       off, x->doc->len);
	TRY(read_section(x, off, sec, end, prev, d));
out:
	return rc;
}

static int
visited(const struct pdf_section *chain, size_t n, size_t off)
{
	for (size_t k = 0; k < n; k++)
		if (chain[k].xref_off == off)
			return 1;
	return 0;
}

/* The scanned section start nearest to target that is not read yet:
 * from where target would sort, outwards (at most n are read). */
static int
nearest(const struct cands *c, const struct pdf_section *chain, size_t n,
        size_t target, size_t *out)
{
	size_t lo = 0, hi = c->n, mid, l, r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->off[mid] < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	l = lo;
	r = lo;
	while (l > 0 || r < c->n) {
		if (r < c->n &&
		    (l == 0 || c->off[r] - target <= target - c->off[l - 1])) {
			if (!visited(chain, n, c->off[r])) {
				*out = c->off[r];
				return 1;
			}
			r++;
		} else {
			if (!visited(chain, n, c->off[l - 1])) {
				*out = c->off[l - 1];
				return 1;
			}
			l--;
		}
	}
	return 0;
}

/* see pdf_xref.h */
tte_err
pdf_xref_read(struct pdf_doc *doc, struct diag *d)
{
	struct xr x = {doc, doc->a, 0};
	struct pdf_section *chain = NULL, *nc;
	struct cands cand = {0};
	size_t *xend = NULL, *ne, n = 0, cap = 0, off = 0, end = 0, alt = 0;
	size_t claimed = 0, target, notes, dropped;
	int64_t prev = -1;
	int stage = 0, repairs = 0;
	struct diag ld, first;
	tte_err rc = TTE_OK;

	diag_clear(&first);
	TRY(find_startxref(doc, &off, d));
	claimed = off;
	for (;;) {
		ENSURE(n < PDF_MAX_SECTIONS, TTE_E_TOO_BIG, d,
		       "more than %d cross-reference sections",
		       PDF_MAX_SECTIONS);
		if (n == cap) {
			cap = cap == 0 ? 8 : 2 * cap;
			nc = arena_alloc(doc->a, cap * sizeof(*nc));
			ne = arena_alloc(doc->a, cap * sizeof(*ne));
			ENSURE(nc != NULL && ne != NULL, TTE_E_NOMEM, d,
			       "cross-reference sections");
			if (n > 0) {
				memcpy(nc, chain, n * sizeof(*nc));
				memcpy(ne, xend, n * sizeof(*ne));
			}
			chain = nc;
			xend = ne;
		}
		diag_clear(&ld);
		notes = doc->n_notes;
		dropped = doc->n_notes_dropped;
		rc =
		    try_section(&x, chain, n, off, &chain[n], &end, &prev, &ld);
		if (rc != TTE_OK) {
			/* Notes of an attempt that failed are not true. */
			doc->n_notes = notes;
			doc->n_notes_dropped = dropped;
		}
		if (rc != TTE_OK && stage == 0)
			first = ld;
		if (rc == TTE_E_NOMEM || rc == TTE_E_TOO_BIG) {
			rc = diag_set(d, ld.code, ld.file, ld.line, "%s",
			              ld.msg);
			goto out;
		}
		/*
		 * A broken link (/Prev 0, past the end, a loop, nothing
		 * there). First what a reader of the previous revision used,
		 * its own startxref; then the nearest section start that a
		 * scan finds. Both are noted.
		 */
		if (rc != TTE_OK && stage == 0 && repairs < XREF_MAX_REPAIRS &&
		    n > 0 && prev_startxref(doc, chain[n - 1].xref_off, &alt) &&
		    alt != off) {
			stage = 1;
			repairs++;
			off = alt;
			continue;
		}
		if (rc != TTE_OK && stage < 2 && repairs < XREF_MAX_REPAIRS) {
			repairs++;
			target = stage == 1 ? off : claimed;
			if (!cand.scanned)
				TRY(scan_sections(doc, &cand, d));
			stage = 2;
			if (nearest(&cand, chain, n, target, &alt)) {
				off = alt;
				continue;
			}
		}
		if (rc != TTE_OK) {
			rc = diag_set(d, first.code, first.file, first.line,
			              "%s", first.msg);
			goto out;
		}
		if (stage > 0)
			pdf_doc_note(doc,
			             "the cross-reference section at "
			             "offset %zu is unusable (%s): the one at "
			             "%zu is read instead (%s)",
			             claimed, first.msg, off,
			             stage == 1 ? "the startxref before the "
			                          "newer section"
			                        : "the nearest one found by "
			                          "scanning");
		stage = 0;
		xend[n] = end;
		n++;
		if (prev < 0)
			break;
		off = (size_t)prev;
		claimed = off;
	}
	/* Oldest first. */
	for (size_t i = 0; i < n / 2; i++) {
		struct pdf_section s = chain[i];
		size_t e = xend[i];

		chain[i] = chain[n - 1 - i];
		chain[n - 1 - i] = s;
		xend[i] = xend[n - 1 - i];
		xend[n - 1 - i] = e;
	}
	doc->secs = chain;
	doc->n_secs = n;
	TRY(extents(doc, xend, d));
	TRY(pdf_doc_reset_cache(doc, d));
out:
	return rc;
}

/* The "N G obj" header whose "obj" is at p, by looking back: its
 * offset + 1, or 0 when there is none. */
static size_t
header_before(const struct pdf_doc *doc, size_t p)
{
	size_t i = p, j, k, m;
	int c;

	c = byte_at(doc, p + 3);
	if (c >= 0 && pdf_lex_is_regular((uint8_t)c))
		return 0; /* "objx" */
	while (i > 0 && pdf_lex_is_space((uint8_t)byte_at(doc, i - 1)))
		i--;
	for (j = i; j > 0 && j + 5 > i && byte_at(doc, j - 1) >= '0' &&
	            byte_at(doc, j - 1) <= '9';
	     j--)
		;
	if (j == i)
		return 0;
	for (k = j; k > 0 && pdf_lex_is_space((uint8_t)byte_at(doc, k - 1)); k--)
		;
	if (k == j)
		return 0;
	for (m = k; m > 0 && m + 10 > k && byte_at(doc, m - 1) >= '0' &&
	            byte_at(doc, m - 1) <= '9';
	     m--)
		;
	if (m == k || (m > 0 && pdf_lex_is_regular((uint8_t)byte_at(doc, m - 1))))
		return 0;
	return m + 1;
}

/* What recovery found besides objects. */
struct found {
	size_t trailer_pos; /* offset + 1 of the best trailer, 0 none */
	int trailer_is_stream;
	uint32_t catalog_num; /* last /Type /Catalog, 0 none */
	uint16_t catalog_gen;
	size_t *ostm_off; /* object streams: offsets */
	uint32_t *ostm_num;
	size_t n_ostm, cap_ostm;
};

static tte_err
add_objstm(struct found *f, struct arena *a, uint32_t num, size_t off,
           struct diag *d)
{
	size_t cap;
	size_t *no;
	uint32_t *nn;
	tte_err rc = TTE_OK;

	if (f->n_ostm == f->cap_ostm) {
		cap = f->cap_ostm == 0 ? 16 : 2 * f->cap_ostm;
		no = arena_alloc(a, cap * sizeof(*no));
		nn = arena_alloc(a, cap * sizeof(*nn));
		ENSURE(no != NULL && nn != NULL, TTE_E_NOMEM, d,
		       "object streams");
		if (f->n_ostm > 0) {
			memcpy(no, f->ostm_off, f->n_ostm * sizeof(*no));
			memcpy(nn, f->ostm_num, f->n_ostm * sizeof(*nn));
		}
		f->ostm_off = no;
		f->ostm_num = nn;
		f->cap_ostm = cap;
	}
	f->ostm_off[f->n_ostm] = off;
	f->ostm_num[f->n_ostm] = num;
	f->n_ostm++;
out:
	return rc;
}

/* Scans for "N G obj" (objects parsed in the scratch arena doc->a). */
static tte_err
scan_objects(struct xr *x, struct entbuf *eb, struct found *f,
             struct arena *keep, struct diag *d)
{
	struct pdf_doc *doc = x->doc, view;
	struct pdf_doc_priv *priv = doc->cache;
	struct pdf_indirect io;
	struct pdf_xref_ent e;
	const struct pdf_obj *dict, *type;
	struct diag ld;
	struct rd r, w;
	size_t p, h, next, at = 0, wend = 0;
	tte_err rc = TTE_OK;

	rd_init(&r, doc->data, doc->len);
	while (rd_find(&r, doc->len, "obj", 3, &p)) {
		next = p + 3;
		h = header_before(doc, p);
		if (h == 0)
			goto next;
		/* Each trial parse reads at most up to the next "endobj",
		 * and all of them together at most PDF_SCAN_BUDGET times
		 * the file: headers nested in a broken object must not
		 * make this quadratic. */
		if (wend != SIZE_MAX && wend < p + 3)
			wend = 0;
		if (wend == 0) {
			rd_init(&w, doc->data, doc->len);
			TRY(rd_seek(&w, p + 3, d));
			wend = rd_find(&w, doc->len, "endobj", 6, &at)
			           ? at + 6
			           : SIZE_MAX;
		}
		view = *doc;
		view.len = wend == SIZE_MAX ? doc->len : wend;
		ENSURE(view.len - (h - 1) <= priv->scan_left, TTE_E_TOO_BIG, d,
		       "rebuilding the cross-reference would read the file "
		       "more than %d times",
		       PDF_SCAN_BUDGET);
		priv->scan_left -= view.len - (h - 1);
		diag_clear(&ld);
		if (pdf_doc_parse_at(&view, h - 1, PDF_NO_REV, &io, &ld) !=
		        TTE_OK ||
		    io.num >= PDF_MAX_OBJECTS)
			goto next;
		memset(&e, 0, sizeof(e));
		e.type = 1;
		e.gen = io.gen;
		e.off = h - 1;
		TRY(entbuf_add(x, eb, io.num, &e, h - 1, d));
		dict = io.obj->kind == PDF_STREAM ? io.obj->u.st.dict : io.obj;
		type = pdf_dict_get(dict, "Type");
		if (io.obj->kind == PDF_STREAM && pdf_name_is(type, "ObjStm"))
			TRY(add_objstm(f, keep, io.num, h - 1, d));
		if (io.obj->kind == PDF_STREAM && pdf_name_is(type, "XRef") &&
		    pdf_dict_get(dict, "Root") != NULL) {
			f->trailer_pos = h;
			f->trailer_is_stream = 1;
		}
		if (pdf_name_is(type, "Catalog")) {
			f->catalog_num = io.num;
			f->catalog_gen = io.gen;
		}
		/* Skip the object: "obj" inside stream data is no header. */
		if (io.end > next)
			next = io.end;
	next:
		TRY(rd_seek(&r, next, d));
	}
	/* The last trailer dictionary with /Root, looked for backwards a
	 * bounded number of times; it counts when it comes after the last
	 * cross-reference stream with /Root. */
	TRY(rd_seek(&r, doc->len, d));
	for (int k = 0;
	     k < RECOVER_TRAILER_TRIES && rd_rfind(&r, 0, "trailer", 7, &p);
	     k++) {
		struct pdf_lex lx;
		struct pdf_obj *t = NULL;

		pdf_lex_init(&lx, doc->data, doc->len, doc->a);
		diag_clear(&ld);
		if (rd_seek(&lx.r, p + 7, NULL) == TTE_OK &&
		    pdf_parse_obj(&lx, &t, &ld) == TTE_OK &&
		    t->kind == PDF_DICT && pdf_dict_get(t, "Root") != NULL) {
			if (p + 7 + 1 > f->trailer_pos) {
				f->trailer_pos = p + 7 + 1;
				f->trailer_is_stream = 0;
			}
			break;
		}
		TRY(rd_seek(&r, p, d));
	}
out:
	return rc;
}

/* The trailer recovery settles on, parsed in the document's arena. */
static tte_err
recovered_trailer(struct pdf_doc *doc, const struct found *f,
                  struct pdf_obj **out, struct diag *d)
{
	struct pdf_lex lx;
	struct pdf_indirect io;
	struct pdf_obj *t, *ref;
	tte_err rc = TTE_OK;

	if (f->trailer_pos != 0 && f->trailer_is_stream) {
		TRY(pdf_doc_parse_at(doc, f->trailer_pos - 1, PDF_NO_REV, &io,
		                     d));
		*out = io.obj->u.st.dict;
		goto out;
	}
	if (f->trailer_pos != 0) {
		pdf_lex_init(&lx, doc->data, doc->len, doc->a);
		TRY(rd_seek(&lx.r, f->trailer_pos - 1, d));
		TRY(pdf_parse_obj(&lx, out, d));
		goto out;
	}
	ENSURE(f->catalog_num != 0, TTE_E_MALFORMED, d,
	       "no trailer and no document catalog found by scanning");
	/* A trailer of our own: << /Root n g R >>. */
	t = arena_alloc(doc->a, sizeof(*t));
	ref = arena_alloc(doc->a, sizeof(*ref));
	ENSURE(t != NULL && ref != NULL, TTE_E_NOMEM, d, "trailer");
	t->u.d.v = arena_alloc(doc->a, sizeof(*t->u.d.v));
	ENSURE(t->u.d.v != NULL, TTE_E_NOMEM, d, "trailer");
	ref->kind = PDF_REF;
	ref->u.ref.num = f->catalog_num;
	ref->u.ref.gen = f->catalog_gen;
	t->kind = PDF_DICT;
	t->u.d.v[0].key = "Root";
	t->u.d.v[0].val = ref;
	t->u.d.n = 1;
	*out = t;
	pdf_doc_note(doc,
	             "no trailer found: /Root is the last catalog, "
	             "object %u",
	             f->catalog_num);
out:
	return rc;
}

/* see pdf_xref.h */
tte_err
pdf_xref_recover(struct pdf_doc *doc, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	struct arena scratch, *keep = doc->a;
	struct xr x = {doc, keep, 0};
	struct entbuf eb = {0};
	struct found f;
	struct pdf_section *sec;
	struct pdf_objstm *os;
	struct pdf_xref_ent e;
	struct diag ld;
	struct rd r;
	size_t at, pos;
	tte_err rc = TTE_OK;

	memset(&f, 0, sizeof(f));
	arena_init(&scratch);
	/* Trial parses go to a scratch arena, quietly. */
	doc->a = &scratch;
	priv->quiet = 1;
	rc = scan_objects(&x, &eb, &f, keep, d);
	doc->a = keep;
	priv->quiet = 0;
	if (rc != TTE_OK)
		goto out;
	sec = arena_alloc(keep, sizeof(*sec));
	ENSURE(sec != NULL, TTE_E_NOMEM, d, "recovered section");
	TRY(finalize(&x, &eb, sec, d));
	doc->secs = sec;
	doc->n_secs = 1;
	TRY(pdf_doc_reset_cache(doc, d));
	/* Members of object streams, ranked where their stream is. */
	for (size_t i = 0; i < f.n_ostm; i++) {
		diag_clear(&ld);
		if (pdf_doc_objstm(doc, 0, f.ostm_num[i], &os, &ld) != TTE_OK)
			continue;
		for (size_t k = 0; k < os->n; k++) {
			if (os->nums[k] == f.ostm_num[i] ||
			    os->nums[k] >= PDF_MAX_OBJECTS)
				continue;
			memset(&e, 0, sizeof(e));
			e.type = 2;
			e.off = f.ostm_num[i];
			e.idx = (uint32_t)k;
			TRY(entbuf_add(&x, &eb, os->nums[k], &e, f.ostm_off[i],
			               d));
		}
	}
	if (f.n_ostm > 0) {
		TRY(finalize(&x, &eb, sec, d));
		TRY(pdf_doc_reset_cache(doc, d));
	}
	/* No trailer: the catalog may be compressed too. */
	for (size_t i = 0; i < sec->n && f.trailer_pos == 0; i++) {
		struct pdf_obj *o = NULL;

		diag_clear(&ld);
		if (sec->ents[i].type == 2 &&
		    pdf_doc_object(doc, 0, sec->nums[i], &o, &ld) == TTE_OK &&
		    pdf_name_is(pdf_dict_get(o, "Type"), "Catalog")) {
			f.catalog_num = sec->nums[i];
			f.catalog_gen = 0;
		}
	}
	TRY(recovered_trailer(doc, &f, &sec->trailer, d));
	/* The revision ends at the last %%EOF, if any. */
	rd_init(&r, doc->data, doc->len);
	TRY(rd_seek(&r, doc->len, d));
	if (rd_rfind(&r, 0, "%%EOF", 5, &at)) {
		sec->eof_end = skip_eol(doc, at + 5);
		pos = sec->eof_end;
		while (byte_at(doc, pos) >= 0 &&
		       pdf_lex_is_space((uint8_t)byte_at(doc, pos)))
			pos++;
		doc->trailing_off = pos < doc->len ? pos : 0;
	}
out:
	arena_release(&scratch);
	return rc;
}
