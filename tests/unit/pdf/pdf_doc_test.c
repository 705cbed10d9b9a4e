/*
 * Tests for verifier/pdf/pdf_doc.c and pdf_xref.c: revisions, xref
 * tables and streams, object streams, recovery and hostile files. The
 * PDFs are built here, byte by byte, by a small writer that records
 * object offsets and writes the cross-reference sections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "../../../verifier/pdf/pdf_doc.h"

#define PB_MAX_OBJ 64
#define OWN_OFFSET ((size_t)-1) /* startxref: the section's own offset */

/* --- a tiny PDF writer -------------------------------------------------- */

struct pb {
	uint8_t *p;
	size_t n, cap;
	size_t off[PB_MAX_OBJ];
};

static void
pb_init(struct pb *b)
{
	memset(b, 0, sizeof(*b));
	b->cap = 1 << 16;
	b->p = malloc(b->cap);
	assert_non_null(b->p);
}

static void
pb_free(struct pb *b)
{
	free(b->p);
}

static void
pb_raw(struct pb *b, const void *s, size_t n)
{
	while (b->n + n > b->cap) {
		b->cap *= 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void __attribute__((format(printf, 2, 3)))
pb_fmt(struct pb *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	pb_raw(b, tmp, (size_t)n);
}

static void
pb_header(struct pb *b)
{
	pb_fmt(b, "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n");
}

/* "num 0 obj\n<body>\nendobj\n" */
static void
pb_obj(struct pb *b, unsigned num, const char *body)
{
	b->off[num] = b->n;
	pb_fmt(b, "%u 0 obj\n", num);
	pb_raw(b, body, strlen(body));
	pb_fmt(b, "\nendobj\n");
}

static void
pb_stream(struct pb *b, unsigned num, const char *dict, const void *data,
          size_t len)
{
	b->off[num] = b->n;
	pb_fmt(b, "%u 0 obj\n<< %s >>\nstream\n", num, dict);
	pb_raw(b, data, len);
	pb_fmt(b, "\nendstream\nendobj\n");
}

static uint8_t *
zip(const void *in, size_t n, size_t *out_len)
{
	uLongf len = compressBound(n);
	uint8_t *out = malloc(len);

	assert_non_null(out);
	assert_int_equal(compress2(out, &len, in, n, 9), Z_OK);
	*out_len = len;
	return out;
}

/* A classic section for nums (sorted; 0 is the free head) with its
 * trailer, startxref and %%EOF; returns where "xref" is. */
static size_t
pb_xref(struct pb *b, const unsigned *nums, size_t k, const char *trailer,
        size_t startxref)
{
	size_t x = b->n, i = 0, j;

	pb_fmt(b, "xref\n");
	while (i < k) {
		for (j = i + 1; j < k && nums[j] == nums[j - 1] + 1; j++)
			;
		pb_fmt(b, "%u %zu\n", nums[i], j - i);
		for (; i < j; i++) {
			if (nums[i] == 0)
				pb_fmt(b, "0000000000 65535 f\r\n");
			else
				pb_fmt(b, "%010zu 00000 n\r\n",
				       b->off[nums[i]]);
		}
	}
	pb_fmt(b, "trailer\n<< %s >>\nstartxref\n%zu\n%%%%EOF\n", trailer,
	       startxref == OWN_OFFSET ? x : startxref);
	return x;
}

struct xent {
	unsigned num;
	int type;
	size_t f2; /* OWN_OFFSET: the xref stream's own offset */
	unsigned f3;
};

/* A cross-reference stream (W [1 4 2], Flate) as object num; with
 * `final`, followed by startxref and %%EOF. Returns its offset. */
static size_t
pb_xref_stream(struct pb *b, unsigned num, const struct xent *e, size_t k,
               const char *extra, int final)
{
	uint8_t rows[7 * PB_MAX_OBJ], *z;
	char index[512];
	size_t x = b->n, zn, f2, il = 0, i = 0, j;

	b->off[num] = x;
	for (size_t r = 0; r < k; r++) {
		f2 = e[r].f2 == OWN_OFFSET ? x : e[r].f2;
		rows[7 * r] = (uint8_t)e[r].type;
		for (int s = 0; s < 4; s++)
			rows[7 * r + 1 + s] = (uint8_t)(f2 >> (8 * (3 - s)));
		rows[7 * r + 5] = (uint8_t)(e[r].f3 >> 8);
		rows[7 * r + 6] = (uint8_t)e[r].f3;
	}
	while (i < k) {
		for (j = i + 1; j < k && e[j].num == e[j - 1].num + 1; j++)
			;
		il += (size_t)snprintf(index + il, sizeof(index) - il,
		                       "%u %zu ", e[i].num, j - i);
		i = j;
	}
	z = zip(rows, 7 * k, &zn);
	pb_fmt(b,
	       "%u 0 obj\n<< /Type /XRef /W [1 4 2] /Index [%s] "
	       "/Filter /FlateDecode /Length %zu %s >>\nstream\n",
	       num, index, zn, extra);
	pb_raw(b, z, zn);
	pb_fmt(b, "\nendstream\nendobj\n");
	if (final)
		pb_fmt(b, "startxref\n%zu\n%%%%EOF\n", x);
	free(z);
	return x;
}

/* An object stream num holding bodies[i] as object nums[i]. */
static void
pb_objstm(struct pb *b, unsigned num, const unsigned *nums,
          const char *const *bodies, size_t k)
{
	char head[512], data[4096];
	size_t hl = 0, dl = 0, zn;
	uint8_t *z;
	char dict[128];

	for (size_t i = 0; i < k; i++) {
		hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "%u %zu ",
		                       nums[i], dl);
		dl += (size_t)snprintf(data + dl, sizeof(data) - dl, "%s\n",
		                       bodies[i]);
	}
	memmove(data + hl, data, dl);
	memcpy(data, head, hl);
	z = zip(data, hl + dl, &zn);
	snprintf(dict, sizeof(dict),
	         "/Type /ObjStm /N %zu /First %zu /Filter /FlateDecode "
	         "/Length %zu",
	         k, hl, zn);
	pb_stream(b, num, dict, z, zn);
	free(z);
}

/* Overwrites the first "/Prev 0000000000" with off. */
static void
pb_patch_prev(struct pb *b, size_t from, size_t off)
{
	static const char ph[] = "/Prev 0000000000";
	char v[16];

	for (size_t i = from; i + sizeof(ph) - 1 <= b->n; i++) {
		if (memcmp(b->p + i, ph, sizeof(ph) - 1) == 0) {
			snprintf(v, sizeof(v), "%010zu", off);
			memcpy(b->p + i + 6, v, 10);
			return;
		}
	}
	fail_msg("no /Prev placeholder");
}

/* The simple document: catalog 1, pages 2, object 3. */
static void
pb_simple(struct pb *b, const char *obj3)
{
	static const unsigned nums[] = {0, 1, 2, 3};

	pb_header(b);
	pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	pb_obj(b, 3, obj3);
	pb_xref(b, nums, 4, "/Size 4 /Root 1 0 R", OWN_OFFSET);
}

/* --- helpers -------------------------------------------------------------- */

struct fx {
	struct arena a;
	struct diag d;
	struct pdf_doc *doc;
};

static tte_err
open_pb(struct fx *f, const struct pb *b)
{
	arena_init(&f->a);
	diag_clear(&f->d);
	f->doc = NULL;
	return pdf_doc_open(b->p, b->n, &f->a, &f->doc, &f->d);
}

static struct pdf_obj *
obj(struct fx *f, size_t rev, uint32_t num)
{
	struct pdf_obj *o = NULL;

	diag_clear(&f->d);
	assert_int_equal(pdf_doc_object(f->doc, rev, num, &o, &f->d), TTE_OK);
	return o;
}

static int
has_note(const struct pdf_doc *doc, const char *s)
{
	for (size_t i = 0; i < doc->n_notes; i++)
		if (strstr(doc->notes[i], s) != NULL)
			return 1;
	return 0;
}

static size_t
find(const struct pb *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= b->n; i++)
		if (memcmp(b->p + i, s, n) == 0)
			return i;
	fail_msg("'%s' not in the file", s);
	return 0;
}

