/*
 * Tests for verifier/base/json.c: RFC 8259 values, every escape and
 * surrogate pairs, refused input with its exact error and byte offset,
 * the limits (depth, string length, values), and the string writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/base/json.h"

static struct arena A;
static struct diag D;

static int
setup(void **state)
{
	(void)state;
	arena_init(&A);
	diag_clear(&D);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

/* Parses a C string; returns the tree or fails the test. */
static const struct json *
ok(const char *text)
{
	const struct json *j = NULL;
	tte_err rc = json_parse(text, strlen(text), &A, NULL, &j, &D);

	if (rc != TTE_OK)
		fail_msg("'%s': %s", text, D.msg);
	assert_non_null(j);
	return j;
}

/* Parses text[0..len) and expects code with msg_part in the message. */
static void
bad_n(const char *text, size_t len, tte_err code, const char *msg_part)
{
	const struct json *j = (const struct json *)&A; /* must be reset */
	tte_err rc;

	diag_clear(&D);
	rc = json_parse(text, len, &A, NULL, &j, &D);
	if (rc != code)
		fail_msg("'%.*s': got %s (%s), want %s", (int)len, text,
			 tte_err_str(rc), D.msg, tte_err_str(code));
	assert_null(j);
	if (msg_part != NULL && strstr(D.msg, msg_part) == NULL)
		fail_msg("'%.*s': message '%s' lacks '%s'", (int)len, text,
			 D.msg, msg_part);
}

static void
bad(const char *text, tte_err code, const char *msg_part)
{
	bad_n(text, strlen(text), code, msg_part);
}

static void
scalars(void **state)
{
	const struct json *j;
	int64_t i = 0;
	int b = -1;

	(void)state;
	assert_true(json_is_null(ok("null")));
	j = ok(" true ");
	assert_int_equal(json_bool(j, &b), 0);
	assert_int_equal(b, 1);
	j = ok("\t\r\nfalse\n");
	assert_int_equal(json_bool(j, &b), 0);
	assert_int_equal(b, 0);
	j = ok("0");
	assert_int_equal(json_int(j, &i), 0);
	assert_int_equal(i, 0);
	j = ok("-0");
	assert_int_equal(json_int(j, &i), 0);
	assert_int_equal(i, 0);
	j = ok("\"x\"");
	assert_string_equal(json_str(j), "x");
	assert_int_equal(json_int(j, &i), -1);
	assert_int_equal(json_bool(j, &b), -1);
	assert_null(json_str(ok("1")));
}

static void
numbers(void **state)
{
	const struct json *j;
	int64_t i = 0;

	(void)state;
	j = ok("9223372036854775807");
	assert_int_equal(json_int(j, &i), 0);
	assert_true(i == INT64_MAX);
	j = ok("-9223372036854775808");
	assert_int_equal(json_int(j, &i), 0);
	assert_true(i == INT64_MIN);
	/* One past either end: a number, not an int64. */
	j = ok("9223372036854775808");
	assert_int_equal(j->type, JSON_NUMBER);
	assert_int_equal(json_int(j, &i), -1);
	j = ok("-9223372036854775809");
	assert_int_equal(json_int(j, &i), -1);
	j = ok("184467440737095516160");
	assert_int_equal(json_int(j, &i), -1);
	j = ok("1.5");
	assert_int_equal(json_int(j, &i), -1);
	assert_true(j->num == 1.5);
	j = ok("-2.5e3");
	assert_true(j->num == -2500.0);
	j = ok("1E+2");
	assert_true(j->num == 100.0);
	j = ok("1e-2");
	assert_int_equal(json_int(j, &i), -1);
	j = ok("1.0"); /* integer value, fraction syntax: not an int */
	assert_int_equal(json_int(j, &i), -1);
	j = ok("1700000000");
	assert_int_equal(json_int(j, &i), 0);
	assert_int_equal(i, 1700000000);
}

