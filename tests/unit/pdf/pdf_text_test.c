/*
 * Tests for verifier/pdf/pdf_text.c over small PDFs built here as bytes:
 * encodings (WinAnsi, Differences, Type0 + ToUnicode), layout (Tj, TJ
 * kerning, T*), form XObjects, inline images, documents without text or
 * with fonts that cannot be decoded, and hostile structure (looping and
 * fanning-out forms, a page tree that contains itself).
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

#include "../../../verifier/pdf/pdf_statement.h"
#include "../../../verifier/pdf/pdf_text.h"

#define MAX_OBJS 64

/* A PDF under construction: objects are appended in any order and the
 * xref section lists those written since the last one. */
struct pdfb {
	char *buf;
	size_t len, cap;
	size_t off[MAX_OBJS];
	int in_sec[MAX_OBJS];
	size_t last_xref; /* 0: none yet */
};

static void
b_add(struct pdfb *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->buf = realloc(b->buf, b->cap);
		assert_non_null(b->buf);
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void b_printf(struct pdfb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
b_printf(struct pdfb *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	b_add(b, tmp, (size_t)n);
}

static void
b_init(struct pdfb *b)
{
	memset(b, 0, sizeof(*b));
	b_add(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
}

static void
b_obj(struct pdfb *b, int num, const char *body)
{
	assert_true(num > 0 && num < MAX_OBJS);
	b->off[num] = b->len;
	b->in_sec[num] = 1;
	b_printf(b, "%d 0 obj\n%s\nendobj\n", num, body);
}

/* A stream object; compressed with zlib when z is set. */
static void
b_stream(struct pdfb *b, int num, const char *dict, const void *data,
	 size_t n, int z)
{
	unsigned char *zbuf = NULL;
	uLongf zlen = compressBound((uLong)n);

	assert_true(num > 0 && num < MAX_OBJS);
	b->off[num] = b->len;
	b->in_sec[num] = 1;
	if (z) {
		zbuf = malloc(zlen);
		assert_non_null(zbuf);
		assert_int_equal(compress(zbuf, &zlen, data, (uLong)n), Z_OK);
		data = zbuf;
		n = zlen;
	}
	b_printf(b, "%d 0 obj\n<< %s /Length %zu%s >>\nstream\n", num, dict, n,
		 z ? " /Filter /FlateDecode" : "");
	b_add(b, data, n);
	b_printf(b, "\nendstream\nendobj\n");
	free(zbuf);
}

static void
b_stream_s(struct pdfb *b, int num, const char *dict, const char *s, int z)
{
	b_stream(b, num, dict, s, strlen(s), z);
}

static void
b_content(struct pdfb *b, int num, const char *s, int z)
{
	b_stream(b, num, "", s, strlen(s), z);
}

/* Closes a section: xref table (one subsection per object) and trailer. */
static void
b_finish(struct pdfb *b, int root)
{
	size_t xref = b->len;
	int size = 1;

	b_printf(b, "xref\n");
	if (b->last_xref == 0)
		b_printf(b, "0 1\n0000000000 65535 f \n");
	for (int i = 1; i < MAX_OBJS; i++) {
		if (b->off[i] != 0)
			size = i + 1;
		if (!b->in_sec[i])
			continue;
		b_printf(b, "%d 1\n%010zu 00000 n \n", i, b->off[i]);
		b->in_sec[i] = 0;
	}
	b_printf(b, "trailer\n<< /Size %d /Root %d 0 R", size, root);
	if (b->last_xref != 0)
		b_printf(b, " /Prev %zu", b->last_xref);
	b_printf(b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	b->last_xref = xref;
}

/* Catalog 1, one page 3 under pages 2 with content 5 and /F1 = 4. */
static void
b_page(struct pdfb *b, const char *res_extra)
{
	char res[2048];

	b_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	b_obj(b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	snprintf(res, sizeof(res),
		 "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		 "/Resources << /Font << /F1 4 0 R >> %s >> /Contents 5 0 R >>",
		 res_extra);
	b_obj(b, 3, res);
}

static const char *helvetica =
	"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
	"/Encoding /WinAnsiEncoding >>";

struct got {
	struct arena a;
	struct pdf_text_stats st;
	const char *text;
	size_t len;
	tte_err rc;
	struct diag d;
};

/* Extracts the text of the last revision (or of rev when >= 0). */
static void
extract(struct pdfb *b, long rev, struct got *g)
{
	struct pdf_doc *pd = NULL;

	arena_init(&g->a);
	diag_clear(&g->d);
	assert_int_equal(pdf_doc_open((const uint8_t *)b->buf, b->len, &g->a,
				      &pd, &g->d),
			 TTE_OK);
	assert_int_equal(pd->recovered, 0);
	g->rc = pdf_text_extract_stats(pd, rev >= 0 ? (size_t)rev :
						      pd->n_secs - 1,
				       &g->text, &g->len, &g->st, &g->d);
}

static void
got_release(struct got *g, struct pdfb *b)
{
	arena_release(&g->a);
	free(b->buf);
}

static void
winansi_tj_tj_kerning_tstar(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5,
		  "BT /F1 12 Tf 14 TL 72 700 Td (Dokumen ) Tj (ini) Tj\n"
		  "[( tel) 10 (ah )] TJ [(di) -300 (tanda)] TJ T*\n"
		  "(tangani \\351) Tj 0 -14 Td (\\(BSrE\\)) Tj\n"
		  "(x) ' 1 2 (y) \" ET",
		  1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "Dokumen ini telah di tanda\ntangani "
				    "\xc3\xa9\n(BSrE)\nx\ny");
	assert_int_equal(g.len, strlen(g.text));
	assert_int_equal(g.st.text_ops, 8);
	assert_int_equal(g.st.undecodable, 0);
	assert_int_equal(g.st.pages, 1);
	got_release(&g, &b);
}

static void
text_in_form_xobject(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "/XObject << /Fm1 6 0 R /Im1 8 0 R >>");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5,
		  "BT /F1 10 Tf 72 700 Td (Page) Tj ET\n"
		  "q 1 0 0 1 50 50 cm /Fm1 Do /Im1 Do Q /Missing Do", 0);
	/* The form's own resources name the font /G; its inner form uses
	 * the resources it inherits. */
	b_stream_s(&b, 6,
		 "/Type /XObject /Subtype /Form /BBox [0 0 100 100] "
		 "/Matrix [1 0 0 1 0 0] /Resources << /Font << /G 4 0 R >> "
		 "/XObject << /In 7 0 R >> >>",
		 "BT /G 10 Tf (Hello form) Tj ET /In Do", 1);
	b_stream_s(&b, 7, "/Subtype /Form /BBox [0 0 10 10]",
		 "BT /G 8 Tf 0 -20 Td (inner) Tj ET", 0);
	b_stream(&b, 8, "/Subtype /Image /Width 1 /Height 1 "
			"/BitsPerComponent 8 /ColorSpace /DeviceGray",
		 "\x00", 1, 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "Page\nHello form\ninner");
	assert_int_equal(g.st.text_ops, 3);
	assert_int_equal(g.st.undecodable, 0);
	got_release(&g, &b);
}

static void
differences_encoding(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "/Font << /F1 4 0 R /F2 6 0 R >>");
	b_obj(&b, 4,
	      "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Custom "
	      "/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding "
	      "/Differences [65 /B /uni0053 /u0072 /E.sc /f_i /quoteright "
	      "/g17 200 /germandbls /Scaron] >> >>");
	/* MacRoman through the name, and a Type 3 font whose Differences
	 * name glyphs in the usual way. */
	b_obj(&b, 6,
	      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] "
	      "/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> "
	      "/Encoding << /Differences [1 /d /i /t /a /n /space] >> "
	      "/FirstChar 1 /LastChar 6 /Widths [500 500 500 500 500 250] >>");
	b_content(&b, 5,
		  "BT /F1 12 Tf (ABCDEFG\\310\\311) Tj /F2 12 Tf "
		  "(\\006\\001\\002\\003\\004\\005\\007) Tj ET",
		  1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "BSrEfi\xe2\x80\x99\xef\xbf\xbd"
				    "\xc3\x9f\xc5\xa0 ditan\xef\xbf\xbd");
	assert_int_equal(g.st.undecodable, 2); /* /g17 and code 7 */
	got_release(&g, &b);
}