static size_t
find_from(const struct pb *b, size_t from, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = from; i + n <= b->n; i++)
		if (memcmp(b->p + i, s, n) == 0)
			return i;
	fail_msg("'%s' not in the file after %zu", s, from);
	return 0;
}

static int64_t
int_key(struct pdf_obj *o, const char *key)
{
	struct pdf_obj *v = pdf_dict_get(o, key);

	assert_non_null(v);
	assert_int_equal(v->kind, PDF_INT);
	return v->u.i;
}

/* --- tests ---------------------------------------------------------------- */

static void
classic_table(void **state)
{
	struct pb b;
	struct fx f;
	struct pdf_obj *o, *c, *again;
	const struct pdf_xref_ent *e;
	size_t sec = 99, at;

	(void)state;
	pb_init(&b);
	pb_simple(&b, "<< /Contents <00112233> /Str (a\\)b) >>");
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->encrypted, 0);
	assert_int_equal(f.doc->n_secs, 1);
	assert_int_equal(f.doc->secs[0].is_stream, 0);
	assert_int_equal(f.doc->secs[0].n, 4);
	assert_int_equal(f.doc->secs[0].eof_end, b.n);
	assert_int_equal(f.doc->secs[0].body_start, 0);
	assert_int_equal(f.doc->secs[0].xref_off, find(&b, "xref"));
	assert_int_equal(f.doc->trailing_off, 0);
	assert_int_equal(f.doc->n_notes, 0);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, b.n), 0);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, b.n - 1), -1);
	e = pdf_doc_entry(f.doc, 0, 3, &sec);
	assert_non_null(e);
	assert_int_equal(e->type, 1);
	assert_int_equal(e->off, b.off[3]);
	assert_int_equal(sec, 0);
	assert_int_equal(pdf_doc_entry(f.doc, 0, 0, NULL)->type, 0);
	assert_null(pdf_doc_entry(f.doc, 0, 9, NULL));
	assert_null(pdf_doc_entry(f.doc, 1, 3, NULL));
	assert_null(obj(&f, 0, 0));
	assert_null(obj(&f, 0, 9));
	o = obj(&f, 0, 3);
	assert_int_equal(o->kind, PDF_DICT);
	/* The string's span is exactly "<00112233>" in the file. */
	c = pdf_dict_get(o, "Contents");
	at = find(&b, "<00112233>");
	assert_int_equal(c->off, at);
	assert_int_equal(c->end, at + 10);
	assert_int_equal(c->in_objstm, 0);
	assert_memory_equal(pdf_dict_get(o, "Str")->u.s.p, "a)b", 3);
	/* Cached: the same entry gives the same object. */
	again = obj(&f, 0, 3);
	assert_ptr_equal(o, again);
	o = pdf_doc_get(f.doc, 0, obj(&f, 0, 1), "Pages", &f.d);
	assert_non_null(o);
	assert_true(pdf_name_is(pdf_dict_get(o, "Type"), "Pages"));
	arena_release(&f.a);
	pb_free(&b);
}

