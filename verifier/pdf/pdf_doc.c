/*
 * pdf_doc.c - a PDF file's objects through its revisions (ISO 32000-1
 * §7.3.10, §7.3.8, §7.5.7).
 *
 *   indirect object   N G obj <object> endobj
 *   stream            N G obj << /Length L ... >> stream EOL
 *                     <L bytes> [EOL] endstream endobj
 *                     (EOL after "stream" is CR LF or LF, §7.3.8.1)
 *   object stream     N 0 obj << /Type /ObjStm /N n /First f >> stream
 *                     decoded: "num1 off1 num2 off2 ..." then, from byte
 *                     f, the n objects (offsets relative to f), no
 *                     "obj"/"endobj", never streams (§7.5.7)
 *
 * An object is looked up in the newest section of the revision that
 * defines it; it is parsed once per defining entry and cached, so the
 * same entry always gives the same object. A stream's indirect /Length
 * is resolved in the revision of the section that defines the stream.
 * A /Length that does not lead to "endstream" is replaced by a search
 * for "endstream" (noted; at most PDF_SCAN_BUDGET times the file is read
 * that way). Loads that need other loads (indirect /Length, object
 * streams) are counted (PDF_MAX_LOAD_DEPTH) and an object met again
 * while it loads is a loop: TTE_E_MALFORMED, never a hang.
 *
 * pdf_doc_open reads the sections (pdf_xref.c) and checks that the
 * newest trailer's /Root is a readable dictionary; when either fails
 * the file is recovered by scanning, and that is recorded.
 *
 * Unsupported, on purpose: decryption (encrypted files open, with
 * `encrypted` set, for the caller to refuse), external stream data (/F),
 * references whose generation differs from the xref entry (an error, not
 * a guess).
 */
#include "pdf_xref.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdf_filter.h"

/* Sections from which the newest revision has a number -> section
 * table: lookups stay O(log n) with thousands of updates. */
#define FLAT_MIN_SECS 16
#define RATIO_FLOOR (1UL << 20) /* PDF_MAX_RATIO applies above 1 MiB */
/* Bytes of "n o " in an object stream's header, at least: bounds /N by
 * /First. */
#define OBJSTM_MIN_PAIR 4
/* An "N G obj" header starts this close to where the xref says (blanks,
 * comments). */
#define HEADER_WINDOW 1024
/* Blanks allowed between a stream's data and "endstream" (§7.3.8.1 says
 * one end of line). */
#define ENDSTREAM_BLANKS 64
#define OFFMAP_FIRST 64 /* first size of the offset cache */



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

/* Nonzero when s is at off. */
static int
bytes_at(const struct pdf_doc *doc, size_t off, const char *s)
{
	struct rd r;
	const uint8_t *b;
	size_t n = strlen(s);

	rd_init(&r, doc->data, doc->len);
	return rd_seek(&r, off, NULL) == TTE_OK &&
	       rd_bytes(&r, n, &b, NULL) == TTE_OK && memcmp(b, s, n) == 0;
}

