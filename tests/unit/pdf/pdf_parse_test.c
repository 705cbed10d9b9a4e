/* Tests for verifier/pdf/pdf_parse.c: objects, references, limits and
 * structural equality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/pdf/pdf_obj.h"

struct fx {
	struct arena a;
	struct pdf_lex lx;
	struct diag d;
	const char *src;
};

static void
start_n(struct fx *f, const char *s, size_t n)
{
	arena_init(&f->a);
	diag_clear(&f->d);
	f->src = s;
	pdf_lex_init(&f->lx, (const uint8_t *)s, n, &f->a);
}

static void
start(struct fx *f, const char *s)
{
	start_n(f, s, strlen(s));
}

static tte_err
parse(struct fx *f, struct pdf_obj **o)
{
	return pdf_parse_obj(&f->lx, o, &f->d);
}

static void
scalars_and_lookahead(void **state)
{
	struct fx f;
	struct pdf_obj *o;
	struct pdf_tok t;

	(void)state;
	start(&f, "1 2 3 0 R true null 4.5 (s) /N 7 0 obj");
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_INT);
	assert_int_equal(o->u.i, 1);
	/* The lookahead was given back: the next object is 2. */
	assert_int_equal(f.lx.r.off, 2);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->u.i, 2);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_REF);
	assert_int_equal(o->u.ref.num, 3);
	assert_int_equal(o->u.ref.gen, 0);
	assert_int_equal(o->off, 4);
	assert_int_equal(o->end, 9);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_BOOL);
	assert_int_equal(o->u.b, 1);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_NULL);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_REAL);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_STRING);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_true(pdf_name_is(o, "N"));
	/* "7 0 obj" is not a reference: 7, then the lexer is at 0. */
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->u.i, 7);
	assert_int_equal(pdf_lex_next(&f.lx, &t, &f.d), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_INT);
	assert_int_equal(t.i, 0);
	arena_release(&f.a);
}

static void
containers_and_spans(void **state)
{
	static const char src[] = "<< /Type /Sig /Contents <0A0B> /ByteRange "
	                          "[0 10 20 30] /R 5 0 R /D << /X [1 2 R] >> "
	                          "/Type /Dup >>";
	struct fx f;
	struct pdf_obj *o, *v;

	(void)state;
	start(&f, src);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_DICT);
	assert_int_equal(o->off, 0);
	assert_int_equal(o->end, sizeof(src) - 1);
	assert_int_equal(o->u.d.n, 6);
	assert_int_equal(o->in_objstm, 0);
	/* Duplicates are kept; the last one counts. */
	assert_true(pdf_name_is(pdf_dict_get(o, "Type"), "Dup"));
	v = pdf_dict_get(o, "Contents");
	assert_int_equal(v->kind, PDF_STRING);
	assert_int_equal(v->u.s.hex, 1);
	assert_int_equal(v->u.s.len, 2);
	assert_int_equal(src[v->off], '<');
	assert_int_equal(src[v->end - 1], '>');
	assert_int_equal(v->end - v->off, 6);
	v = pdf_dict_get(o, "ByteRange");
	assert_int_equal(v->kind, PDF_ARRAY);
	assert_int_equal(v->u.a.n, 4);
	assert_int_equal(v->u.a.v[3]->u.i, 30);
	assert_int_equal(pdf_dict_get(o, "R")->kind, PDF_REF);
	/* "1 2 R" inside an array is one reference. */
	v = pdf_dict_get(pdf_dict_get(o, "D"), "X");
	assert_int_equal(v->u.a.n, 1);
	assert_int_equal(v->u.a.v[0]->u.ref.num, 1);
	assert_int_equal(v->u.a.v[0]->u.ref.gen, 2);
	assert_null(pdf_dict_get(o, "Missing"));
	assert_null(pdf_dict_get(v, "X"));
	assert_false(pdf_name_is(NULL, "X"));
	arena_release(&f.a);
}

static void
objects_from_an_object_stream_are_marked(void **state)
{
	struct fx f;
	struct pdf_obj *o;

	(void)state;
	start(&f, "[<< /A (x) >>]");
	f.lx.in_objstm = 1;
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->in_objstm, 1);
	assert_int_equal(o->u.a.v[0]->in_objstm, 1);
	assert_int_equal(pdf_dict_get(o->u.a.v[0], "A")->in_objstm, 1);
	arena_release(&f.a);
}