static void
containers(void **state)
{
	const struct json *j, *a;
	int64_t i = 0;

	(void)state;
	j = ok("{}");
	assert_int_equal(j->type, JSON_OBJECT);
	assert_int_equal(j->n, 0);
	assert_null(json_get(j, "a"));
	j = ok("[ ]");
	assert_int_equal(json_arr_len(j), 0);
	assert_null(json_arr_at(j, 0));
	j = ok("{\"a\": [1, {\"b\": null}, \"c\"], \"d\": true, \"a\": 2}");
	a = json_get(j, "a");
	assert_int_equal(json_arr_len(a), 3);
	assert_int_equal(json_int(json_arr_at(a, 0), &i), 0);
	assert_int_equal(i, 1);
	assert_true(json_is_null(json_get(json_arr_at(a, 1), "b")));
	assert_string_equal(json_str(json_arr_at(a, 2)), "c");
	assert_null(json_arr_at(a, 3));
	/* Duplicates are kept; json_get gives the first. */
	assert_int_equal(j->n, 3);
	assert_int_equal(json_get(j, "a")->type, JSON_ARRAY);
	assert_string_equal(j->items[2]->key, "a");
	/* Lookups on the wrong type are NULL / 0, never a crash. */
	assert_null(json_get(a, "a"));
	assert_null(json_get(NULL, "a"));
	assert_int_equal(json_arr_len(j), 0);
	assert_null(json_arr_at(j, 0));
	assert_int_equal(json_arr_len(NULL), 0);
	/* Offsets of values, for callers' messages. */
	j = ok("[1, \"x\"]");
	assert_int_equal(j->off, 0);
	assert_int_equal(j->items[1]->off, 4);
}

static void
escapes(void **state)
{
	const struct json *j;

	(void)state;
	j = ok("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"");
	assert_string_equal(json_str(j), "\" \\ / \b \f \n \r \t");
	j = ok("\"\\u0041\\u00e9\\u20AC\"");
	assert_string_equal(json_str(j), "A\xc3\xa9\xe2\x82\xac");
	assert_int_equal(j->len, 6);
	/* U+1D11E as a surrogate pair (RFC 8259 §7), and U+10FFFF. */
	j = ok("\"\\uD834\\uDD1E|\\udbff\\udfff\"");
	assert_string_equal(json_str(j),
			    "\xf0\x9d\x84\x9e|\xf4\x8f\xbf\xbf");
	/* Raw UTF-8 of every length passes unchanged. */
	j = ok("\"a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\"");
	assert_string_equal(json_str(j), "a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e");
	/* Member names are decoded too. */
	j = ok("{\"k\\u00e9y\": 1}");
	assert_non_null(json_get(j, "k\xc3\xa9y"));
}

static void
refuses_syntax(void **state)
{
	(void)state;
	bad("", TTE_E_TRUNCATED, "at byte 0");
	bad("  ", TTE_E_TRUNCATED, "at byte 2");
	bad("[1,]", TTE_E_MALFORMED, "unexpected ']' at byte 3");
	bad("{\"a\":1,}", TTE_E_MALFORMED, "member name expected at byte 7");
	bad("[1 2]", TTE_E_MALFORMED, "',' or ']' expected at byte 3");
	bad("{\"a\" 1}", TTE_E_MALFORMED, "':' expected at byte 5");
	bad("{a:1}", TTE_E_MALFORMED, "member name expected at byte 1");
	bad("{'a':1}", TTE_E_MALFORMED, "member name expected");
	bad("[1", TTE_E_TRUNCATED, "',' or ']'");
	bad("{\"a\":", TTE_E_TRUNCATED, "value");
	bad("01", TTE_E_TRAILING, "after the value at byte 1");
	bad("{} x", TTE_E_TRAILING, "1 unexpected bytes after the value at "
				    "byte 3");
	bad("-", TTE_E_TRUNCATED, "inside a number at byte 0");
	bad("-a", TTE_E_MALFORMED, "unexpected 'a' at byte 1");
	bad("1.", TTE_E_MALFORMED, "after '.' at byte 2");
	bad(".5", TTE_E_MALFORMED, "unexpected '.' at byte 0");
	bad("1e", TTE_E_MALFORMED, "exponent");
	bad("+1", TTE_E_MALFORMED, "unexpected '+'");
	bad("NaN", TTE_E_MALFORMED, NULL);
	bad("tru", TTE_E_TRUNCATED, "inside 'true'");
	bad("trux", TTE_E_MALFORMED, "unexpected 'x' at byte 3");
	bad("nul1", TTE_E_MALFORMED, NULL);
	bad("[1] // c", TTE_E_TRAILING, NULL);
	bad("/* c */ 1", TTE_E_MALFORMED, NULL);
	bad("\xef\xbb\xbf{}", TTE_E_MALFORMED, "at byte 0");
	bad_n("[\0]", 3, TTE_E_MALFORMED, "at byte 1");
}

static void
refuses_strings(void **state)
{
	(void)state;
	bad("\"abc", TTE_E_TRUNCATED, "unterminated string starting at byte 0");
	bad("[\"a\\", TTE_E_TRUNCATED, "unterminated string starting at "
				     "byte 1");
	bad("\"a\nb\"", TTE_E_MALFORMED, "control character 0x0a in a string "
					 "at byte 2");
	bad("\"\t\"", TTE_E_MALFORMED, "control character 0x09");
	bad("\"\\x\"", TTE_E_MALFORMED, "unknown escape '\\x' at byte 1");
	bad("\"\\u12\"", TTE_E_MALFORMED, "4 hex digits at byte 1");
	bad("\"\\u12", TTE_E_TRUNCATED, NULL);
	bad("\"\\u00g0\"", TTE_E_MALFORMED, "4 hex digits");
	/* Lone surrogates (RFC 8259 §8.2 allows them; we refuse them, as
	 * they cannot become UTF-8). */
	bad("\"\\ud800\"", TTE_E_MALFORMED, "lone surrogate \\ud800 at byte 1");
	bad("\"\\udc00\"", TTE_E_MALFORMED, "lone surrogate \\udc00 at byte 1");
	bad("\"\\ud800x\"", TTE_E_MALFORMED, "lone surrogate");
	bad("\"\\ud800\\n\"", TTE_E_MALFORMED, "lone surrogate");
	bad("\"\\ud800\\u0041\"", TTE_E_MALFORMED,
	    "lone surrogate \\ud800 at byte 1 (followed by \\u0041)");
	bad("\"\\ud800\\ud800\"", TTE_E_MALFORMED, "lone surrogate");
	bad("\"\\udbff\\udbff\"", TTE_E_MALFORMED, "lone surrogate");
	bad("\"\\u0000\"", TTE_E_UNSUPPORTED, "\\u0000 in a string at byte 1");
	/* Invalid UTF-8: stray continuation, overlong forms, encoded
	 * surrogates, past U+10FFFF, cut sequences, bytes never used. */
	bad("\"\x80\"", TTE_E_MALFORMED, "invalid UTF-8 in a string at byte 1");
	bad("\"a\xc0\x80\"", TTE_E_MALFORMED, "invalid UTF-8 in a string at "
					       "byte 2");
	bad("\"\xc1\xbf\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xe0\x80\xaf\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xed\xa0\x80\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xf0\x80\x80\xaf\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xf4\x90\x80\x80\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xf5\x80\x80\x80\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xe2\x82\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad("\"\xff\"", TTE_E_MALFORMED, "invalid UTF-8");
	bad_n("\"\xe2\x82", 3, TTE_E_TRUNCATED, NULL);
	bad("{\"\xc3\":1}", TTE_E_MALFORMED, "invalid UTF-8");
}

/* n '[' around a 1 and n ']' (the caller frees it). */
static char *
nested(size_t n)
{
	char *s = malloc(2 * n + 2);
	size_t k = 0;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[k++] = '[';
	s[k++] = '1';
	for (size_t i = 0; i < n; i++)
		s[k++] = ']';
	s[k] = '\0';
	return s;
}

static void
depth_limit(void **state)
{
	char *s;
	char buf[1024];
	size_t k = 0;

	(void)state;
	s = nested(JSON_MAX_DEPTH);
	(void)ok(s);
	free(s);
	s = nested(JSON_MAX_DEPTH + 1);
	bad(s, TTE_E_TOO_BIG, "nesting deeper than 64 at byte 64");
	free(s);
	/* Far deeper than any stack would take, refused at the cap. */
	s = nested(1000000);
	bad(s, TTE_E_TOO_BIG, "nesting deeper than 64");
	free(s);
	/* Objects count as arrays do. */
	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "{\"a\":");
	bad(buf, TTE_E_TOO_BIG, "nesting deeper than 64");
}

