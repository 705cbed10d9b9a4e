/*
 * json.h - a small bounded JSON (RFC 8259) reader into an arena, and the
 * one JSON string writer of the engine.
 *
 * json_parse reads one JSON text from an explicit buffer into a tree of
 * nodes allocated from the caller's arena (base/arena.h): the tree and
 * every string in it live until the arena is released. Strings are
 * decoded (every escape, \uXXXX surrogate pairs to UTF-8) and
 * NUL-terminated. Integers without fraction or exponent are exact int64.
 *
 * Limits (struct json_limits, defaults below): nesting depth, decoded
 * length of one string, and number of values in the text. Going over one
 * is TTE_E_TOO_BIG; recursion never goes deeper than the depth limit.
 *
 * Unsupported, on purpose:
 *  - U+0000 in a string (escaped or not): refused, so that every string
 *    is a C string;
 *  - bytes that are not UTF-8 (RFC 8259 §8.1), lone surrogates in
 *    \u escapes, a byte order mark: refused;
 *  - duplicate member names are kept; json_get returns the first, and
 *    callers for whom a duplicate matters check json_obj_* themselves;
 *  - anything past RFC 8259 (comments, trailing commas, NaN).
 */
#ifndef TTE_JSON_H
#define TTE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../diag.h"
#include "arena.h"

/* Nesting of arrays and objects: the recursion bound. Our own documents
 * (facts lines) nest 7 deep; 64 is ample and keeps the stack small. */
#define JSON_MAX_DEPTH 64
/* Decoded bytes of one string: a note or a certificate subject is short;
 * 1 MiB leaves room for any real text and bounds one allocation. */
#define JSON_MAX_STRING (1u << 20)
/* Values in one text: a facts line of a PDF with 1,000 signatures holds
 * about 200,000; at about 80 bytes a node, the cap bounds the tree to
 * about 100 MiB. */
#define JSON_MAX_NODES (1u << 20)
/* Characters of one number token: an int64 takes at most 20. */
#define JSON_MAX_NUMBER_LEN 64

enum json_type {
	JSON_NULL = 0,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	size_t off;          /* byte offset of the value in the text */
	const char *key;     /* member name inside an object, else NULL */
	const char *str;     /* STRING: decoded UTF-8, NUL-terminated */
	size_t len;          /* STRING: bytes of str without the NUL */
	int is_int;          /* NUMBER: integer syntax and fits int64 */
	int64_t i;           /* NUMBER with is_int: its exact value */
	double num;          /* NUMBER: its value (rounded for big ones) */
	struct json **items; /* ARRAY, OBJECT: elements or members, in order */
	size_t n;            /* ARRAY, OBJECT: how many */
};

struct json_limits {
	unsigned max_depth; /* at most JSON_MAX_DEPTH */
	size_t max_string;
	size_t max_nodes;
};

/* The defaults above, for json_parse's lim. */
extern const struct json_limits json_limits_default;

/*
 * Parses text[0..len) as exactly one JSON value with optional whitespace
 * around it. The tree (*out) is allocated from a and borrowed from it.
 * lim NULL means json_limits_default (a depth over JSON_MAX_DEPTH is
 * clamped to it). On error *out is NULL and d says what and at which
 * byte offset: TTE_E_MALFORMED (syntax, UTF-8, escapes), TTE_E_TRUNCATED
 * (the text ends inside a value), TTE_E_TRAILING (bytes after the value),
 * TTE_E_TOO_BIG (a limit), TTE_E_UNSUPPORTED (U+0000), TTE_E_NOMEM.
 */
TTE_MUST_USE tte_err json_parse(const void *text, size_t len, struct arena *a,
				const struct json_limits *lim,
				const struct json **out, struct diag *d);

/* "null", "false", "true", "number", "string", "array", "object". */
const char *json_type_name(enum json_type t);

/* The first member named key of obj (borrowed), or NULL when obj is NULL,
 * not an object or has no such member. */
const struct json *json_get(const struct json *obj, const char *key);

/* 0 and *out when j is an integer number that fits int64; -1 otherwise
 * (NULL, not a number, a fraction or exponent, out of range). */
int json_int(const struct json *j, int64_t *out);

/* The decoded string of j (borrowed), or NULL when j is not a string. */
const char *json_str(const struct json *j);

/* 0 and *out (0 or 1) when j is true or false; -1 otherwise. */
int json_bool(const struct json *j, int *out);

/* Nonzero when j is null. */
int json_is_null(const struct json *j);

/* The number of elements of array j (0 when j is not an array). */
size_t json_arr_len(const struct json *j);

/* Element i of array j (borrowed), or NULL when out of range or j is not
 * an array. */
const struct json *json_arr_at(const struct json *j, size_t i);

/*
 * Writes s as a JSON string, quotes included; NULL writes null. Escapes
 * '"', '\\' and control characters; a byte that does not start valid
 * UTF-8 (RFC 3629) is written as U+FFFD, raw. The output is canonical:
 * parsing it and writing the result again gives the same bytes.
 */
void json_write_str(FILE *f, const char *s);

#endif