static void
truncated(void **state)
{
	static const char *const cases[] = {"",      "   ",   "[1 2", "<< /A 1",
	                                    "<< /A", "[[[]]", "1 0",  "(x"};
	struct fx f;
	struct pdf_obj *o;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		start(&f, cases[i]);
		if (strcmp(cases[i], "1 0") == 0) {
			/* Two integers: the first, then the second. */
			assert_int_equal(parse(&f, &o), TTE_OK);
			assert_int_equal(parse(&f, &o), TTE_OK);
			assert_int_equal(parse(&f, &o), TTE_E_TRUNCATED);
		} else {
			assert_int_equal(parse(&f, &o), TTE_E_TRUNCATED);
			assert_int_equal(f.d.code, TTE_E_TRUNCATED);
		}
		arena_release(&f.a);
	}
}

static void
malformed(void **state)
{
	static const char *const cases[] = {
	    "<< 1 2 >>",      /* key is not a name */
	    "<< /A >>",       /* key without value */
	    "<< /A 1 [ ] >>", /* array where a key belongs */
	    "]",              /* stray close */
	    "[1 >>",          /* wrong close */
	    "<< /A ] >>",
	    "[1 endobj]", /* keyword where an object belongs */
	    "-1 0 R",     /* negative object number */
	    "1 70000 R",  /* generation over 65535 */
	};
	struct fx f;
	struct pdf_obj *o;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		start(&f, cases[i]);
		assert_int_equal(parse(&f, &o), TTE_E_MALFORMED);
		assert_int_equal(f.d.code, TTE_E_MALFORMED);
		arena_release(&f.a);
	}
}

static void
nesting_is_limited(void **state)
{
	struct fx f;
	struct pdf_obj *o;
	size_t n = 100000;
	char *s = malloc(2 * n + 1);

	(void)state;
	assert_non_null(s);
	/* Exactly the limit parses. */
	memset(s, '[', PDF_MAX_DEPTH);
	memset(s + PDF_MAX_DEPTH, ']', PDF_MAX_DEPTH);
	s[2 * PDF_MAX_DEPTH] = 0;
	start(&f, s);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->u.a.n, 1);
	arena_release(&f.a);
	/* One more is over it; so is a "[[[[..." bomb, at once. */
	memset(s, '[', PDF_MAX_DEPTH + 1);
	memset(s + PDF_MAX_DEPTH + 1, ']', PDF_MAX_DEPTH + 1);
	s[2 * PDF_MAX_DEPTH + 2] = 0;
	start(&f, s);
	assert_int_equal(parse(&f, &o), TTE_E_TOO_BIG);
	arena_release(&f.a);
	memset(s, '[', n);
	s[n] = 0;
	start(&f, s);
	assert_int_equal(parse(&f, &o), TTE_E_TOO_BIG);
	assert_int_equal(f.d.code, TTE_E_TOO_BIG);
	arena_release(&f.a);
	for (size_t i = 0; i < n / 4; i++)
		memcpy(s + 4 * i, "<</A", 4);
	s[n] = 0;
	start(&f, s);
	assert_int_equal(parse(&f, &o), TTE_E_TOO_BIG);
	arena_release(&f.a);
	free(s);
}

static void
oversized_containers(void **state)
{
	struct fx f;
	struct pdf_obj *o;
	size_t n = (size_t)PDF_MAX_ITEMS + 1;
	char *s = malloc(2 * n + 3);

	(void)state;
	assert_non_null(s);
	s[0] = '[';
	for (size_t i = 0; i < n; i++)
		memcpy(s + 1 + 2 * i, "0 ", 2);
	s[1 + 2 * n] = ']';
	start_n(&f, s, 2 * n + 2);
	assert_int_equal(parse(&f, &o), TTE_E_TOO_BIG);
	arena_release(&f.a);
	/* One fewer fits, and the stack grew in the arena. */
	s[2 * n - 1] = ']';
	start_n(&f, s, 2 * n);
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->u.a.n, PDF_MAX_ITEMS);
	arena_release(&f.a);
	free(s);
}