static const char *tounicode =
	"/CIDInit /ProcSet findresource begin\n"
	"12 dict begin\nbegincmap\n"
	"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
	"3 beginbfchar\n<0001> <0042>\n<0002> <00530072>\n"
	"<0003> <D835DC00>\nendbfchar\n"
	"2 beginbfrange\n<0010> <0019> <0061>\n"
	"<0020> <0021> [<0066006C> <00E9>]\nendbfrange\n"
	"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

static void
type0_identity_h_tounicode(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4,
	      "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial "
	      "/Encoding /Identity-H /DescendantFonts [6 0 R] "
	      "/ToUnicode 7 0 R >>");
	b_obj(&b, 6,
	      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Arial "
	      "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
	      "/Supplement 0 >> /DW 1000 /W [1 [500 600] 16 25 550] >>");
	b_stream(&b, 7, "", tounicode, strlen(tounicode), 1);
	b_content(&b, 5,
		  "BT /F1 12 Tf 72 700 Td <0001 0002 0010 0014> Tj "
		  "[<0020> -250 <0021 0003 0099>] TJ ET",
		  1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "BSraefl \xc3\xa9\xf0\x9d\x90\x80"
				    "\xef\xbf\xbd");
	assert_int_equal(g.st.undecodable, 1); /* <0099> */
	assert_int_equal(g.st.text_ops, 2);
	got_release(&g, &b);
}

