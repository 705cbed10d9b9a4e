/*
 * json.c - see json.h. The grammar is RFC 8259 §2-§8:
 *
 *   JSON-text = ws value ws
 *   value  = object / array / string / number / "true" / "false" / "null"
 *   object = "{" ws [ member *( ws "," ws member ) ] ws "}"
 *   member = string ws ":" ws value
 *   array  = "[" ws [ value *( ws "," ws value ) ] ws "]"
 *   number = [ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ]
 *            [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
 *   string = %x22 *char %x22
 *   char   = unescaped (%x20-21 / %x23-5B / %x5D-10FFFF, as UTF-8)
 *          / "\" ( %x22 / "\" / "/" / "b" / "f" / "n" / "r" / "t"
 *                  / "u" 4HEXDIG )
 *   ws     = *( %x20 / %x09 / %x0A / %x0D )
 *
 * A character outside the BMP is escaped as a UTF-16 surrogate pair,
 * "\uD834\uDD1E" (§7). Every input byte is read through the bounded
 * reader (base/rd.h).
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "rd.h"
#include "utf8.h"

const struct json_limits json_limits_default = {
	JSON_MAX_DEPTH,
	JSON_MAX_STRING,
	JSON_MAX_NODES,
};

struct parser {
	struct rd r;
	struct arena *a;
	struct json_limits lim;
	size_t nodes;
	struct diag *d;
};

/* A list of children while their container is read; items[] after. */
struct link {
	struct json *j;
	struct link *next;
};

static tte_err parse_value(struct parser *p, unsigned depth,
			   struct json **out);

static int
is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static void
skip_ws(struct rd *r)
{
	uint8_t c;

	while (rd_peek(r, 0, &c) && is_ws(c)) {
		if (rd_skip(r, 1, NULL) != TTE_OK)
			return;
	}
}

/*
 * Length of the valid UTF-8 sequence at s[0..left), or 0 (RFC 3629 §4:
 * no overlong forms, no surrogates, nothing past U+10FFFF).
 */