/* see pdf_xref.h */
void
pdf_doc_note(struct pdf_doc *doc, const char *fmt, ...)
{
	const struct pdf_doc_priv *priv = doc->cache;
	char buf[DIAG_MSG_MAX];
	const char *p;
	va_list ap;

	if (priv != NULL && priv->quiet)
		return;
	if (doc->notes == NULL)
		doc->notes =
		    arena_alloc(doc->a, PDF_MAX_NOTES * sizeof(*doc->notes));
	if (doc->notes == NULL || doc->n_notes >= PDF_MAX_NOTES) {
		doc->n_notes_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = arena_strdup(doc->a, buf);
	if (p == NULL) {
		doc->n_notes_dropped++;
		return;
	}
	doc->notes[doc->n_notes++] = p;
}

/* see pdf_xref.h */
tte_err
pdf_doc_reset_cache(struct pdf_doc *doc, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	const struct pdf_section *s;
	uint32_t maxn = 0;
	tte_err rc = TTE_OK;

	priv->slots =
	    arena_alloc(doc->a, (doc->n_secs + 1) * sizeof(*priv->slots));
	priv->objstms =
	    arena_alloc(doc->a, (doc->n_secs + 1) * sizeof(*priv->objstms));
	ENSURE(priv->slots != NULL && priv->objstms != NULL, TTE_E_NOMEM, d,
	       "object cache");
	priv->flat = NULL;
	priv->n_flat = 0;
	priv->offmap = NULL;
	priv->offmap_n = 0;
	priv->offmap_cap = 0;
	if (doc->n_secs < FLAT_MIN_SECS)
		goto out;
	for (size_t i = 0; i < doc->n_secs; i++)
		if (doc->secs[i].n > 0 &&
		    doc->secs[i].nums[doc->secs[i].n - 1] > maxn)
			maxn = doc->secs[i].nums[doc->secs[i].n - 1];
	/* maxn < PDF_MAX_OBJECTS: entries were checked when read. */
	priv->flat =
	    arena_alloc(doc->a, ((size_t)maxn + 1) * sizeof(*priv->flat));
	ENSURE(priv->flat != NULL, TTE_E_NOMEM, d, "object index");
	priv->n_flat = (size_t)maxn + 1;
	for (size_t i = 0; i < priv->n_flat; i++)
		priv->flat[i] = -1;
	for (size_t i = 0; i < doc->n_secs; i++) {
		s = &doc->secs[i];
		for (size_t k = 0; k < s->n; k++)
			priv->flat[s->nums[k]] = (int32_t)i;
	}
out:
	return rc;
}

/* Index of num in sec, or -1. */
static long
sec_index(const struct pdf_section *sec, uint32_t num)
{
	size_t lo = 0, hi = sec->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sec->nums[mid] == num)
			return (long)mid;
		if (sec->nums[mid] < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* see pdf_xref.h */
const struct pdf_xref_ent *
pdf_doc_find(const struct pdf_doc *doc, size_t rev, uint32_t num, size_t *sec,
             size_t *idx)
{
	const struct pdf_doc_priv *priv = doc->cache;
	long i;
	size_t s;

	if (doc->n_secs == 0 || rev >= doc->n_secs)
		return NULL;
	if (priv != NULL && priv->flat != NULL && rev == doc->n_secs - 1) {
		if (num >= priv->n_flat || priv->flat[num] < 0)
			return NULL;
		s = (size_t)priv->flat[num];
		i = sec_index(&doc->secs[s], num);
		if (i < 0)
			return NULL;
		*sec = s;
		*idx = (size_t)i;
		return &doc->secs[s].ents[i];
	}
	for (s = rev + 1; s > 0; s--) {
		i = sec_index(&doc->secs[s - 1], num);
		if (i >= 0) {
			*sec = s - 1;
			*idx = (size_t)i;
			return &doc->secs[s - 1].ents[i];
		}
	}
	return NULL;
}

/* see pdf_doc.h */
const struct pdf_xref_ent *
pdf_doc_entry(const struct pdf_doc *doc, size_t rev, uint32_t num, size_t *sec)
{
	const struct pdf_xref_ent *e;
	size_t s = 0, i = 0;

	e = pdf_doc_find(doc, rev, num, &s, &i);
	if (e != NULL && sec != NULL)
		*sec = s;
	return e;
}

/*
 * Finds where a stream's data ends when /Length does not say: the first
 * "endstream" after data_off, less the end of line before it.
 */
static tte_err
search_endstream(struct pdf_doc *doc, size_t data_off, size_t *data_len,
                 struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	struct rd r;
	size_t limit, at = 0, n;
	tte_err rc = TTE_OK;

	limit = doc->len - data_off > priv->scan_left
	            ? data_off + priv->scan_left
	            : doc->len;
	rd_init(&r, doc->data, doc->len);
	TRY(rd_seek(&r, data_off, d));
	if (!rd_find(&r, limit, "endstream", 9, &at)) {
		priv->scan_left -= limit - data_off;
		ENSURE(limit == doc->len, TTE_E_TOO_BIG, d,
		       "searching for 'endstream' from offset %zu: the file "
		       "was already read %d times over that way",
		       data_off, PDF_SCAN_BUDGET);
		BAIL(TTE_E_TRUNCATED, d,
		     "stream data at offset %zu has no 'endstream'", data_off);
	}
	priv->scan_left -= at + 9 - data_off;
	n = at - data_off;
	if (n > 0 && byte_at(doc, data_off + n - 1) == '\n')
		n--;
	if (n > 0 && byte_at(doc, data_off + n - 1) == '\r')
		n--;
	*data_len = n;
out:
	return rc;
}

/*
 * The stream whose "stream" keyword ends at kw_end, dictionary dict.
 * *end is past "endstream".
 */
static tte_err
read_stream(struct pdf_doc *doc, size_t rev, const struct pdf_indirect *io,
            struct pdf_obj *dict, size_t kw_end, struct pdf_obj **out,
            size_t *end, int *len_indirect, struct diag *d)
{
	struct pdf_obj *len_obj, *lv = NULL, *st;
	size_t data_off = kw_end, data_len = 0, p;
	int64_t length = -1;
	struct diag ld;
	char what[64];
	tte_err rc = TTE_OK;

	/* §7.3.8.1: CR LF or LF; a lone CR is tolerated (noted). */
	if (byte_at(doc, data_off) == '\r' &&
	    byte_at(doc, data_off + 1) == '\n')
		data_off += 2;
	else if (byte_at(doc, data_off) == '\n')
		data_off += 1;
	else if (byte_at(doc, data_off) == '\r') {
		data_off += 1;
		pdf_doc_note(doc,
		             "object %u %u: 'stream' at offset %zu is "
		             "followed by CR alone",
		             io->num, io->gen, kw_end);
	} else {
		pdf_doc_note(doc,
		             "object %u %u: 'stream' at offset %zu is "
		             "not followed by an end of line",
		             io->num, io->gen, kw_end);
	}
	len_obj = pdf_dict_get(dict, "Length");
	*len_indirect = len_obj != NULL && len_obj->kind == PDF_REF;
	if (len_obj != NULL && len_obj->kind == PDF_INT) {
		length = len_obj->u.i;
	} else if (len_obj != NULL && len_obj->kind == PDF_REF &&
	           rev != PDF_NO_REV) {
		diag_clear(&ld);
		if (pdf_doc_resolve(doc, rev, len_obj, &lv, &ld) == TTE_OK &&
		    lv != NULL && lv->kind == PDF_INT)
			length = lv->u.i;
	}
	if (length >= 0 && (uint64_t)length <= doc->len - data_off) {
		/* An end of line, maybe some blanks; not a run long enough
		 * to be read again for every stream that points into it. */
		p = data_off + (size_t)length;
		for (int k = 0; k < ENDSTREAM_BLANKS && pdf_lex_is_space(byte_at(doc, p));
		     k++)
			p++;
		if (bytes_at(doc, p, "endstream")) {
			data_len = (size_t)length;
			*end = p + 9;
			goto made;
		}
	}
	TRY(search_endstream(doc, data_off, &data_len, d));
	*end = data_off + data_len;
	while (pdf_lex_is_space(byte_at(doc, *end)))
		(*end)++;
	*end += 9;
	if (length >= 0)
		snprintf(what, sizeof(what), "%lld", (long long)length);
	else
		snprintf(what, sizeof(what), "%s",
		         len_obj == NULL            ? "(missing)"
		         : len_obj->kind == PDF_REF ? "(indirect, unusable)"
		                                    : "(not an integer)");
	pdf_doc_note(doc,
	             "object %u %u at offset %zu: stream /Length %s "
	             "does not end at 'endstream'; its data is taken up to "
	             "offset %zu",
	             io->num, io->gen, dict->off, what, data_off + data_len);
made:
	st = arena_alloc(doc->a, sizeof(*st));
	ENSURE(st != NULL, TTE_E_NOMEM, d, "stream at offset %zu", dict->off);
	st->kind = PDF_STREAM;
	st->off = dict->off;
	st->end = *end;
	st->u.st.dict = dict;
	st->u.st.data_off = data_off;
	st->u.st.data_len = data_len;
	*out = st;
out:
	return rc;
}

/* see pdf_xref.h */
tte_err
pdf_doc_parse_at(struct pdf_doc *doc, size_t off, size_t rev,
                 struct pdf_indirect *io, struct diag *d)
{
	struct pdf_lex lx, save;
	struct pdf_tok tn, tg, to, t;
	struct pdf_obj *obj = NULL;
	struct diag ld;
	size_t end;
	tte_err rc = TTE_OK;

	memset(io, 0, sizeof(*io));
	pdf_lex_init(&lx, doc->data, doc->len, doc->a);
	TRY(rd_seek(&lx.r, off, d));
	TRY(pdf_lex_next(&lx, &tn, d));
	TRY(pdf_lex_next(&lx, &tg, d));
	TRY(pdf_lex_next(&lx, &to, d));
	ENSURE(tn.kind == PDF_TOK_INT && tn.i >= 0 &&
	           tn.i <= (int64_t)UINT32_MAX && tg.kind == PDF_TOK_INT &&
	           tg.i >= 0 && tg.i <= UINT16_MAX && pdf_tok_is(&to, "obj"),
	       to.kind == PDF_TOK_EOF ? TTE_E_TRUNCATED : TTE_E_MALFORMED, d,
	       "no 'N G obj' header at offset %zu", off);
	io->num = (uint32_t)tn.i;
	io->gen = (uint16_t)tg.i;
	save = lx;
	TRY(pdf_lex_next(&lx, &t, d));
	if (pdf_tok_is(&t, "endobj")) {
		/* "N G obj endobj": nothing, read as null. */
		obj = arena_alloc(doc->a, sizeof(*obj));
		ENSURE(obj != NULL, TTE_E_NOMEM, d, "object at %zu", off);
		obj->kind = PDF_NULL;
		obj->off = t.off;
		obj->end = t.off;
		pdf_doc_note(doc, "object %u %u at offset %zu is empty",
		             io->num, io->gen, off);
		io->obj = obj;
		io->end = t.end;
		goto out;
	}
	lx.r = save.r; /* reach stays: what was read */
	TRY(pdf_parse_obj(&lx, &obj, d));
	end = obj->end;
	save = lx;
	diag_clear(&ld);
	if (pdf_lex_next(&lx, &t, &ld) == TTE_OK && pdf_tok_is(&t, "stream")) {
		ENSURE(obj->kind == PDF_DICT, TTE_E_MALFORMED, d,
		       "object %u %u at offset %zu: 'stream' after something "
		       "other than a dictionary",
		       io->num, io->gen, off);
		io->dict = obj;
		io->kw_end = t.end;
		TRY(read_stream(doc, rev, io, obj, t.end, &obj, &end,
		                &io->len_indirect, d));
		TRY(rd_seek(&lx.r, end, d));
		save = lx;
		diag_clear(&ld);
		if (pdf_lex_next(&lx, &t, &ld) != TTE_OK)
			t.kind = PDF_TOK_EOF;
	}
	if (pdf_tok_is(&t, "endobj")) {
		end = t.end;
	} else {
		lx.r = save.r;
		pdf_doc_note(doc, "object %u %u at offset %zu has no 'endobj'",
		             io->num, io->gen, off);
	}
	io->obj = obj;
	io->end = end;
out:
	io->reach = lx.reach > io->end ? lx.reach : io->end;
	return rc;
}

/* The cache slots of section s, made on first use. */
static tte_err
slots_of(struct pdf_doc *doc, size_t s, struct pdf_obj ***out, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	tte_err rc = TTE_OK;

	if (priv->slots[s] == NULL) {
		priv->slots[s] =
		    arena_alloc(doc->a, doc->secs[s].n * sizeof(**priv->slots));
		ENSURE(priv->slots[s] != NULL, TTE_E_NOMEM, d, "object cache");
	}
	*out = priv->slots[s];
out:
	return rc;
}

/* An integer, resolved as of rev; -1 when absent or not one. */
static int64_t
int_of(struct pdf_doc *doc, size_t rev, const struct pdf_obj *dict,
       const char *key, struct diag *d)
{
	struct pdf_obj *o = pdf_doc_get(doc, rev, dict, key, d);

	return o != NULL && o->kind == PDF_INT ? o->u.i : -1;
}

/* Reads object stream num (entry in section s) into os. */
static tte_err
decode_objstm(struct pdf_doc *doc, size_t s, uint32_t num,
              struct pdf_objstm *os, struct diag *d)
{
	struct pdf_obj *st = NULL;
	struct pdf_lex lx;
	struct pdf_tok tn, to;
	int64_t n, first;
	tte_err rc = TTE_OK;

	TRY(pdf_doc_object(doc, s, num, &st, d));
	ENSURE(st != NULL && st->kind == PDF_STREAM &&
	           pdf_name_is(pdf_dict_get(st, "Type"), "ObjStm"),
	       TTE_E_MALFORMED, d, "object %u is not an object stream", num);
	n = int_of(doc, s, st, "N", d);
	first = int_of(doc, s, st, "First", d);
	ENSURE(n >= 0 && first >= 0, TTE_E_MALFORMED, d,
	       "object stream %u: /N or /First is not a non-negative "
	       "integer",
	       num);
	TRY(pdf_doc_stream(doc, s, st, &os->data, &os->len, d));
	ENSURE((uint64_t)first <= os->len, TTE_E_MALFORMED, d,
	       "object stream %u: /First %lld is past its %zu bytes", num,
	       (long long)first, os->len);
	/* n pairs take at least OBJSTM_MIN_PAIR * n - 1 bytes. */
	ENSURE((uint64_t)n <= ((uint64_t)first + 1) / OBJSTM_MIN_PAIR,
	       TTE_E_MALFORMED, d,
	       "object stream %u: /N %lld does not fit in /First %lld", num,
	       (long long)n, (long long)first);
	os->first = (size_t)first;
	os->n = (size_t)n;
	os->lex_left = os->len > (SIZE_MAX - RATIO_FLOOR) / PDF_SCAN_BUDGET
	                   ? SIZE_MAX
	                   : os->len * PDF_SCAN_BUDGET + RATIO_FLOOR;
	os->nums = arena_alloc(doc->a, (os->n + 1) * sizeof(*os->nums));
	os->offs = arena_alloc(doc->a, (os->n + 1) * sizeof(*os->offs));
	ENSURE(os->nums != NULL && os->offs != NULL, TTE_E_NOMEM, d,
	       "object stream %u", num);
	pdf_lex_init(&lx, os->data, os->first, doc->a);
	for (size_t k = 0; k < os->n; k++) {
		TRY(pdf_lex_next(&lx, &tn, d));
		TRY(pdf_lex_next(&lx, &to, d));
		ENSURE(tn.kind == PDF_TOK_INT && tn.i >= 0 &&
		           tn.i <= (int64_t)UINT32_MAX &&
		           to.kind == PDF_TOK_INT && to.i >= 0 &&
		           (uint64_t)to.i < os->len - os->first,
		       TTE_E_MALFORMED, d,
		       "object stream %u: bad header pair %zu", num, k);
		os->nums[k] = (uint32_t)tn.i;
		os->offs[k] = (size_t)to.i;
	}
out:
	return rc;
}

/* see pdf_xref.h */
tte_err
pdf_doc_objstm(struct pdf_doc *doc, size_t rev, uint32_t num,
               struct pdf_objstm **out, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	const struct pdf_xref_ent *e;
	struct pdf_objstm *os;
	struct diag ld;
	size_t s = 0, i = 0;
	int outer_ctx, ctx;
	tte_err rc = TTE_OK;

	e = pdf_doc_find(doc, rev, num, &s, &i);
	ENSURE(e != NULL && e->type != 0, TTE_E_MALFORMED, d,
	       "object stream %u is not defined", num);
	ENSURE(e->type == 1, TTE_E_MALFORMED, d,
	       "object stream %u is itself inside an object stream", num);
	if (priv->objstms[s] == NULL) {
		priv->objstms[s] = arena_alloc(
		    doc->a, doc->secs[s].n * sizeof(**priv->objstms));
		ENSURE(priv->objstms[s] != NULL, TTE_E_NOMEM, d,
		       "object stream cache");
	}
	os = priv->objstms[s][i];
	if (os != NULL) {
		/* Decoded once, or failed once (see struct failure). */
		if (os->fail != TTE_OK)
			BAIL(os->fail, d, "%s", os->msg);
		*out = os;
		goto out;
	}
	os = arena_alloc(doc->a, sizeof(*os));
	ENSURE(os != NULL, TTE_E_NOMEM, d, "object stream %u", num);
	outer_ctx = priv->ctx_fail;
	priv->ctx_fail = 0;
	diag_clear(&ld);
	rc = decode_objstm(doc, s, num, os, &ld);
	ctx = priv->ctx_fail;
	priv->ctx_fail = outer_ctx || ctx;
	if (rc == TTE_OK) {
		priv->objstms[s][i] = os;
		*out = os;
		goto out;
	}
	if (!ctx && rc != TTE_E_NOMEM) {
		os->fail = rc;
		os->msg = arena_strdup(doc->a, ld.msg);
		if (os->msg != NULL)
			priv->objstms[s][i] = os;
	}
	rc = diag_set(d, rc, ld.file, ld.line, "%s", ld.msg);
out:
	return rc;
}

/* Member idx (object num) of object stream osn, as of rev. */
static tte_err
load_compressed(struct pdf_doc *doc, size_t rev, uint32_t num,
                const struct pdf_xref_ent *e, struct pdf_obj **out,
                struct diag *d)
{
	struct pdf_objstm *os = NULL;
	struct pdf_lex lx;
	size_t start;
	tte_err rc = TTE_OK;

	TRY(pdf_doc_objstm(doc, rev, (uint32_t)e->off, &os, d));
	ENSURE(e->idx < os->n, TTE_E_MALFORMED, d,
	       "object %u: index %u in object stream %llu of %zu objects", num,
	       e->idx, (unsigned long long)e->off, os->n);
	ENSURE(os->nums[e->idx] == num, TTE_E_MALFORMED, d,
	       "object stream %llu holds object %u at index %u, not %u",
	       (unsigned long long)e->off, os->nums[e->idx], e->idx, num);
	/* Members that overlap: see load_at. */
	ENSURE(os->lex_left > 0, TTE_E_TOO_BIG, d,
	       "object %u: the members of object stream %llu overlap; "
	       "loading them would read it more than %d times",
	       num, (unsigned long long)e->off, PDF_SCAN_BUDGET);
	pdf_lex_init(&lx, os->data, os->len, doc->a);
	lx.in_objstm = 1;
	start = os->first + os->offs[e->idx];
	TRY(rd_seek(&lx.r, start, d));
	rc = pdf_parse_obj(&lx, out, d);
	start = lx.reach > start ? lx.reach - start : 0;
	os->lex_left -= start < os->lex_left ? start : os->lex_left;
out:
	return rc;
}

/*
 * A load that failed, kept in its slot so that asking again costs
 * nothing: a hostile file must not make a caller parse the same broken
 * megabyte for each of its thousand references. mark comes first: slots
 * point at it, and off > end tells it from a real object.
 */
struct failure {
	struct pdf_obj mark;
	tte_err code;
	const char *msg;
};

static const struct failure *
failure_of(const struct pdf_obj *o)
{
	return o->off > o->end ? (const struct failure *)o : NULL;
}

/* An object parsed at a file offset, kept by offset. */
struct pdf_parsed {
	size_t off;
	struct pdf_indirect io; /* io.obj NULL: parsing failed */
	size_t rev;             /* where an indirect /Length was resolved */
	tte_err code;
	const char *msg;
};

static size_t
offmap_hash(size_t off, size_t cap)
{
	/* Fibonacci hashing; cap is a power of two. */
	return (size_t)(((uint64_t)off * 0x9e3779b97f4a7c15ULL) >> 32) &
	       (cap - 1);
}

static struct pdf_parsed *
offmap_get(const struct pdf_doc_priv *priv, size_t off)
{
	size_t i;

	if (priv->offmap_cap == 0)
		return NULL;
	for (i = offmap_hash(off, priv->offmap_cap); priv->offmap[i] != NULL;
	     i = (i + 1) & (priv->offmap_cap - 1))
		if (priv->offmap[i]->off == off)
			return priv->offmap[i];
	return NULL;
}

/* Adds p; the table doubles at half full (what is left behind in the
 * arena is at most what is kept). */
static tte_err
offmap_put(struct pdf_doc *doc, struct pdf_parsed *p, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	struct pdf_parsed **nm, **old = priv->offmap;
	size_t cap = priv->offmap_cap, i;
	tte_err rc = TTE_OK;

	if (2 * (priv->offmap_n + 1) > cap) {
		cap = cap == 0 ? OFFMAP_FIRST : 2 * cap;
		nm = arena_alloc(doc->a, cap * sizeof(*nm));
		ENSURE(nm != NULL, TTE_E_NOMEM, d, "object cache");
		for (size_t k = 0; k < priv->offmap_cap; k++) {
			if (old[k] == NULL)
				continue;
			for (i = offmap_hash(old[k]->off, cap); nm[i] != NULL;
			     i = (i + 1) & (cap - 1))
				;
			nm[i] = old[k];
		}
		priv->offmap = nm;
		priv->offmap_cap = cap;
	}
	for (i = offmap_hash(p->off, cap); priv->offmap[i] != NULL;
	     i = (i + 1) & (cap - 1))
		;
	priv->offmap[i] = p;
	priv->offmap_n++;
out:
	return rc;
}

/*
 * The "N G obj" header at off, read within HEADER_WINDOW bytes: checked
 * before the body is parsed, so an entry pointing at another object
 * costs nothing however big that object is.
 */
static tte_err
peek_header(const struct pdf_doc *doc, size_t off, uint32_t *num, uint16_t *gen,
            struct diag *d)
{
	struct pdf_lex lx;
	struct pdf_tok tn, tg, to;
	struct arena none;
	size_t lim;
	tte_err rc = TTE_OK;

	arena_init(&none); /* strings here only mean "no header" */
	lim = doc->len - off > HEADER_WINDOW ? off + HEADER_WINDOW : doc->len;
	pdf_lex_init(&lx, doc->data, lim, &none);
	TRY(rd_seek(&lx.r, off, d));
	ENSURE(pdf_lex_next(&lx, &tn, NULL) == TTE_OK &&
	           pdf_lex_next(&lx, &tg, NULL) == TTE_OK &&
	           pdf_lex_next(&lx, &to, NULL) == TTE_OK &&
	           tn.kind == PDF_TOK_INT && tn.i >= 0 &&
	           tn.i <= (int64_t)UINT32_MAX && tg.kind == PDF_TOK_INT &&
	           tg.i >= 0 && tg.i <= UINT16_MAX && pdf_tok_is(&to, "obj"),
	       TTE_E_MALFORMED, d, "no 'N G obj' header at offset %zu", off);
	*num = (uint32_t)tn.i;
	*gen = (uint16_t)tg.i;
out:
	arena_release(&none);
	return rc;
}

/*
 * Object num at file offset off, as of revision s: parsed once per
 * offset; a stream whose /Length is a reference has its length read again
 * in another revision.
 */
static tte_err
load_at(struct pdf_doc *doc, size_t s, uint32_t num, uint16_t gen, size_t off,
        struct pdf_obj **out, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	struct pdf_parsed *p;
	struct diag ld;
	size_t end, cost;
	int li;
	uint32_t hn = 0;
	uint16_t hg = 0;
	tte_err rc = TTE_OK;

	p = offmap_get(priv, off);
	if (p == NULL) {
		TRY(peek_header(doc, off, &hn, &hg, d));
	} else {
		hn = p->io.num;
		hg = p->io.gen;
	}
	ENSURE(hn == num && hg == gen, TTE_E_MALFORMED, d,
	       "object at offset %zu is %u %u, the cross-reference says "
	       "%u %u",
	       off, hn, hg, num, gen);
	if (p != NULL && p->io.obj == NULL)
		BAIL(p->code, d, "%s", p->msg);
	if (p != NULL && p->io.len_indirect && p->rev != s) {
		TRY(read_stream(doc, s, &p->io, p->io.dict, p->io.kw_end, out,
		                &end, &li, d));
		goto out;
	}
	if (p != NULL) {
		*out = p->io.obj;
		goto out;
	}
	p = arena_alloc(doc->a, sizeof(*p));
	ENSURE(p != NULL, TTE_E_NOMEM, d, "object cache");
	p->off = off;
	p->rev = s;
	/* Legitimate objects do not overlap, so loading all of them reads
	 * the file once. Objects that do (each a string that runs over the
	 * headers of the next ones) made every load read to the end of the
	 * file: 11 s for 20,000 of them in 650 kB (fuzzing,
	 * tests/fuzz/regress/pdf_sig). */
	ENSURE(priv->lex_left > 0, TTE_E_TOO_BIG, d,
	       "object %u at offset %zu: objects overlap; loading them "
	       "would read the file more than %d times",
	       num, off, PDF_SCAN_BUDGET);
	diag_clear(&ld);
	rc = pdf_doc_parse_at(doc, off, s, &p->io, &ld);
	cost = p->io.reach > off ? p->io.reach - off : 0;
	priv->lex_left -= cost < priv->lex_left ? cost : priv->lex_left;
	if (rc != TTE_OK) {
		/* Kept unless it depends on what else was loading. */
		p->io.num = num;
		p->io.gen = gen;
		p->io.obj = NULL;
		p->code = rc;
		p->msg = arena_strdup(doc->a, ld.msg);
		rc = diag_set(d, rc, ld.file, ld.line, "%s", ld.msg);
		if (priv->ctx_fail || rc == TTE_E_NOMEM || p->msg == NULL)
			goto out;
	}
	TRY(offmap_put(doc, p, d));
	if (p->io.obj == NULL)
		BAIL(p->code, d, "%s", p->msg);
	*out = p->io.obj;
out:
	return rc;
}

/* Loads object num of entry e (section s) into *out. */
static tte_err
load(struct pdf_doc *doc, size_t s, uint32_t num, const struct pdf_xref_ent *e,
     struct pdf_obj **out, struct diag *d)
{
	tte_err rc = TTE_OK;

	if (e->type == 2) {
		TRY(load_compressed(doc, s, num, e, out, d));
		goto out;
	}
	ENSURE(e->off < doc->len, TTE_E_MALFORMED, d,
	       "object %u: offset %llu is past the end of the file", num,
	       (unsigned long long)e->off);
	TRY(load_at(doc, s, num, e->gen, (size_t)e->off, out, d));
out:
	return rc;
}

/* see pdf_doc.h */
tte_err
pdf_doc_object(struct pdf_doc *doc, size_t rev, uint32_t num,
               struct pdf_obj **out, struct diag *d)
{
	struct pdf_doc_priv *priv = doc->cache;
	const struct pdf_xref_ent *e;
	const struct failure *fl;
	struct failure *nf;
	struct pdf_obj **slots = NULL, *o = NULL;
	struct diag ld;
	size_t s = 0, i = 0;
	int outer_ctx, ctx;
	tte_err rc = TTE_OK;

	*out = NULL;
	e = pdf_doc_find(doc, rev, num, &s, &i);
	if (e == NULL || e->type == 0)
		goto out;
	TRY(slots_of(doc, s, &slots, d));
	if (slots[i] == &priv->busy) {
		priv->ctx_fail = 1;
		BAIL(TTE_E_MALFORMED, d,
		     "object %u is needed to load itself (a loop)", num);
	}
	if (slots[i] != NULL) {
		fl = failure_of(slots[i]);
		if (fl != NULL)
			BAIL(fl->code, d, "%s", fl->msg);
		*out = slots[i];
		goto out;
	}
	if (priv->depth >= PDF_MAX_LOAD_DEPTH) {
		priv->ctx_fail = 1;
		BAIL(TTE_E_TOO_BIG, d,
		     "object %u: more than %d objects loading each other", num,
		     PDF_MAX_LOAD_DEPTH);
	}
	slots[i] = &priv->busy;
	priv->depth++;
	outer_ctx = priv->ctx_fail;
	priv->ctx_fail = 0;
	diag_clear(&ld);
	rc = load(doc, s, num, e, &o, &ld);
	ctx = priv->ctx_fail;
	priv->ctx_fail = outer_ctx || ctx;
	priv->depth--;
	slots[i] = NULL;
	if (rc == TTE_OK) {
		slots[i] = o;
		*out = o;
		goto out;
	}
	/* Failures that depend on what else was loading (a loop, the
	 * depth limit) may not happen another time: those are not kept. */
	if (!ctx && rc != TTE_E_NOMEM) {
		nf = arena_alloc(doc->a, sizeof(*nf));
		if (nf != NULL) {
			nf->mark.off = 1;
			nf->mark.end = 0;
			nf->code = rc;
			nf->msg = arena_strdup(doc->a, ld.msg);
			if (nf->msg != NULL)
				slots[i] = &nf->mark;
		}
	}
	rc = diag_set(d, rc, ld.file, ld.line, "%s", ld.msg);
out:
	return rc;
}

/* see pdf_doc.h */
tte_err
pdf_doc_resolve(struct pdf_doc *doc, size_t rev, struct pdf_obj *o,
                struct pdf_obj **out, struct diag *d)
{
	const struct pdf_xref_ent *e;
	uint32_t num;
	uint16_t gen;
	tte_err rc = TTE_OK;

	*out = NULL;
	for (int k = 0; o != NULL && o->kind == PDF_REF; k++) {
		num = o->u.ref.num;
		gen = o->u.ref.gen;
		ENSURE(k < PDF_MAX_REF_CHAIN, TTE_E_TOO_BIG, d,
		       "more than %d references in a row, at %u %u R",
		       PDF_MAX_REF_CHAIN, num, gen);
		e = pdf_doc_entry(doc, rev, num, NULL);
		ENSURE(e == NULL || e->type == 0 ||
		           gen == (e->type == 1 ? e->gen : 0),
		       TTE_E_MALFORMED, d,
		       "reference %u %u R, but object %u has generation %u",
		       num, gen, num, e->type == 1 ? e->gen : 0);
		TRY(pdf_doc_object(doc, rev, num, &o, d));
	}
	*out = o;
out:
	return rc;
}

/* see pdf_doc.h */
struct pdf_obj *
pdf_doc_get(struct pdf_doc *doc, size_t rev, const struct pdf_obj *dict,
            const char *key, struct diag *d)
{
	struct pdf_obj *o = pdf_dict_get(dict, key);

	if (o == NULL || pdf_doc_resolve(doc, rev, o, &o, d) != TTE_OK)
		return NULL;
	return o;
}

/* The FlateDecode parameters in p (a dictionary, or null). */
static tte_err
read_parms(struct pdf_doc *doc, size_t rev, const struct pdf_obj *p,
           struct pdf_filter_parms *fp, struct diag *d)
{
	static const char *const keys[] = {"Predictor", "Colors",
	                                   "BitsPerComponent", "Columns"};
	long *const vals[] = {&fp->predictor, &fp->colors, &fp->bpc,
	                      &fp->columns};
	struct pdf_obj *v;
	tte_err rc = TTE_OK;

	pdf_filter_parms_init(fp);
	if (p == NULL || p->kind == PDF_NULL)
		goto out;
	ENSURE(p->kind == PDF_DICT, TTE_E_MALFORMED, d,
	       "/DecodeParms at offset %zu is not a dictionary", p->off);
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		TRY(pdf_doc_resolve(doc, rev, pdf_dict_get(p, keys[i]), &v, d));
		if (v == NULL)
			continue;
		ENSURE(v->kind == PDF_INT && v->u.i >= 0 && v->u.i <= INT32_MAX,
		       TTE_E_MALFORMED, d,
		       "/%s in /DecodeParms at offset %zu is not a small "
		       "integer",
		       keys[i], p->off);
		*vals[i] = (long)v->u.i;
	}
out:
	return rc;
}

/* see pdf_xref.h */
tte_err
pdf_doc_stream_capped(struct pdf_doc *doc, size_t rev,
                      const struct pdf_obj *stream, size_t cap,
                      const uint8_t **out, size_t *len, struct diag *d)
{
	struct pdf_obj *filt = NULL, *parms = NULL, *fo = NULL, *po = NULL;
	struct pdf_filter_parms fp;
	enum pdf_filter f;
	const uint8_t *cur;
	size_t curlen, nf, ratio_cap;
	int cut = 0;
	struct rd r;
	tte_err rc = TTE_OK;

	ENSURE(stream != NULL && stream->kind == PDF_STREAM &&
	           !stream->in_objstm,
	       TTE_E_MALFORMED, d, "not a stream object");
	ENSURE(pdf_dict_get(stream, "F") == NULL, TTE_E_UNSUPPORTED, d,
	       "stream at offset %zu: data in an external file (/F)",
	       stream->off);
	rd_init(&r, doc->data, doc->len);
	TRY(rd_seek(&r, stream->u.st.data_off, d));
	TRY(rd_bytes(&r, stream->u.st.data_len, &cur, d));
	curlen = stream->u.st.data_len;
	/* PDF_MAX_RATIO over the raw length, from 1 MiB up. */
	ratio_cap = curlen > PDF_MAX_STREAM / PDF_MAX_RATIO
	                ? PDF_MAX_STREAM
	                : curlen * PDF_MAX_RATIO;
	if (ratio_cap < RATIO_FLOOR)
		ratio_cap = RATIO_FLOOR;
	if (ratio_cap > PDF_MAX_STREAM)
		ratio_cap = PDF_MAX_STREAM;
	if (cap > ratio_cap)
		cap = ratio_cap;
	TRY(pdf_doc_resolve(doc, rev, pdf_dict_get(stream, "Filter"), &filt,
	                    d));
	TRY(pdf_doc_resolve(doc, rev, pdf_dict_get(stream, "DecodeParms"),
	                    &parms, d));
	nf = filt == NULL || filt->kind == PDF_NULL ? 0
	     : filt->kind == PDF_ARRAY              ? filt->u.a.n
	                                            : 1;
	ENSURE(nf <= PDF_MAX_FILTERS, TTE_E_TOO_BIG, d,
	       "stream at offset %zu: %zu filters", stream->off, nf);
	for (size_t i = 0; i < nf; i++) {
		fo = filt;
		po = parms;
		if (filt->kind == PDF_ARRAY)
			TRY(pdf_doc_resolve(doc, rev, filt->u.a.v[i], &fo, d));
		if (parms != NULL && parms->kind == PDF_ARRAY)
			TRY(pdf_doc_resolve(
			    doc, rev, i < parms->u.a.n ? parms->u.a.v[i] : NULL,
			    &po, d));
		else if (nf > 1)
			po = NULL;
		ENSURE(fo != NULL && fo->kind == PDF_NAME, TTE_E_MALFORMED, d,
		       "stream at offset %zu: /Filter is not a name",
		       stream->off);
		TRY(pdf_filter_lookup(fo->u.n.p, &f, d));
		TRY(read_parms(doc, rev, po, &fp, d));
		TRY(pdf_filter_decode(f, &fp, cur, curlen, cap, doc->a, &cur,
		                      &curlen, &cut, d));
		if (cut)
			pdf_doc_note(doc,
			             "stream at offset %zu: its flate data "
			             "stops before the end mark; the %zu bytes "
			             "decoded so far are used",
			             stream->off, curlen);
	}
	*out = cur;
	*len = curlen;
out:
	return rc;
}

/* see pdf_doc.h */
tte_err
pdf_doc_stream(struct pdf_doc *doc, size_t rev, const struct pdf_obj *stream,
               const uint8_t **out, size_t *len, struct diag *d)
{
	return pdf_doc_stream_capped(doc, rev, stream, PDF_MAX_STREAM, out, len,
	                             d);
}

/* see pdf_doc.h */
long
pdf_doc_rev_ending_at(const struct pdf_doc *doc, size_t end)
{
	for (size_t s = 0; s < doc->n_secs; s++)
		if (doc->secs[s].eof_end != 0 && doc->secs[s].eof_end == end)
			return (long)s;
	return -1;
}

/* The newest trailer's /Root must be a readable dictionary. */
static tte_err
check_root(struct pdf_doc *doc, struct diag *d)
{
	size_t last = doc->n_secs - 1;
	struct pdf_obj *root = pdf_dict_get(doc->secs[last].trailer, "Root");
	tte_err rc = TTE_OK;

	ENSURE(root != NULL && root->kind == PDF_REF, TTE_E_MALFORMED, d,
	       "the trailer has no /Root reference");
	TRY(pdf_doc_resolve(doc, last, root, &root, d));
	ENSURE(root != NULL && root->kind == PDF_DICT, TTE_E_MALFORMED, d,
	       "/Root is not a dictionary");
out:
	return rc;
}

static int
has_encrypt(const struct pdf_doc *doc)
{
	for (size_t s = 0; s < doc->n_secs; s++)
		if (pdf_dict_get(doc->secs[s].trailer, "Encrypt") != NULL)
			return 1;
	return 0;
}

/* see pdf_doc.h */
tte_err
pdf_doc_open(const uint8_t *data, size_t len, struct arena *a,
             struct pdf_doc **out, struct diag *d)
{
	struct pdf_doc *doc;
	struct pdf_doc_priv *priv;
	struct diag ld;
	size_t budget;
	tte_err rc = TTE_OK;

	*out = NULL;
	ENSURE(data != NULL && len > 0, TTE_E_TRUNCATED, d, "empty PDF");
	doc = arena_alloc(a, sizeof(*doc));
	priv = arena_alloc(a, sizeof(*priv));
	ENSURE(doc != NULL && priv != NULL, TTE_E_NOMEM, d, "document");
	budget = len > (SIZE_MAX - RATIO_FLOOR) / PDF_SCAN_BUDGET
	             ? SIZE_MAX
	             : len * PDF_SCAN_BUDGET + RATIO_FLOOR;
	priv->scan_left = budget;
	priv->lex_left = budget;
	doc->data = data;
	doc->len = len;
	doc->a = a;
	doc->cache = priv;
	diag_clear(&ld);
	rc = pdf_xref_read(doc, &ld);
	/* An encrypted file's objects may not parse: the caller refuses it
	 * anyway, on `encrypted`. */
	if (rc == TTE_OK && !has_encrypt(doc))
		rc = check_root(doc, &ld);
	if (rc == TTE_E_NOMEM || rc == TTE_E_TOO_BIG) {
		rc = diag_set(d, ld.code, ld.file, ld.line, "%s", ld.msg);
		goto out;
	}
	if (rc != TTE_OK) {
		/* ISO 32000-1 §7.5: the xref is unusable; rebuild it, and
		 * say so (STYLE.md rule 5). */
		doc->recover_reason = arena_strdup(a, ld.msg);
		ENSURE(doc->recover_reason != NULL, TTE_E_NOMEM, d, "document");
		doc->recovered = 1;
		doc->secs = NULL;
		doc->n_secs = 0;
		doc->trailing_off = 0;
		doc->notes = NULL;
		doc->n_notes = 0;
		doc->n_notes_dropped = 0;
		priv->scan_left = budget;
		priv->lex_left = budget;
		rc = TTE_OK;
		TRY(pdf_xref_recover(doc, d));
		if (!has_encrypt(doc))
			TRY(check_root(doc, d));
	}
	doc->encrypted = has_encrypt(doc);
	*out = doc;
out:
	return rc;
}