static void
font_without_tounicode_is_undecodable(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4,
	      "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial "
	      "/Encoding /Identity-H /DescendantFonts [6 0 R] >>");
	b_obj(&b, 6, "<< /Type /Font /Subtype /CIDFontType2 "
		     "/BaseFont /ABCDEF+Arial >>");
	b_content(&b, 5, "BT /F1 12 Tf <00410042> Tj ET", 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(g.st.undecodable, 2);
	assert_int_equal(g.st.text_ops, 1);
	assert_int_equal(pdf_statement_match(g.text, g.len, g.st.text_ops,
					     g.st.undecodable != 0, NULL),
			 TTE_STMT_UNKNOWN);
	got_release(&g, &b);
}

static void
inline_image_bytes_are_not_operators(void **state)
{
	static const char content[] =
		"BT /F1 12 Tf 72 700 Td (before) Tj ET\n"
		/* Unfiltered, 12 bytes: skipped by its computed size. */
		"BI /W 12 /H 1 /BPC 8 /CS /G ID  EI (bad) Tj\nEI\n"
		/* Filtered: the first " EI " is followed by binary. */
		"BI /W 4 /H 4 /BPC 8 /CS /RGB /F /Fl ID \x78\x9c EI \x01\x02"
		"\xff (bad) Tj EI Q\n"
		/* An image mask whose data is "EI" itself. */
		"BI /IM true /W 16 /H 1 ID EI EI\n"
		"BT /F1 12 Tf 72 680 Td (after) Tj ET";
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_stream(&b, 5, "", content, sizeof(content) - 1, 1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "before\nafter");
	assert_int_equal(g.st.text_ops, 2);
	assert_int_equal(g.st.problems, 0);
	got_release(&g, &b);
}

static void
inline_image_without_end(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, "BT /F1 12 Tf (a) Tj ET BI /W 9 /F /DCT ID \x01\x02", 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "a");
	assert_int_equal(g.st.undecodable, 1);
	assert_int_equal(g.st.problems, 1);
	got_release(&g, &b);
}

static void
no_text_at_all(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	b_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>");
	b_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
	b_obj(&b, 6, "<< /Type /Page /Parent 2 0 R >>");
	b_content(&b, 5, "0 0 m 100 100 l S BT ET", 1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "\f"); /* one page break */
	assert_int_equal(g.len, 1);
	assert_int_equal(g.st.text_ops, 0);
	assert_int_equal(g.st.pages, 2);
	assert_int_equal(pdf_statement_match(g.text, g.len, g.st.text_ops, 0, NULL),
			 TTE_STMT_NO_TEXT);
	got_release(&g, &b);
}