/* json_parse with limits, D cleared first (it keeps the first error). */
static tte_err
lim_parse(const char *text, size_t len, const struct json_limits *lim,
	  const struct json **j)
{
	diag_clear(&D);
	return json_parse(text, len, &A, lim, j, &D);
}

static void
other_limits(void **state)
{
	struct json_limits lim = {3, 4, 5};
	const struct json *j = NULL;
	char num[JSON_MAX_NUMBER_LEN + 2];

	(void)state;
	/* Depth. */
	assert_int_equal(lim_parse("[[[1]]]", 7, &lim, &j), TTE_OK);
	assert_int_equal(lim_parse("[[[[1]]]]", 9, &lim, &j),
			 TTE_E_TOO_BIG);
	assert_null(j);
	/* String length, decoded: 4 bytes pass, 5 do not, whatever the
	 * escapes. */
	assert_int_equal(lim_parse("\"abcd\"", 6, &lim, &j), TTE_OK);
	assert_int_equal(lim_parse("\"\\u20ac\"", 8, &lim, &j),
			 TTE_OK);
	assert_int_equal(lim_parse("\"abcde\"", 7, &lim, &j),
			 TTE_E_TOO_BIG);
	assert_non_null(strstr(D.msg, "string longer than 4 bytes at byte 0"));
	assert_int_equal(lim_parse("\"\\u20ac\\u20ac\"", 14, &lim, &j),
			 TTE_E_TOO_BIG);
	/* Values: [1,2,3,4] is 5 values. */
	assert_int_equal(lim_parse("[1,2,3,4]", 9, &lim, &j), TTE_OK);
	assert_int_equal(lim_parse("[1,2,3,4,5]", 11, &lim, &j),
			 TTE_E_TOO_BIG);
	assert_non_null(strstr(D.msg, "more than 5 values"));
	/* A number token's length. */
	memset(num, '1', sizeof(num) - 1);
	num[sizeof(num) - 1] = '\0';
	bad(num, TTE_E_TOO_BIG, "number of more than 64 characters");
	num[JSON_MAX_NUMBER_LEN] = '\0';
	(void)ok(num);
	/* A big string under the default limit. */
	{
		size_t n = 100000;
		char *s = malloc(n + 3);

		assert_non_null(s);
		s[0] = '"';
		memset(s + 1, 'x', n);
		s[n + 1] = '"';
		s[n + 2] = '\0';
		assert_int_equal(ok(s)->len, n);
		free(s);
	}
}