static size_t
utf8_seq(const uint8_t *s, size_t left)
{
	size_t n;
	uint8_t lo = 0x80, hi = 0xbf;

	if (left == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 0;
	}
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

static tte_err
node_new(struct parser *p, enum json_type type, struct json **out)
{
	struct json *j;
	tte_err rc = TTE_OK;

	*out = NULL;
	ENSURE(p->nodes < p->lim.max_nodes, TTE_E_TOO_BIG, p->d,
	       "json: more than %zu values at byte %zu", p->lim.max_nodes,
	       p->r.off);
	j = arena_alloc(p->a, sizeof(*j));
	ENSURE(j != NULL, TTE_E_NOMEM, p->d, "json: node at byte %zu",
	       p->r.off);
	p->nodes++;
	j->type = type;
	j->off = p->r.off;
	*out = j;
out:
	return rc;
}

/* The 4 hex digits after "\u" (the reader is on the first); `at` is
 * where the escape starts. */
static tte_err
read_hex4(struct parser *p, size_t at, uint32_t *out)
{
	uint8_t c = 0;
	tte_err rc = TTE_OK;

	*out = 0;
	for (size_t i = 0; i < 4; i++) {
		int v;

		ENSURE(rd_peek(&p->r, i, &c), TTE_E_TRUNCATED, p->d,
		       "json: the text ends inside a \\u escape at byte %zu",
		       at);
		v = hex_digit(c);
		ENSURE(v >= 0, TTE_E_MALFORMED, p->d,
		       "json: \\u needs 4 hex digits at byte %zu", at);
		*out = *out << 4 | (uint32_t)v;
	}
	TRY(rd_skip(&p->r, 4, p->d));
out:
	return rc;
}

/* One escape, the backslash read (at byte `at`), appended to buf + *n. */
static tte_err
read_escape(struct parser *p, size_t at, char *buf, size_t *n)
{
	uint32_t cp = 0, lo = 0;
	uint8_t c = 0, b0 = 0, b1 = 0;
	tte_err rc = TTE_OK;

	ENSURE(rd_u8(&p->r, &c, NULL) == TTE_OK, TTE_E_TRUNCATED, p->d,
	       "json: the text ends inside an escape at byte %zu", at);
	switch (c) {
	case '"':
	case '\\':
	case '/':
		buf[(*n)++] = (char)c;
		goto out;
	case 'b':
		buf[(*n)++] = '\b';
		goto out;
	case 'f':
		buf[(*n)++] = '\f';
		goto out;
	case 'n':
		buf[(*n)++] = '\n';
		goto out;
	case 'r':
		buf[(*n)++] = '\r';
		goto out;
	case 't':
		buf[(*n)++] = '\t';
		goto out;
	case 'u':
		break;
	default:
		BAIL(TTE_E_MALFORMED, p->d,
		     "json: unknown escape '\\%c' at byte %zu",
		     c >= 0x20 && c < 0x7f ? c : '?', at);
	}
	TRY(read_hex4(p, at, &cp));
	if (cp >= 0xd800 && cp <= 0xdbff) {
		/* RFC 8259 §7: a high surrogate must be followed by an
		 * escaped low one. */
		ENSURE(rd_peek(&p->r, 0, &b0) && rd_peek(&p->r, 1, &b1) &&
			       b0 == '\\' && b1 == 'u',
		       TTE_E_MALFORMED, p->d,
		       "json: lone surrogate \\u%04x at byte %zu", (unsigned)cp,
		       at);
		TRY(rd_skip(&p->r, 2, p->d));
		TRY(read_hex4(p, at, &lo));
		ENSURE(lo >= 0xdc00 && lo <= 0xdfff, TTE_E_MALFORMED, p->d,
		       "json: lone surrogate \\u%04x at byte %zu (followed by "
		       "\\u%04x)", (unsigned)cp, at, (unsigned)lo);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else {
		ENSURE(cp < 0xdc00 || cp > 0xdfff, TTE_E_MALFORMED, p->d,
		       "json: lone surrogate \\u%04x at byte %zu", (unsigned)cp,
		       at);
	}
	ENSURE(cp != 0, TTE_E_UNSUPPORTED, p->d,
	       "json: \\u0000 in a string at byte %zu", at);
	*n += utf8_put(cp, buf + *n);
out:
	return rc;
}

/*
 * Reads a string (the reader on its opening quote) into an arena buffer.
 * The first pass finds the closing quote: every escape is 2 raw bytes or
 * more and decodes to at most 4 bytes from 6 or more (a \u escape), so
 * the raw length bounds the decoded one.
 */
static tte_err
read_string(struct parser *p, const char **out, size_t *out_len)
{
	const size_t start = p->r.off;
	size_t raw = 1, n = 0;
	uint8_t c = 0, seq[4];
	char *buf = NULL;
	tte_err rc = TTE_OK;

	*out = NULL;
	for (;;) {
		ENSURE(rd_peek(&p->r, raw, &c), TTE_E_TRUNCATED, p->d,
		       "json: unterminated string starting at byte %zu", start);
		if (c == '"')
			break;
		raw += c == '\\' ? 2 : 1;
		/* No more than 6 raw bytes per decoded byte (\u0041). */
		ENSURE(raw / 6 <= p->lim.max_string, TTE_E_TOO_BIG, p->d,
		       "json: string longer than %zu bytes at byte %zu",
		       p->lim.max_string, start);
	}
	buf = arena_alloc(p->a, raw);
	ENSURE(buf != NULL, TTE_E_NOMEM, p->d,
	       "json: string of %zu bytes at byte %zu", raw, start);
	TRY(rd_skip(&p->r, 1, p->d));
	for (;;) {
		const size_t at = p->r.off;
		size_t k = 0, len;

		TRY(rd_u8(&p->r, &c, p->d));
		if (c == '"')
			break;
		if (c == '\\') {
			TRY(read_escape(p, at, buf, &n));
			continue;
		}
		ENSURE(c >= 0x20, TTE_E_MALFORMED, p->d,
		       "json: control character 0x%02x in a string at byte "
		       "%zu", c, at);
		if (c < 0x80) {
			buf[n++] = (char)c;
			continue;
		}
		seq[k++] = c;
		while (k < sizeof(seq) && rd_peek(&p->r, k - 1, &seq[k]))
			k++;
		len = utf8_seq(seq, k);
		ENSURE(len > 0, TTE_E_MALFORMED, p->d,
		       "json: invalid UTF-8 in a string at byte %zu", at);
		memcpy(buf + n, seq, len);
		n += len;
		TRY(rd_skip(&p->r, len - 1, p->d));
	}
	ENSURE(n <= p->lim.max_string, TTE_E_TOO_BIG, p->d,
	       "json: string longer than %zu bytes at byte %zu",
	       p->lim.max_string, start);
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
out:
	return rc;
}

/* Moves *k past the digits at the reader's position + *k; their count. */
static size_t
digits(const struct rd *r, size_t *k)
{
	size_t start = *k;
	uint8_t c;

	while (rd_peek(r, *k, &c) && is_digit(c))
		(*k)++;
	return *k - start;
}

static tte_err
read_number(struct parser *p, struct json *j)
{
	const size_t start = p->r.off;
	char tok[JSON_MAX_NUMBER_LEN + 1];
	const uint8_t *b = NULL;
	size_t k = 0, i = 0;
	int neg = 0, is_int = 1;
	uint64_t mag = 0;
	uint8_t c = 0;
	tte_err rc = TTE_OK;

	if (rd_peek(&p->r, k, &c) && c == '-') {
		neg = 1;
		k++;
	}
	ENSURE(rd_peek(&p->r, k, &c), TTE_E_TRUNCATED, p->d,
	       "json: the text ends inside a number at byte %zu", start);
	ENSURE(is_digit(c), TTE_E_MALFORMED, p->d,
	       "json: unexpected '%c' at byte %zu",
	       c >= 0x20 && c < 0x7f ? c : '?', start + k);
	if (c == '0')
		k++;
	else
		(void)digits(&p->r, &k);
	if (rd_peek(&p->r, k, &c) && c == '.') {
		k++;
		is_int = 0;
		ENSURE(digits(&p->r, &k) > 0, TTE_E_MALFORMED, p->d,
		       "json: digits expected after '.' at byte %zu",
		       start + k);
	}
	if (rd_peek(&p->r, k, &c) && (c == 'e' || c == 'E')) {
		k++;
		is_int = 0;
		if (rd_peek(&p->r, k, &c) && (c == '+' || c == '-'))
			k++;
		ENSURE(digits(&p->r, &k) > 0, TTE_E_MALFORMED, p->d,
		       "json: digits expected in the exponent at byte %zu",
		       start + k);
	}
	ENSURE(k <= JSON_MAX_NUMBER_LEN, TTE_E_TOO_BIG, p->d,
	       "json: number of more than %d characters at byte %zu",
	       JSON_MAX_NUMBER_LEN, start);
	TRY(rd_bytes(&p->r, k, &b, p->d));
	memcpy(tok, b, k);
	tok[k] = '\0';
	/* Integers exactly, with the overflow check before each step
	 * (STYLE.md rule 8); |INT64_MIN| is one more than INT64_MAX. */
	for (i = (size_t)neg; is_int && i < k; i++) {
		uint64_t dg = (uint64_t)(tok[i] - '0');

		if (mag > (UINT64_MAX - dg) / 10)
			is_int = 0;
		else
			mag = mag * 10 + dg;
	}
	if (is_int && !neg && mag > (uint64_t)INT64_MAX)
		is_int = 0;
	if (is_int && neg && mag > (uint64_t)INT64_MAX + 1)
		is_int = 0;
	j->is_int = is_int;
	if (is_int)
		j->i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	/* strtod reads the C locale's '.': nothing here calls setlocale. */
	j->num = strtod(tok, NULL);
out:
	return rc;
}

/* The literal word (true, false, null) at the reader. */
static tte_err
read_word(struct parser *p, const char *word)
{
	const size_t start = p->r.off, n = strlen(word);
	uint8_t c = 0;
	tte_err rc = TTE_OK;

	for (size_t i = 0; i < n; i++) {
		ENSURE(rd_peek(&p->r, i, &c), TTE_E_TRUNCATED, p->d,
		       "json: the text ends inside '%s' at byte %zu", word,
		       start);
		ENSURE(c == (uint8_t)word[i], TTE_E_MALFORMED, p->d,
		       "json: unexpected '%c' at byte %zu (in '%s'?)",
		       c >= 0x20 && c < 0x7f ? c : '?', start + i, word);
	}
	TRY(rd_skip(&p->r, n, p->d));
out:
	return rc;
}

/* The next byte after whitespace must be one of `want`; it is read. */
static tte_err
expect(struct parser *p, const char *want, const char *what, uint8_t *got)
{
	uint8_t c = 0;
	tte_err rc = TTE_OK;

	skip_ws(&p->r);
	ENSURE(rd_peek(&p->r, 0, &c), TTE_E_TRUNCATED, p->d,
	       "json: the text ends where %s is expected at byte %zu", what,
	       p->r.off);
	ENSURE(c != 0 && strchr(want, c) != NULL, TTE_E_MALFORMED, p->d,
	       "json: %s expected at byte %zu, not '%c'", what, p->r.off,
	       c >= 0x20 && c < 0x7f ? c : '?');
	TRY(rd_skip(&p->r, 1, p->d));
	*got = c;
out:
	return rc;
}

/* Elements or members of j (its bracket read) up to the closing one. */
static tte_err
read_container(struct parser *p, unsigned depth, struct json *j)
{
	const int is_obj = j->type == JSON_OBJECT;
	const uint8_t close = is_obj ? '}' : ']';
	struct link *head = NULL, **tail = &head;
	uint8_t c = 0;
	size_t i;
	tte_err rc = TTE_OK;

	skip_ws(&p->r);
	if (rd_peek(&p->r, 0, &c) && c == close) {
		TRY(rd_skip(&p->r, 1, p->d));
		goto out;
	}
	for (;;) {
		const char *key = NULL;
		size_t key_len = 0;
		struct json *m = NULL;
		struct link *l;

		if (is_obj) {
			skip_ws(&p->r);
			ENSURE(rd_peek(&p->r, 0, &c), TTE_E_TRUNCATED, p->d,
			       "json: the text ends inside an object at byte "
			       "%zu", p->r.off);
			ENSURE(c == '"', TTE_E_MALFORMED, p->d,
			       "json: member name expected at byte %zu, not "
			       "'%c'", p->r.off,
			       c >= 0x20 && c < 0x7f ? c : '?');
			TRY(read_string(p, &key, &key_len));
			TRY(expect(p, ":", "':'", &c));
		}
		TRY(parse_value(p, depth, &m));
		m->key = key;
		l = arena_alloc(p->a, sizeof(*l));
		ENSURE(l != NULL, TTE_E_NOMEM, p->d, "json: list at byte %zu",
		       p->r.off);
		l->j = m;
		*tail = l;
		tail = &l->next;
		j->n++;
		TRY(expect(p, is_obj ? ",}" : ",]",
			   is_obj ? "',' or '}'" : "',' or ']'", &c));
		if (c == close)
			break;
	}
out:
	if (rc == TTE_OK && j->n > 0) {
		j->items = arena_alloc(p->a, j->n * sizeof(*j->items));
		if (j->items == NULL)
			return diag_set(p->d, TTE_E_NOMEM, __FILE__, __LINE__,
					"json: %zu items", j->n);
		i = 0;
		for (struct link *l = head; l != NULL; l = l->next)
			j->items[i++] = l->j;
	}
	return rc;
}

/* One value at the reader (whitespace before it skipped); depth counts
 * the containers around it. */
static tte_err
parse_value(struct parser *p, unsigned depth, struct json **out)
{
	struct json *j = NULL;
	uint8_t c = 0;
	tte_err rc = TTE_OK;

	*out = NULL;
	skip_ws(&p->r);
	ENSURE(rd_peek(&p->r, 0, &c), TTE_E_TRUNCATED, p->d,
	       "json: the text ends where a value is expected at byte %zu",
	       p->r.off);
	switch (c) {
	case '{':
	case '[':
		ENSURE(depth < p->lim.max_depth, TTE_E_TOO_BIG, p->d,
		       "json: nesting deeper than %u at byte %zu",
		       p->lim.max_depth, p->r.off);
		TRY(node_new(p, c == '{' ? JSON_OBJECT : JSON_ARRAY, &j));
		TRY(rd_skip(&p->r, 1, p->d));
		TRY(read_container(p, depth + 1, j));
		break;
	case '"':
		TRY(node_new(p, JSON_STRING, &j));
		TRY(read_string(p, &j->str, &j->len));
		break;
	case 't':
		TRY(node_new(p, JSON_TRUE, &j));
		TRY(read_word(p, "true"));
		break;
	case 'f':
		TRY(node_new(p, JSON_FALSE, &j));
		TRY(read_word(p, "false"));
		break;
	case 'n':
		TRY(node_new(p, JSON_NULL, &j));
		TRY(read_word(p, "null"));
		break;
	default:
		TRY(node_new(p, JSON_NUMBER, &j));
		TRY(read_number(p, j));
		break;
	}
	*out = j;
out:
	return rc;
}

/* see json.h */
tte_err
json_parse(const void *text, size_t len, struct arena *a,
	   const struct json_limits *lim, const struct json **out,
	   struct diag *d)
{
	struct parser p;
	struct json *j = NULL;
	tte_err rc = TTE_OK;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	rd_init(&p.r, text, len);
	p.a = a;
	p.d = d;
	p.lim = lim != NULL ? *lim : json_limits_default;
	if (p.lim.max_depth > JSON_MAX_DEPTH)
		p.lim.max_depth = JSON_MAX_DEPTH;
	TRY(parse_value(&p, 0, &j));
	skip_ws(&p.r);
	ENSURE(rd_left(&p.r) == 0, TTE_E_TRAILING, d,
	       "json: %zu unexpected bytes after the value at byte %zu",
	       rd_left(&p.r), p.r.off);
	*out = j;
out:
	return rc;
}

/* see json.h */
const char *
json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
		return "false";
	case JSON_TRUE:
		return "true";
	case JSON_NUMBER:
		return "number";
	case JSON_STRING:
		return "string";
	case JSON_ARRAY:
		return "array";
	case JSON_OBJECT:
		return "object";
	}
	return "?";
}