static void
pages_in_order_with_inherited_resources(void **state)
{
	struct pdfb b;
	struct got g;
	int ops = -1;
	struct pdf_doc *pd = NULL;

	(void)state;
	b_init(&b);
	b_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	b_obj(&b, 2, "<< /Type /Pages /Kids [7 0 R 3 0 R] /Count 2 "
		     "/Resources << /Font << /F1 4 0 R >> >> >>");
	b_obj(&b, 7, "<< /Type /Pages /Parent 2 0 R /Kids [6 0 R] /Count 1 >>");
	b_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /Contents [5 0 R 8 0 R] >>");
	b_obj(&b, 6, "<< /Type /Page /Parent 7 0 R /Contents 9 0 R >>");
	b_obj(&b, 4, helvetica);
	/* Operands in one stream, the operator in the next. */
	b_content(&b, 5, "BT /F1 12 Tf (second)", 1);
	b_content(&b, 8, "Tj ET", 0);
	b_content(&b, 9, "BT /F1 12 Tf (first) Tj ET", 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "first\fsecond");
	assert_int_equal(g.st.pages, 2);
	/* The plain entry point gives the same. */
	diag_clear(&g.d);
	assert_int_equal(pdf_doc_open((const uint8_t *)b.buf, b.len, &g.a, &pd,
				      &g.d),
			 TTE_OK);
	assert_int_equal(pdf_text_extract(pd, 0, &g.text, &g.len, &ops, &g.d),
			 TTE_OK);
	assert_int_equal(ops, 2);
	assert_string_equal(g.text, "first\fsecond");
	assert_int_equal(pdf_text_extract(pd, 1, &g.text, &g.len, &ops, &g.d),
			 TTE_E_USAGE);
	assert_null(g.text);
	got_release(&g, &b);
}

static void
revisions_are_separate(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, "BT /F1 12 Tf (old) Tj ET", 0);
	b_finish(&b, 1);
	b_content(&b, 5, "BT /F1 12 Tf (new) Tj ET", 0);
	b_finish(&b, 1);
	extract(&b, 0, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "old");
	arena_release(&g.a);
	extract(&b, 1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "new");
	got_release(&g, &b);
}

static void
looping_forms_terminate(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "/XObject << /A 6 0 R >>");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, "/A Do BT /F1 12 Tf 100 0 Td (end) Tj ET", 0);
	/* A paints B, B paints A. */
	b_stream_s(&b, 6, "/Subtype /Form /Resources << /XObject << /B 7 0 R >> "
			  "/Font << /F1 4 0 R >> >>",
		   "BT /F1 9 Tf (a) Tj ET /B Do", 0);
	b_stream_s(&b, 7, "/Subtype /Form /Resources << /XObject << /A 6 0 R >> "
			  "/Font << /F1 4 0 R >> >>",
		   "/A Do", 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "a end");
	assert_true(g.st.undecodable > 0);
	assert_true(g.st.problems > 0);
	assert_non_null(g.st.first_problem);
	got_release(&g, &b);
}

static void
deep_and_fanning_forms_terminate(void **state)
{
	struct pdfb b;
	struct got g;
	char dict[256], body[256];

	(void)state;
	b_init(&b);
	b_page(&b, "/XObject << /X 10 0 R >>");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, "/X Do", 0);
	/* Forms 10..39 each paint the next ten times, with text: without
	 * limits 10^30 paintings. */
	for (int i = 10; i < 40; i++) {
		snprintf(dict, sizeof(dict),
			 "/Subtype /Form /Resources << /Font << /F1 4 0 R >> "
			 "/XObject << /X %d 0 R >> >>",
			 i + 1);
		snprintf(body, sizeof(body), "BT /F1 1 Tf (%c) Tj ET "
			 "/X Do /X Do /X Do /X Do /X Do /X Do /X Do /X Do "
			 "/X Do /X Do", 'a' + i % 26);
		b_stream(&b, i, dict, body, strlen(body), 0);
	}
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_E_TOO_BIG);
	assert_int_equal(g.d.code, TTE_E_TOO_BIG);
	/* What came before the limit is kept. */
	assert_non_null(g.text);
	assert_true(g.len > 1000);
	assert_true(g.st.text_ops > 1000);
	got_release(&g, &b);
}