static void
incremental_update(void **state)
{
	static const unsigned upd[] = {3, 4};
	struct pb b;
	struct fx f;
	size_t len0, x0, sec = 99;
	char trailer[128];

	(void)state;
	pb_init(&b);
	pb_simple(&b, "<< /V 1 >>");
	len0 = b.n;
	x0 = find(&b, "xref");
	pb_obj(&b, 3, "<< /V 2 >>");
	pb_obj(&b, 4, "(new)");
	snprintf(trailer, sizeof(trailer), "/Size 5 /Root 1 0 R /Prev %zu", x0);
	pb_xref(&b, upd, 2, trailer, OWN_OFFSET);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->n_secs, 2);
	assert_int_equal(f.doc->secs[0].xref_off, x0);
	assert_int_equal(f.doc->secs[0].eof_end, len0);
	assert_int_equal(f.doc->secs[1].body_start, len0);
	assert_int_equal(f.doc->secs[1].eof_end, b.n);
	assert_int_equal(f.doc->secs[1].n, 2);
	assert_int_equal(f.doc->secs[1].nums[0], 3);
	assert_int_equal(f.doc->secs[1].nums[1], 4);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, len0), 0);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, b.n), 1);
	assert_int_equal(int_key(obj(&f, 0, 3), "V"), 1);
	assert_int_equal(int_key(obj(&f, 1, 3), "V"), 2);
	assert_null(obj(&f, 0, 4));
	assert_int_equal(obj(&f, 1, 4)->kind, PDF_STRING);
	assert_non_null(pdf_doc_entry(f.doc, 1, 3, &sec));
	assert_int_equal(sec, 1);
	assert_non_null(pdf_doc_entry(f.doc, 1, 2, &sec));
	assert_int_equal(sec, 0);
	arena_release(&f.a);
	pb_free(&b);
}