/* see json.h */
const struct json *
json_get(const struct json *obj, const char *key)
{
	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++) {
		if (strcmp(obj->items[i]->key, key) == 0)
			return obj->items[i];
	}
	return NULL;
}

/* see json.h */
int
json_int(const struct json *j, int64_t *out)
{
	if (j == NULL || j->type != JSON_NUMBER || !j->is_int)
		return -1;
	*out = j->i;
	return 0;
}

/* see json.h */
const char *
json_str(const struct json *j)
{
	return j != NULL && j->type == JSON_STRING ? j->str : NULL;
}

/* see json.h */
int
json_bool(const struct json *j, int *out)
{
	if (j == NULL || (j->type != JSON_TRUE && j->type != JSON_FALSE))
		return -1;
	*out = j->type == JSON_TRUE;
	return 0;
}

/* see json.h */
int
json_is_null(const struct json *j)
{
	return j != NULL && j->type == JSON_NULL;
}

/* see json.h */
size_t
json_arr_len(const struct json *j)
{
	return j != NULL && j->type == JSON_ARRAY ? j->n : 0;
}

/* see json.h */
const struct json *
json_arr_at(const struct json *j, size_t i)
{
	if (j == NULL || j->type != JSON_ARRAY || i >= j->n)
		return NULL;
	return j->items[i];
}

/* see json.h */
void
json_write_str(FILE *f, const char *str)
{
	const uint8_t *s = (const uint8_t *)str;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*s != '\0') {
		size_t left = 1, n;

		/* How much of a sequence there is before the NUL. */
		while (left < 4 && s[left - 1] != '\0' && s[left] != '\0')
			left++;
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			s++;
			continue;
		case '\\':
			fputs("\\\\", f);
			s++;
			continue;
		case '\n':
			fputs("\\n", f);
			s++;
			continue;
		case '\r':
			fputs("\\r", f);
			s++;
			continue;
		case '\t':
			fputs("\\t", f);
			s++;
			continue;
		default:
			break;
		}
		if (*s < 0x20) {
			fprintf(f, "\\u%04x", *s++);
			continue;
		}
		n = utf8_seq(s, left);
		if (n == 0) {
			/* U+FFFD raw, as the parser gives it back. */
			fputs("\xef\xbf\xbd", f);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
	fputc('"', f);
}