static void
trailing_garbage_is_left_to_the_caller(void **state)
{
	struct fx f;
	struct pdf_obj *o;
	struct pdf_tok t;

	(void)state;
	start(&f, "<< /A 1 >>garbage)");
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->kind, PDF_DICT);
	assert_int_equal(f.lx.r.off, 10);
	assert_int_equal(pdf_lex_next(&f.lx, &t, &f.d), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_int_equal(parse(&f, &o), TTE_E_MALFORMED);
	arena_release(&f.a);
	/* A top-level integer followed by garbage the lookahead cannot
	 * lex: still the integer; the garbage fails when it is read. */
	start(&f, "5 (unterminated");
	assert_int_equal(parse(&f, &o), TTE_OK);
	assert_int_equal(o->u.i, 5);
	assert_int_equal(f.d.code, TTE_OK);
	assert_int_equal(parse(&f, &o), TTE_E_TRUNCATED);
	arena_release(&f.a);
}

static struct pdf_obj *
parse_str(struct arena *a, const char *s)
{
	struct pdf_lex lx;
	struct pdf_obj *o = NULL;

	pdf_lex_init(&lx, (const uint8_t *)s, strlen(s), a);
	assert_int_equal(pdf_parse_obj(&lx, &o, NULL), TTE_OK);
	return o;
}

static void
equality(void **state)
{
	struct arena a;
	struct pdf_obj *x, *y;
	static const uint8_t src_a[] = "..abcdef..";
	static const uint8_t src_b[] = "abcdefXXXX";
	struct pdf_obj sa, sb;

	(void)state;
	arena_init(&a);
	x = parse_str(&a,
	              "<< /A [1 2.5 (s) /N 3 0 R null true] /B << /C 1 >> >>");
	y = parse_str(&a, "<</B<</C 1>>/A[1 2.5<73>/N 3 0 R null true]>>");
	assert_true(pdf_obj_equal(x, y, NULL, NULL));
	assert_true(pdf_obj_equal(x, x, NULL, NULL));
	y = parse_str(&a,
	              "<< /A [1 2.5 (s) /N 3 1 R null true] /B << /C 1 >> >>");
	assert_false(pdf_obj_equal(x, y, NULL, NULL));
	y = parse_str(&a, "<< /A [1 2.5 (s) /N 3 0 R null true] >>");
	assert_false(pdf_obj_equal(x, y, NULL, NULL));
	/* Readers disagree on duplicated keys: only the same order is
	 * equal then. */
	x = parse_str(&a, "<< /A 1 /A 2 >>");
	assert_true(
	    pdf_obj_equal(x, parse_str(&a, "<< /A 1 /A 2 >>"), NULL, NULL));
	y = parse_str(&a, "<< /A 2 >>");
	assert_false(pdf_obj_equal(x, y, NULL, NULL));
	y = parse_str(&a, "<< /A 3 /A 2 >>");
	assert_false(pdf_obj_equal(x, y, NULL, NULL));
	/* ISO 32000-1 §7.3.3: an integer and a real of one value are one
	 * number (DSS-3226 rewrites 612.0 as 612). */
	x = parse_str(&a, "1");
	y = parse_str(&a, "1.0");
	assert_true(pdf_obj_equal(x, y, NULL, NULL));
	y = parse_str(&a, "1.5");
	assert_false(pdf_obj_equal(x, y, NULL, NULL));
	assert_false(pdf_obj_equal(x, NULL, NULL, NULL));
	/* Streams: their dictionaries and their raw bytes. */
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sa.kind = sb.kind = PDF_STREAM;
	sa.u.st.dict = sb.u.st.dict = parse_str(&a, "<< /Length 6 >>");
	sa.u.st.data_off = 2;
	sb.u.st.data_off = 0;
	sa.u.st.data_len = sb.u.st.data_len = 6;
	assert_true(pdf_obj_equal(&sa, &sb, src_a, src_b));
	assert_false(pdf_obj_equal(&sa, &sb, NULL, NULL));
	sb.u.st.data_off = 1;
	assert_false(pdf_obj_equal(&sa, &sb, src_a, src_b));
	arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(scalars_and_lookahead),
	    cmocka_unit_test(containers_and_spans),
	    cmocka_unit_test(objects_from_an_object_stream_are_marked),
	    cmocka_unit_test(truncated),
	    cmocka_unit_test(malformed),
	    cmocka_unit_test(nesting_is_limited),
	    cmocka_unit_test(oversized_containers),
	    cmocka_unit_test(trailing_garbage_is_left_to_the_caller),
	    cmocka_unit_test(equality),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