static void
xref_stream_and_object_stream(void **state)
{
	static const unsigned members[] = {1, 2};
	static const char *const bodies[] = {
	    "<< /Type /Catalog /Pages 2 0 R /Name (in a stream) >>",
	    "<< /Type /Pages /Kids [] /Count 0 >>"};
	static const char text[] = "BT (hello) Tj ET";
	struct xent e[5];
	struct pb b;
	struct fx f;
	struct pdf_obj *o;
	const uint8_t *data;
	size_t dl, zn;
	uint8_t *z;
	char dict[64];

	(void)state;
	pb_init(&b);
	pb_header(&b);
	z = zip(text, sizeof(text) - 1, &zn);
	snprintf(dict, sizeof(dict), "/Length %zu /Filter /FlateDecode", zn);
	pb_stream(&b, 3, dict, z, zn);
	free(z);
	pb_objstm(&b, 5, members, bodies, 2);
	e[0] = (struct xent){0, 0, 0, 65535};
	e[1] = (struct xent){1, 2, 5, 0};
	e[2] = (struct xent){2, 2, 5, 1};
	e[3] = (struct xent){3, 1, b.off[3], 0};
	e[4] = (struct xent){5, 1, b.off[5], 0};
	{
		struct xent all[6];

		memcpy(all, e, sizeof(e));
		all[5] = (struct xent){6, 1, OWN_OFFSET, 0};
		pb_xref_stream(&b, 6, all, 6, "/Size 7 /Root 1 0 R", 1);
	}
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->n_secs, 1);
	assert_int_equal(f.doc->secs[0].is_stream, 1);
	assert_int_equal(f.doc->secs[0].n, 6);
	assert_int_equal(f.doc->secs[0].eof_end, b.n);
	assert_true(
	    pdf_name_is(pdf_dict_get(f.doc->secs[0].trailer, "Type"), "XRef"));
	assert_int_equal(pdf_doc_entry(f.doc, 0, 1, NULL)->type, 2);
	assert_int_equal(pdf_doc_entry(f.doc, 0, 1, NULL)->off, 5);
	o = obj(&f, 0, 1);
	assert_true(pdf_name_is(pdf_dict_get(o, "Type"), "Catalog"));
	/* Spans of object-stream members index the decoded data. */
	assert_int_equal(o->in_objstm, 1);
	assert_int_equal(pdf_dict_get(o, "Name")->in_objstm, 1);
	assert_true(o->off < 100);
	o = obj(&f, 0, 2);
	assert_int_equal(int_key(o, "Count"), 0);
	o = obj(&f, 0, 3);
	assert_int_equal(o->kind, PDF_STREAM);
	assert_int_equal(o->in_objstm, 0);
	assert_int_equal(pdf_doc_stream(f.doc, 0, o, &data, &dl, &f.d), TTE_OK);
	assert_int_equal(dl, sizeof(text) - 1);
	assert_memory_equal(data, text, dl);
	arena_release(&f.a);
	pb_free(&b);
}

static void
hybrid_file(void **state)
{
	static const unsigned members[] = {4};
	static const char *const bodies[] = {"(hidden from PDF 1.4)"};
	static const unsigned nums[] = {0, 1, 2, 3, 4};
	struct xent e[2];
	struct pb b;
	struct fx f;
	struct pdf_obj *o;
	size_t xs;
	char trailer[128];

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>");
	pb_obj(&b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	pb_objstm(&b, 3, members, bodies, 1);
	e[0] = (struct xent){4, 2, 3, 0};
	e[1] = (struct xent){5, 1, OWN_OFFSET, 0};
	xs = pb_xref_stream(&b, 5, e, 2, "/Size 6", 0);
	/* The table marks 4 free, as hybrid writers do. */
	b.off[4] = 0;
	snprintf(trailer, sizeof(trailer), "/Size 6 /Root 1 0 R /XRefStm %zu",
	         xs);
	{
		size_t x = b.n, i;

		pb_fmt(&b, "xref\n0 5\n");
		for (i = 0; i < 5; i++) {
			if (nums[i] == 0 || nums[i] == 4)
				pb_fmt(&b, "0000000000 65535 f\r\n");
			else
				pb_fmt(&b, "%010zu 00000 n\r\n",
				       b.off[nums[i]]);
		}
		pb_fmt(&b, "trailer\n<< %s >>\nstartxref\n%zu\n%%%%EOF\n",
		       trailer, x);
	}
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->n_secs, 1);
	assert_int_equal(f.doc->secs[0].has_xrefstm, 1);
	assert_int_equal(f.doc->secs[0].is_stream, 0);
	assert_int_equal(pdf_doc_entry(f.doc, 0, 4, NULL)->type, 2);
	o = pdf_doc_get(f.doc, 0, obj(&f, 0, 1), "X", &f.d);
	assert_non_null(o);
	assert_int_equal(o->kind, PDF_STRING);
	assert_int_equal(o->in_objstm, 1);
	assert_int_equal(f.doc->secs[0].eof_end, b.n);
	arena_release(&f.a);
	pb_free(&b);
}

