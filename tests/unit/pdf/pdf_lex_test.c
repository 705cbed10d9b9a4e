/* Tests for verifier/pdf/pdf_lex.c: token kinds, decoding and spans. */
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
};

static void
start(struct fx *f, const char *s)
{
	arena_init(&f->a);
	diag_clear(&f->d);
	pdf_lex_init(&f->lx, (const uint8_t *)s, strlen(s), &f->a);
}

static tte_err
next(struct fx *f, struct pdf_tok *t)
{
	return pdf_lex_next(&f->lx, t, &f->d);
}

static void
white_space_comments_and_spans(void **state)
{
	static const char src[] = "\0\t\f %comment\r\n  42 % x\n/N";
	struct fx f;
	struct pdf_tok t;

	(void)state;
	arena_init(&f.a);
	diag_clear(&f.d);
	pdf_lex_init(&f.lx, (const uint8_t *)src, sizeof(src) - 1, &f.a);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_INT);
	assert_int_equal(t.i, 42);
	assert_int_equal(t.off, 16);
	assert_int_equal(t.end, 18);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_NAME);
	assert_string_equal((const char *)t.p, "N");
	assert_int_equal(t.off, 23);
	assert_int_equal(t.end, 25);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_EOF);
	arena_release(&f.a);
}

static void
numbers(void **state)
{
	struct fx f;
	struct pdf_tok t;

	(void)state;
	start(&f, "+.5 -3. 1e5 0.001 -0 99999999999999999999 - 4.");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_REAL);
	assert_true(t.r == 0.5);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_REAL);
	assert_true(t.r == -3.0);
	/* "1e5" is not a PDF number: 1, then the keyword "e5". */
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_INT);
	assert_int_equal(t.i, 1);
	assert_int_equal(t.end - t.off, 1);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_memory_equal(t.p, "e5", 2);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_REAL);
	assert_true(t.r > 0.00099999 && t.r < 0.00100001);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_INT);
	assert_int_equal(t.i, 0);
	/* Too big for int64: kept as a real. */
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_REAL);
	assert_true(t.r > 9.9e19 && t.r < 1.1e20);
	/* A sign alone is no number. */
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_int_equal(t.len, 1);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_REAL);
	assert_true(t.r == 4.0);
	arena_release(&f.a);
}

static void
literal_strings(void **state)
{
	struct fx f;
	struct pdf_tok t;
	static const char src[] =
	    "x (a(b)c\\n\\r\\t\\b\\f\\(\\)\\\\\\053\\7\\0033"
	    "\\\r\ncont\r\nline\rx\\q) y";
	static const uint8_t want[] = "a(b)c\n\r\t\b\f()\\+\a\0033"
	                              "cont\nline\nxq";

	(void)state;
	start(&f, src);
	assert_int_equal(next(&f, &t), TTE_OK); /* x */
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_STRING);
	assert_int_equal(t.hex, 0);
	assert_int_equal(t.len, sizeof(want) - 1);
	assert_memory_equal(t.p, want, sizeof(want) - 1);
	/* The span includes both parentheses. */
	assert_int_equal(t.off, 2);
	assert_int_equal(src[t.off], '(');
	assert_int_equal(src[t.end - 1], ')');
	assert_int_equal(src[t.end], ' ');
	assert_int_equal(t.p[t.len], 0);
	arena_release(&f.a);
}

static void
hex_strings_and_brackets(void **state)
{
	struct fx f;
	struct pdf_tok t;

	(void)state;
	start(&f, "<48 65\n6C6c 6>[<<>>]{}");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_STRING);
	assert_int_equal(t.hex, 1);
	assert_int_equal(t.len, 5);
	assert_memory_equal(t.p, "Hell`", 5);
	assert_int_equal(t.off, 0);
	assert_int_equal(t.end, 14);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_ARRAY_OPEN);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_DICT_OPEN);
	assert_int_equal(t.end - t.off, 2);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_DICT_CLOSE);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_ARRAY_CLOSE);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_memory_equal(t.p, "{", 1);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_memory_equal(t.p, "}", 1);
	arena_release(&f.a);
}

static void
names_and_keywords(void **state)
{
	struct fx f;
	struct pdf_tok t;

	(void)state;
	start(&f, "/A#20B#2f /# /a#zz/ obj endobj R");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_NAME);
	assert_string_equal((const char *)t.p, "A B/");
	assert_int_equal(t.len, 4);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_string_equal((const char *)t.p, "#");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_string_equal((const char *)t.p, "a#zz");
	/* "/" alone is the empty name. */
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_NAME);
	assert_int_equal(t.len, 0);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_int_equal(t.len, 3);
	assert_memory_equal(t.p, "obj", 3);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_memory_equal(t.p, "endobj", 6);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.len, 1);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_EOF);
	arena_release(&f.a);
}