/* json_write_str into a string (the caller frees it). */
static char *
written(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	json_write_str(f, s);
	fclose(f);
	return out;
}

static void
writer(void **state)
{
	static const char *const samples[] = {
		"", "plain", "q\"b\\s/", "\n\r\t\b\f\x01\x1f\x7f",
		"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", "bad \xff here \xc3",
		"\xed\xa0\x80 surrogate", "cut \xe2\x82", "\xf4\x90\x80\x80",
	};
	char *w;

	(void)state;
	w = written(NULL);
	assert_string_equal(w, "null");
	free(w);
	w = written("a\"b\\c\nd\x01");
	assert_string_equal(w, "\"a\\\"b\\\\c\\nd\\u0001\"");
	free(w);
	/* Bytes that are not UTF-8 become U+FFFD, raw. */
	w = written("x\xffy");
	assert_string_equal(w, "\"x\xef\xbf\xbdy\"");
	free(w);
	/* Every output parses back, and writing that again gives the same
	 * bytes (the facts round trip depends on it). */
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct json *j;
		char *again;

		w = written(samples[i]);
		j = ok(w);
		assert_int_equal(j->type, JSON_STRING);
		again = written(json_str(j));
		assert_string_equal(w, again);
		if (strstr(samples[i], "\xff") == NULL &&
		    strstr(samples[i], "\xed") == NULL &&
		    strstr(samples[i], "cut") == NULL &&
		    strstr(samples[i], "\xf4") == NULL)
			assert_string_equal(json_str(j), samples[i]);
		free(w);
		free(again);
	}
}

static void
type_names(void **state)
{
	(void)state;
	assert_string_equal(json_type_name(JSON_NULL), "null");
	assert_string_equal(json_type_name(JSON_OBJECT), "object");
	assert_string_equal(json_type_name(JSON_NUMBER), "number");
}

/* The cases limbo_test's own reader was held to, before limbo_test
 * used this one: values, escapes, and the error for truncated,
 * malformed and trailing input. */
static void
limbo_reader_cases(void **state)
{
	const struct json *j, *m;

	(void)state;
	j = ok(" {\"a\": [1, -2.5e3, true, null],"
	       " \"s\": \"x\\n\\u00e9\\ud83d\\ude00\"} ");
	m = json_get(j, "a");
	assert_int_equal(json_arr_len(m), 4);
	assert_true(json_arr_at(m, 1)->num == -2500.0);
	assert_true(json_is_null(json_arr_at(m, 3)));
	assert_string_equal(json_str(json_get(j, "s")),
			    "x\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_null(json_str(json_get(j, "a")));
	bad("{\"a\": [1, 2", TTE_E_TRUNCATED, NULL); /* json_min said MALFORMED */
	bad("\"abc", TTE_E_TRUNCATED, NULL);
	bad("", TTE_E_TRUNCATED, NULL);
	bad("[1,]", TTE_E_MALFORMED, NULL);
	bad("01", TTE_E_TRAILING, NULL);
	bad("{} x", TTE_E_TRAILING, NULL);
	bad("\"\\ud800\"", TTE_E_MALFORMED, NULL);
	bad("\"\\u0000\"", TTE_E_UNSUPPORTED, NULL);
	bad("\"a\tb\"", TTE_E_MALFORMED, NULL);
	bad("nul", TTE_E_TRUNCATED, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(containers, setup, teardown),
		cmocka_unit_test_setup_teardown(escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(other_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(writer, setup, teardown),
		cmocka_unit_test_setup_teardown(type_names, setup, teardown),
		cmocka_unit_test_setup_teardown(limbo_reader_cases, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