static void
linearized_revision_ends_at_the_file_end(void **state)
{
	static const unsigned fp[] = {4};
	static const unsigned main_nums[] = {0, 1, 2, 3};
	struct pb b;
	struct fx f;
	size_t xfp, xmain;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 4, "<< /Linearized 1 >>");
	xfp = pb_xref(&b, fp, 1, "/Size 5 /Root 1 0 R /Prev 0000000000", 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(&b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	pb_obj(&b, 3, "(page content)");
	xmain = pb_xref(&b, main_nums, 4, "/Size 4", xfp);
	pb_patch_prev(&b, 0, xmain);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->n_secs, 2);
	assert_int_equal(f.doc->secs[0].xref_off, xmain);
	assert_int_equal(f.doc->secs[1].xref_off, xfp);
	/* The first-page section's own "startxref 0" names nothing; the
	 * revision at the end of the file is both sections. */
	assert_int_equal(f.doc->secs[0].eof_end, 0);
	assert_int_equal(f.doc->secs[1].eof_end, b.n);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, b.n), 1);
	assert_int_equal(obj(&f, 1, 3)->kind, PDF_STRING);
	assert_int_equal(obj(&f, 1, 4)->kind, PDF_DICT);
	assert_int_equal(f.doc->trailing_off, 0);
	arena_release(&f.a);
	pb_free(&b);
}

/* The simple document with startxref giving `value` (from the xref
 * offset x: value(x)). */
static void
pb_simple_sx(struct pb *b, size_t add, size_t absolute)
{
	static const unsigned nums[] = {0, 1, 2, 3};

	pb_header(b);
	pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	pb_obj(b, 3, "(x)");
	pb_xref(b, nums, 4, "/Size 4 /Root 1 0 R",
	        absolute != 0 ? absolute : b->n + add);
}

static void
broken_startxref(void **state)
{
	struct pb b;
	struct fx f;
	size_t at;

	(void)state;
	/* Past the end: the nearest section found by scanning, noted. */
	pb_init(&b);
	pb_simple_sx(&b, 0, 99999);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_true(has_note(f.doc, "found by scanning"));
	arena_release(&f.a);
	pb_free(&b);
	/* A few bytes off: the xref keyword nearby, noted. */
	pb_init(&b);
	pb_simple_sx(&b, 2, 0);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_true(has_note(f.doc, "the cross-reference section is at"));
	/* The section keeps the offset startxref names: its revision is
	 * still found. */
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, b.n), 0);
	arena_release(&f.a);
	/* No number at all: recovery by scanning. */
	at = find(&b, "startxref\n") + 10;
	memcpy(b.p + at, "xyz", 3);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 1);
	assert_non_null(strstr(f.doc->recover_reason, "startxref"));
	assert_int_equal(f.doc->n_secs, 1);
	assert_int_equal(f.doc->secs[0].eof_end, b.n);
	assert_int_equal(obj(&f, 0, 3)->kind, PDF_STRING);
	assert_true(
	    pdf_name_is(pdf_dict_get(obj(&f, 0, 1), "Type"), "Catalog"));
	arena_release(&f.a);
	pb_free(&b);
}

static void
recovery_without_trailer_and_with_object_streams(void **state)
{
	static const unsigned members[] = {1, 2};
	static const char *const bodies[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [] /Count 0 >>"};
	struct pb b;
	struct fx f;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_objstm(&b, 5, members, bodies, 2);
	pb_obj(&b, 3, "(old)");
	pb_obj(&b, 3, "(new: the last definition wins)");
	pb_fmt(&b, "%%%%EOF\n");
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 1);
	assert_int_equal(obj(&f, 0, 1)->in_objstm, 1);
	assert_int_equal(obj(&f, 0, 3)->u.s.len,
	                 strlen("new: the last definition wins"));
	assert_true(has_note(f.doc, "no trailer found"));
	arena_release(&f.a);
	pb_free(&b);
}

static void
prev_loop(void **state)
{
	static const unsigned upd[] = {3};
	struct pb b;
	struct fx f;
	size_t x0, x1;
	char trailer[128];
	static const unsigned nums[] = {0, 1, 2, 3};

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(&b, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
	pb_obj(&b, 3, "(one)");
	x0 = pb_xref(&b, nums, 4, "/Size 4 /Root 1 0 R /Prev 0000000000",
	             OWN_OFFSET);
	pb_obj(&b, 3, "(two)");
	snprintf(trailer, sizeof(trailer), "/Size 4 /Root 1 0 R /Prev %zu", x0);
	x1 = pb_xref(&b, upd, 1, trailer, OWN_OFFSET);
	pb_patch_prev(&b, 0, x1);
	/* Newest -> oldest -> newest: read once each, then rebuilt. */
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 1);
	assert_non_null(strstr(f.doc->recover_reason, "loop"));
	assert_memory_equal(obj(&f, 0, 3)->u.s.p, "two", 3);
	arena_release(&f.a);
	pb_free(&b);
}

