/*
 * pdf_obj.h - the PDF object model (ISO 32000-1 §7.3) and the lexer and
 * parser that make it, over a bounded buffer.
 *
 * Objects live in an arena (the document's) and point into nothing but
 * the arena: strings and names are decoded copies. Every object records
 * the byte span it was parsed from (off, end) in the buffer it came from,
 * so that signature checks can compare ByteRange gaps with the exact
 * /Contents string, delimiters included.
 */
#ifndef TTE_PDF_OBJ_H
#define TTE_PDF_OBJ_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/rd.h"
#include "../diag.h"

#define PDF_MAX_DEPTH 64          /* nested arrays/dicts (MuPDF uses 100) */
#define PDF_MAX_NAME_LEN 127      /* ISO 32000-1 Annex C.2 */
#define PDF_MAX_STRING_LEN (32UL << 20) /* one string object */
#define PDF_MAX_ITEMS 1000000     /* entries in one array or dict */

enum pdf_kind {
	PDF_NULL = 0,
	PDF_BOOL,
	PDF_INT,
	PDF_REAL,
	PDF_STRING,
	PDF_NAME,
	PDF_ARRAY,
	PDF_DICT,
	PDF_REF,
	PDF_STREAM,
};

struct pdf_obj;

struct pdf_kv {
	const char *key; /* decoded name without '/', NUL-terminated */
	struct pdf_obj *val;
};

struct pdf_obj {
	enum pdf_kind kind;
	size_t off; /* first byte in the source buffer */
	size_t end; /* one past the last byte (for a string: past ')' or '>') */
	int in_objstm; /* parsed from an object stream: off and end are
			  offsets in the decoded stream, not in the file */
	union {
		int b;
		int64_t i;
		double r;
		struct {
			const uint8_t *p; /* decoded bytes, NUL-terminated too */
			size_t len;
			int hex;          /* written as <...> */
		} s;
		struct {
			const char *p;    /* decoded (#xx), NUL-terminated */
			size_t len;
		} n;
		struct {
			struct pdf_obj **v;
			size_t n;
		} a;
		struct {
			struct pdf_kv *v; /* in file order; duplicates kept */
			size_t n;
		} d;
		struct {
			uint32_t num;
			uint16_t gen;
		} ref;
		struct {
			struct pdf_obj *dict;
			size_t data_off;  /* raw (encoded) data in the source */
			size_t data_len;
		} st;
	} u;
};

/* Token kinds of the lexer (ISO 32000-1 §7.2). */
enum pdf_tok_kind {
	PDF_TOK_EOF = 0,
	PDF_TOK_INT,
	PDF_TOK_REAL,
	PDF_TOK_STRING,    /* (...) or <...>, decoded */
	PDF_TOK_NAME,      /* /Name, decoded */
	PDF_TOK_ARRAY_OPEN,
	PDF_TOK_ARRAY_CLOSE,
	PDF_TOK_DICT_OPEN,
	PDF_TOK_DICT_CLOSE,
	PDF_TOK_KEYWORD,   /* true false null obj endobj stream R Tj BT ... */
};

struct pdf_tok {
	enum pdf_tok_kind kind;
	size_t off, end;         /* span in the source */
	int64_t i;
	double r;
	const uint8_t *p;        /* string/name bytes (arena) or keyword
				    bytes (borrowed from the source) */
	size_t len;
	int hex;
};

struct pdf_lex {
	struct rd r;             /* the source; r.off is the position */
	struct arena *a;         /* decoded strings and names go here */
	int in_objstm;           /* copied into every object parsed (see
				    struct pdf_obj); 0 after pdf_lex_init */
	size_t reach;            /* one past the furthest byte any call
				    examined, refused tokens and the
				    parser's lookahead included (the end of
				    input after one that input ends
				    inside): what reading cost, for callers
				    that bound re-reading (pdf_doc.c) */
};

/* ISO 32000-1 §7.2.2: white space (NUL, TAB, LF, FF, CR, SP) and regular
 * characters (neither white space nor a delimiter). c may be -1 (end of
 * input): neither. */
int pdf_lex_is_space(int c);
int pdf_lex_is_regular(int c);

/* Nonzero when t is the keyword kw ("obj", "endstream", ...). */
int pdf_tok_is(const struct pdf_tok *t, const char *kw);

/* Starts a lexer over p[0..len) at offset 0. */
void pdf_lex_init(struct pdf_lex *lx, const uint8_t *p, size_t len,
		  struct arena *a);

/*
 * Reads the next token, skipping white space and comments. Malformed
 * input is an error with d filled and the position unchanged: a string
 * that input ends inside is TTE_E_TRUNCATED; a stray ')' or '>', a bad
 * hex digit or "#00" in a name TTE_E_MALFORMED; a name over
 * PDF_MAX_NAME_LEN or a string over PDF_MAX_STRING_LEN TTE_E_TOO_BIG.
 * End of input is PDF_TOK_EOF.
 */
TTE_MUST_USE tte_err pdf_lex_next(struct pdf_lex *lx, struct pdf_tok *t,
				  struct diag *d);

/*
 * Parses one object starting at the lexer's position: a direct object,
 * or "N G R" as a reference. Does not handle "N G obj" headers nor
 * streams (pdf_doc does). On success the lexer is just past the object
 * (lookahead is given back). Nesting beyond PDF_MAX_DEPTH or more than
 * PDF_MAX_ITEMS entries in a container is TTE_E_TOO_BIG; input ending
 * inside the object TTE_E_TRUNCATED; a key that is not a name, a key
 * without a value, a stray ']' or '>>' or another keyword where an
 * object belongs TTE_E_MALFORMED.
 */
TTE_MUST_USE tte_err pdf_parse_obj(struct pdf_lex *lx, struct pdf_obj **out,
				   struct diag *d);

/* The value of key in dict (the last one if duplicated), or NULL when
 * dict is not a dictionary (or a stream's dictionary) or has no key. */
struct pdf_obj *pdf_dict_get(const struct pdf_obj *dict, const char *key);

/* Nonzero when o is the name `name`. */
int pdf_name_is(const struct pdf_obj *o, const char *name);

/* Deep structural equality: references compare by number and generation,
 * streams by dictionary and raw data span contents (src is the buffer
 * the objects came from), reals by value. Depth-bounded. */
int pdf_obj_equal(const struct pdf_obj *a, const struct pdf_obj *b,
		  const uint8_t *src_a, const uint8_t *src_b);

#endif