static void
page_tree_loop_terminates(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	b_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 2 "
		     "/Resources << /Font << /F1 4 0 R >> >> >>");
	b_obj(&b, 6, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
	b_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, "BT /F1 12 Tf (only) Tj ET", 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_string_equal(g.text, "only");
	assert_int_equal(g.st.pages, 1);
	assert_int_equal(g.st.problems, 2);
	got_release(&g, &b);
}

static void
garbage_content_is_skipped(void **state)
{
	static const char content[] =
		"BT /F1 12 Tf ) > (one) Tj {x} 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 "
		"8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 "
		"9 0 1 2 3 4 5 6 7 8 9 0 ( two) Tj [(three) <zz> ] TJ Tj TJ ' "
		"/NoSuchFont 12 Tf (four) Tj ET (unterminated";
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_stream(&b, 5, "", content, sizeof(content) - 1, 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	/* "three" is lost with its broken array; "four" has no font. */
	assert_string_equal(g.text, "one two\xef\xbf\xbd\xef\xbf\xbd"
				    "\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(g.st.undecodable, 4);
	got_release(&g, &b);
}

static void
broken_content_stream_counts_as_unknown(void **state)
{
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_stream(&b, 5, "/Filter /FlateDecode", "not zlib", 8, 0);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_int_equal(g.st.text_ops, 0);
	assert_int_equal(g.st.undecodable, 1);
	assert_non_null(g.st.first_problem);
	assert_int_equal(pdf_statement_match(g.text, g.len, g.st.text_ops,
					     g.st.undecodable != 0, NULL),
			 TTE_STMT_UNKNOWN);
	got_release(&g, &b);
}

static void
statement_found_in_extracted_text(void **state)
{
	static const char content[] =
		"BT /F1 8 Tf 10 TL 40 40 Td\n"
		"[(Dokumen ini telah ditanda-)] TJ T*\n"
		"[(tangani secara elektronik menggunakan sertifikat elektronik "
		"yang di)-20(terbitkan oleh Balai Ser)10(tifikasi)] TJ T*\n"
		"(Elektronik \\(BSrE\\), Badan Siber dan Sandi Negara) Tj ET";
	struct pdfb b;
	struct got g;

	(void)state;
	b_init(&b);
	b_page(&b, "");
	b_obj(&b, 4, helvetica);
	b_content(&b, 5, content, 1);
	b_finish(&b, 1);
	extract(&b, -1, &g);
	assert_int_equal(g.rc, TTE_OK);
	assert_int_equal(pdf_statement_match(g.text, g.len, g.st.text_ops,
					     g.st.undecodable != 0, NULL),
			 TTE_STMT_EXACT);
	got_release(&g, &b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(winansi_tj_tj_kerning_tstar),
		cmocka_unit_test(text_in_form_xobject),
		cmocka_unit_test(differences_encoding),
		cmocka_unit_test(type0_identity_h_tounicode),
		cmocka_unit_test(font_without_tounicode_is_undecodable),
		cmocka_unit_test(inline_image_bytes_are_not_operators),
		cmocka_unit_test(inline_image_without_end),
		cmocka_unit_test(no_text_at_all),
		cmocka_unit_test(pages_in_order_with_inherited_resources),
		cmocka_unit_test(revisions_are_separate),
		cmocka_unit_test(looping_forms_terminate),
		cmocka_unit_test(deep_and_fanning_forms_terminate),
		cmocka_unit_test(page_tree_loop_terminates),
		cmocka_unit_test(garbage_content_is_skipped),
		cmocka_unit_test(broken_content_stream_counts_as_unknown),
		cmocka_unit_test(statement_found_in_extracted_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