static void
prev_zero_follows_the_previous_startxref(void **state)
{
	static const unsigned upd[] = {3};
	struct pb b;
	struct fx f;

	(void)state;
	pb_init(&b);
	pb_simple(&b, "(one)");
	pb_obj(&b, 3, "(two)");
	pb_xref(&b, upd, 1, "/Size 4 /Root 1 0 R /Prev 0", OWN_OFFSET);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->n_secs, 2);
	assert_true(has_note(f.doc, "the startxref before"));
	assert_memory_equal(obj(&f, 0, 3)->u.s.p, "one", 3);
	assert_memory_equal(obj(&f, 1, 3)->u.s.p, "two", 3);
	arena_release(&f.a);
	pb_free(&b);
}

static void
nesting_bomb(void **state)
{
	struct pb b;
	struct fx f;
	char *deep;
	size_t n = 200000;

	(void)state;
	deep = malloc(n + 1);
	assert_non_null(deep);
	memset(deep, '[', n);
	deep[n] = 0;
	pb_init(&b);
	pb_simple(&b, deep);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(
	    pdf_doc_object(f.doc, 0, 3, &(struct pdf_obj *){NULL}, &f.d),
	    TTE_E_TOO_BIG);
	assert_int_equal(f.d.code, TTE_E_TOO_BIG);
	arena_release(&f.a);
	pb_free(&b);
	free(deep);
}

static void
flate_bomb(void **state)
{
	struct pb b;
	struct fx f;
	size_t n = 16UL << 20, z1n, z2n;
	uint8_t *zeros = calloc(n, 1), *z1, *z2;
	const uint8_t *out;
	size_t len;
	char dict[96];

	(void)state;
	assert_non_null(zeros);
	z1 = zip(zeros, n, &z1n);
	z2 = zip(z1, z1n, &z2n);
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	snprintf(dict, sizeof(dict),
	         "/Length %zu /Filter [/FlateDecode /FlateDecode]", z2n);
	pb_stream(&b, 2, dict, z2, z2n);
	{
		static const unsigned nums[] = {0, 1, 2};

		pb_xref(&b, nums, 3, "/Size 3 /Root 1 0 R", OWN_OFFSET);
	}
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	/* 16 MiB out of a few hundred bytes: over PDF_MAX_RATIO. */
	assert_int_equal(
	    pdf_doc_stream(f.doc, 0, obj(&f, 0, 2), &out, &len, &f.d),
	    TTE_E_TOO_BIG);
	assert_int_equal(f.d.code, TTE_E_TOO_BIG);
	arena_release(&f.a);
	pb_free(&b);
	free(z2);
	free(z1);
	free(zeros);
}

static void
stream_lengths(void **state)
{
	static const unsigned nums[] = {0, 1, 2, 3, 4, 5, 6};
	static const char data[] = "0123456789abcdefghij";
	struct pb b;
	struct fx f;
	struct pdf_obj *o;
	const uint8_t *out;
	size_t len;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_stream(&b, 2, "/Length 5", data, 20);     /* wrong */
	pb_stream(&b, 3, "/Length 4 0 R", data, 20); /* indirect */
	pb_obj(&b, 4, "20");
	pb_stream(&b, 5, "/Length 99999", data, 20); /* past the end */
	pb_stream(&b, 6, "/Length 6 0 R", data, 20); /* itself */
	pb_xref(&b, nums, 7, "/Size 7 /Root 1 0 R", OWN_OFFSET);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->n_notes, 0);
	o = obj(&f, 0, 3);
	assert_int_equal(o->u.st.data_len, 20);
	assert_int_equal(o->u.st.data_off, find_from(&b, b.off[3], data));
	assert_int_equal(f.doc->n_notes, 0);
	assert_int_equal(pdf_doc_stream(f.doc, 0, o, &out, &len, &f.d), TTE_OK);
	assert_int_equal(len, 20);
	assert_memory_equal(out, data, 20);
	o = obj(&f, 0, 2);
	assert_int_equal(o->u.st.data_len, 20);
	assert_int_equal(o->end, find(&b, "endstream") + 9);
	assert_true(has_note(f.doc, "/Length 5 does not end at 'endstream'"));
	assert_int_equal(obj(&f, 0, 5)->u.st.data_len, 20);
	assert_int_equal(obj(&f, 0, 6)->u.st.data_len, 20);
	assert_int_equal(f.doc->n_notes, 3);
	arena_release(&f.a);
	pb_free(&b);
}

