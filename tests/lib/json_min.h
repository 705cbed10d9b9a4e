/*
 * json_min.h - a small JSON (RFC 8259) reader for tests that read corpus
 * manifests (x509-limbo's limbo.json). Test-only: the engine reads no JSON.
 *
 * The whole text is parsed into a tree of malloc'd nodes; strings are
 * decoded (escapes, \uXXXX with surrogate pairs, to UTF-8) and
 * NUL-terminated. Numbers keep their text. Input is read through the
 * bounded reader (verifier/base/rd.h).
 *
 * Unsupported, on purpose: strings holding U+0000 (refused, so that every
 * string is a C string), duplicate-key detection (the first one wins in
 * json_min_get), and anything past RFC 8259 (comments, trailing commas).
 */
#ifndef TTE_JSON_MIN_H
#define TTE_JSON_MIN_H

#include <stddef.h>

#include "../../verifier/diag.h"

#define JSON_MIN_MAX_DEPTH 64 /* limbo.json nests 5 deep; recursion bound */
#define JSON_MIN_MAX_LEN (64u << 20) /* limbo.json is 1.9 MB; 64 MiB cap */

enum json_min_type {
	JSON_MIN_NULL = 0,
	JSON_MIN_FALSE,
	JSON_MIN_TRUE,
	JSON_MIN_NUMBER,
	JSON_MIN_STRING,
	JSON_MIN_ARRAY,
	JSON_MIN_OBJECT,
};

struct json_min {
	enum json_min_type type;
	char *key;              /* member name inside an object, else NULL */
	char *str;              /* STRING: decoded; NUMBER: its text */
	size_t len;             /* bytes in str, without the NUL */
	struct json_min *child; /* ARRAY, OBJECT: first element or member */
	size_t n;               /* ARRAY, OBJECT: number of children */
	struct json_min *next;  /* next sibling */
};

/*
 * Parses text[0..len) as one JSON value (whitespace around it allowed).
 * On success *out is a new tree the caller frees with json_min_free.
 * TTE_E_MALFORMED, TTE_E_TRUNCATED, TTE_E_TOO_BIG (nesting or size over
 * the limits above) or TTE_E_NOMEM with d filled otherwise; *out is NULL.
 */
TTE_MUST_USE tte_err json_min_parse(const char *text, size_t len,
				    struct json_min **out, struct diag *d);

/* Frees a tree from json_min_parse; NULL is a no-op. */
void json_min_free(struct json_min *j);

/* The member key of object obj (borrowed, lives as long as the tree), or
 * NULL when obj is not an object or has no such member. */
const struct json_min *json_min_get(const struct json_min *obj,
				    const char *key);

/* The string member key of obj (borrowed), or NULL when it is absent or
 * not a string (JSON null included). */
const char *json_min_get_str(const struct json_min *obj, const char *key);

#endif