static void
truncated_strings_do_not_move(void **state)
{
	struct fx f;
	struct pdf_tok t;

	(void)state;
	start(&f, "  (abc\\)");
	assert_int_equal(next(&f, &t), TTE_E_TRUNCATED);
	assert_int_equal(f.d.code, TTE_E_TRUNCATED);
	assert_int_equal(f.lx.r.off, 0);
	arena_release(&f.a);
	start(&f, "<414");
	assert_int_equal(next(&f, &t), TTE_E_TRUNCATED);
	arena_release(&f.a);
	start(&f, "((nested)");
	assert_int_equal(next(&f, &t), TTE_E_TRUNCATED);
	arena_release(&f.a);
	start(&f, "(ends in a backslash\\");
	assert_int_equal(next(&f, &t), TTE_E_TRUNCATED);
	arena_release(&f.a);
}

static void
nested_parentheses(void **state)
{
	struct fx f;
	struct pdf_tok t;
	char *s;
	size_t depth = 10000, n = 0;

	(void)state;
	/* Deep nesting in a string is a counter, not recursion. */
	s = malloc(2 * depth + 2);
	assert_non_null(s);
	for (size_t i = 0; i < depth; i++)
		s[n++] = '(';
	for (size_t i = 0; i < depth; i++)
		s[n++] = ')';
	s[n] = 0;
	start(&f, s);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_STRING);
	assert_int_equal(t.len, 2 * depth - 2);
	assert_int_equal(t.end, 2 * depth);
	arena_release(&f.a);
	free(s);
}

static void
oversized_names_and_strings(void **state)
{
	struct fx f;
	struct pdf_tok t;
	char name[PDF_MAX_NAME_LEN + 3];
	char *big;
	size_t n = PDF_MAX_STRING_LEN + 1;

	(void)state;
	name[0] = '/';
	memset(name + 1, 'a', PDF_MAX_NAME_LEN);
	name[PDF_MAX_NAME_LEN + 1] = 0;
	start(&f, name);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.len, PDF_MAX_NAME_LEN);
	arena_release(&f.a);
	name[PDF_MAX_NAME_LEN + 1] = 'a';
	name[PDF_MAX_NAME_LEN + 2] = 0;
	start(&f, name);
	assert_int_equal(next(&f, &t), TTE_E_TOO_BIG);
	arena_release(&f.a);
	big = malloc(n + 3);
	assert_non_null(big);
	big[0] = '(';
	memset(big + 1, 'x', n);
	big[n + 1] = ')';
	big[n + 2] = 0;
	start(&f, big);
	assert_int_equal(next(&f, &t), TTE_E_TOO_BIG);
	arena_release(&f.a);
	free(big);
}

static void
malformed_and_trailing_garbage(void **state)
{
	struct fx f;
	struct pdf_tok t;

	(void)state;
	/* A string, then a stray ')': the garbage after it is an error. */
	start(&f, "(abc))");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(next(&f, &t), TTE_E_MALFORMED);
	assert_int_equal(f.lx.r.off, 5);
	arena_release(&f.a);
	start(&f, "1 > 2");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(next(&f, &t), TTE_E_MALFORMED);
	arena_release(&f.a);
	start(&f, "<4G>");
	assert_int_equal(next(&f, &t), TTE_E_MALFORMED);
	arena_release(&f.a);
	start(&f, "/a#00b");
	assert_int_equal(next(&f, &t), TTE_E_MALFORMED);
	arena_release(&f.a);
	/* Regular bytes glued to a number are a keyword of their own. */
	start(&f, "12abc");
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.i, 12);
	assert_int_equal(next(&f, &t), TTE_OK);
	assert_int_equal(t.kind, PDF_TOK_KEYWORD);
	assert_int_equal(t.off, 2);
	arena_release(&f.a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(white_space_comments_and_spans),
	    cmocka_unit_test(numbers),
	    cmocka_unit_test(literal_strings),
	    cmocka_unit_test(hex_strings_and_brackets),
	    cmocka_unit_test(names_and_keywords),
	    cmocka_unit_test(truncated_strings_do_not_move),
	    cmocka_unit_test(nested_parentheses),
	    cmocka_unit_test(oversized_names_and_strings),
	    cmocka_unit_test(malformed_and_trailing_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