static void
truncated_files(void **state)
{
	struct pb b;
	struct fx f;
	size_t full;

	(void)state;
	pb_init(&b);
	pb_simple(&b, "(x)");
	full = b.n;
	/* Nothing at all. */
	b.n = 0;
	assert_int_equal(open_pb(&f, &b), TTE_E_TRUNCATED);
	arena_release(&f.a);
	/* Only the header: nothing to recover. */
	b.n = 10;
	assert_int_equal(open_pb(&f, &b), TTE_E_MALFORMED);
	assert_int_equal(f.d.code, TTE_E_MALFORMED);
	assert_null(f.doc);
	arena_release(&f.a);
	/* Cut inside the xref table: the objects are still found. */
	b.n = full;
	b.n = find(&b, "trailer");
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 1);
	assert_int_equal(obj(&f, 0, 3)->kind, PDF_STRING);
	arena_release(&f.a);
	pb_free(&b);
	/* A stream cut before its end. */
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	b.off[2] = b.n;
	pb_fmt(&b, "2 0 obj\n<< /Length 1000 >>\nstream\nabc");
	{
		static const unsigned nums[] = {0, 1, 2};

		pb_xref(&b, nums, 3, "/Size 3 /Root 1 0 R", OWN_OFFSET);
	}
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(
	    pdf_doc_object(f.doc, 0, 2, &(struct pdf_obj *){NULL}, &f.d),
	    TTE_E_TRUNCATED);
	arena_release(&f.a);
	pb_free(&b);
}

static void
oversized(void **state)
{
	struct pb b;
	struct fx f;
	struct xent e[1] = {{0, 0, 0, 65535}};

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_fmt(&b, "xref\n0 3000000\n0000000000 65535 f\r\n");
	pb_fmt(&b,
	       "trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%zu\n"
	       "%%%%EOF\n",
	       find(&b, "xref"));
	assert_int_equal(open_pb(&f, &b), TTE_E_TOO_BIG);
	assert_int_equal(f.d.code, TTE_E_TOO_BIG);
	arena_release(&f.a);
	pb_free(&b);
	pb_init(&b);
	pb_header(&b);
	pb_xref_stream(&b, 1, e, 1, "/Size 3000000", 1);
	assert_int_equal(open_pb(&f, &b), TTE_E_TOO_BIG);
	arena_release(&f.a);
	pb_free(&b);
}

static void
trailing_garbage(void **state)
{
	struct pb b;
	struct fx f;
	size_t len0;

	(void)state;
	pb_init(&b);
	pb_simple(&b, "(x)");
	len0 = b.n;
	pb_fmt(&b, "\r\n  \n");
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->trailing_off, 0);
	arena_release(&f.a);
	pb_fmt(&b, "4 0 obj (appended without an xref) endobj\n");
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(f.doc->trailing_off, len0 + 5);
	assert_int_equal(pdf_doc_rev_ending_at(f.doc, len0), 0);
	assert_null(pdf_doc_entry(f.doc, 0, 4, NULL));
	arena_release(&f.a);
	pb_free(&b);
}

static void
encrypted(void **state)
{
	static const unsigned nums[] = {0, 1, 2};
	struct pb b;
	struct fx f;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_obj(&b, 2, "<< /Filter /Standard /V 2 /R 3 >>");
	pb_xref(&b, nums, 3, "/Size 3 /Root 1 0 R /Encrypt 2 0 R", OWN_OFFSET);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->encrypted, 1);
	assert_int_equal(f.doc->recovered, 0);
	arena_release(&f.a);
	pb_free(&b);
}

static void
loops_and_mismatches(void **state)
{
	static const unsigned nums[] = {0, 1, 2, 5, 6, 7};
	struct pb b;
	struct fx f;
	struct pdf_obj *o = NULL, ref;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_obj(&b, 2, "(two)");
	pb_obj(&b, 5, "6 0 R");
	pb_obj(&b, 6, "5 0 R");
	pb_obj(&b, 7, "(seven)");
	b.off[7] = b.off[2]; /* the xref sends 7 to object 2 */
	pb_xref(&b, nums, 6, "/Size 8 /Root 1 0 R", OWN_OFFSET);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	memset(&ref, 0, sizeof(ref));
	ref.kind = PDF_REF;
	ref.u.ref.num = 5;
	assert_int_equal(pdf_doc_resolve(f.doc, 0, &ref, &o, &f.d),
	                 TTE_E_TOO_BIG);
	diag_clear(&f.d);
	assert_int_equal(pdf_doc_object(f.doc, 0, 7, &o, &f.d),
	                 TTE_E_MALFORMED);
	assert_non_null(strstr(f.d.msg, "is 2 0"));
	diag_clear(&f.d);
	ref.u.ref.num = 2;
	ref.u.ref.gen = 1;
	assert_int_equal(pdf_doc_resolve(f.doc, 0, &ref, &o, &f.d),
	                 TTE_E_MALFORMED);
	ref.u.ref.gen = 0;
	assert_int_equal(pdf_doc_resolve(f.doc, 0, &ref, &o, NULL), TTE_OK);
	assert_int_equal(o->kind, PDF_STRING);
	assert_null(pdf_doc_get(f.doc, 0, obj(&f, 0, 1), "Missing", NULL));
	arena_release(&f.a);
	pb_free(&b);
}

static void
object_stream_inside_itself(void **state)
{
	static const unsigned members[] = {1};
	static const char *const bodies[] = {"<< /Type /Catalog >>"};
	struct xent e[4];
	struct pb b;
	struct fx f;
	struct pdf_obj *o = NULL;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_objstm(&b, 5, members, bodies, 1);
	e[0] = (struct xent){1, 1, b.off[1], 0};
	e[1] = (struct xent){2, 2, 5, 0};
	e[2] = (struct xent){5, 2, 5, 1}; /* the stream, in itself */
	e[3] = (struct xent){6, 1, OWN_OFFSET, 0};
	pb_xref_stream(&b, 6, e, 4, "/Size 7 /Root 1 0 R", 1);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_int_equal(pdf_doc_object(f.doc, 0, 2, &o, &f.d),
	                 TTE_E_MALFORMED);
	assert_non_null(strstr(f.d.msg, "inside an object stream"));
	arena_release(&f.a);
	pb_free(&b);
}

static void
off_by_one_subsection(void **state)
{
	struct pb b;
	struct fx f;
	size_t x;

	(void)state;
	pb_init(&b);
	pb_header(&b);
	pb_obj(&b, 1, "<< /Type /Catalog >>");
	pb_obj(&b, 2, "(two)");
	x = b.n;
	pb_fmt(&b,
	       "xref\n1 3\n0000000000 65535 f \n%010zu 00000 n \n"
	       "%010zu 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\n"
	       "startxref\n%zu\n%%%%EOF",
	       b.off[1], b.off[2], x);
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->recovered, 0);
	assert_true(has_note(f.doc, "starts at 1"));
	assert_int_equal(obj(&f, 0, 2)->kind, PDF_STRING);
	/* No end of line after %%EOF: the revision ends right there. */
	assert_int_equal(f.doc->secs[0].eof_end, b.n);
	arena_release(&f.a);
	pb_free(&b);
}

static void
many_revisions(void **state)
{
	struct pb b;
	struct fx f;
	size_t x;
	char body[32], trailer[96];
	unsigned upd[] = {3};
	const size_t n = 40;

	(void)state;
	pb_init(&b);
	pb_simple(&b, "<< /V 0 >>");
	x = find(&b, "xref");
	for (size_t k = 1; k < n; k++) {
		snprintf(body, sizeof(body), "<< /V %zu >>", k);
		pb_obj(&b, 3, body);
		snprintf(trailer, sizeof(trailer),
		         "/Size 4 /Root 1 0 R /Prev %zu", x);
		x = pb_xref(&b, upd, 1, trailer, OWN_OFFSET);
	}
	assert_int_equal(open_pb(&f, &b), TTE_OK);
	assert_int_equal(f.doc->n_secs, n);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(int_key(obj(&f, k, 3), "V"), (int64_t)k);
		assert_true(f.doc->secs[k].eof_end != 0);
		assert_int_equal(
		    pdf_doc_rev_ending_at(f.doc, f.doc->secs[k].eof_end),
		    (long)k);
	}
	assert_int_equal(obj(&f, n - 1, 1)->kind, PDF_DICT);
	arena_release(&f.a);
	pb_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(classic_table),
	    cmocka_unit_test(incremental_update),
	    cmocka_unit_test(xref_stream_and_object_stream),
	    cmocka_unit_test(hybrid_file),
	    cmocka_unit_test(linearized_revision_ends_at_the_file_end),
	    cmocka_unit_test(broken_startxref),
	    cmocka_unit_test(recovery_without_trailer_and_with_object_streams),
	    cmocka_unit_test(prev_loop),
	    cmocka_unit_test(prev_zero_follows_the_previous_startxref),
	    cmocka_unit_test(nesting_bomb),
	    cmocka_unit_test(flate_bomb),
	    cmocka_unit_test(stream_lengths),
	    cmocka_unit_test(truncated_files),
	    cmocka_unit_test(oversized),
	    cmocka_unit_test(trailing_garbage),
	    cmocka_unit_test(encrypted),
	    cmocka_unit_test(loops_and_mismatches),
	    cmocka_unit_test(object_stream_inside_itself),
	    cmocka_unit_test(off_by_one_subsection),
	    cmocka_unit_test(many_revisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
