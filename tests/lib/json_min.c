/*
 * json_min.c - see json_min.h. The grammar is RFC 8259 §2-§7:
 *
 *   value  = ws ( object / array / string / number / true / false / null ) ws
 *   object = "{" [ string ":" value *( "," string ":" value ) ] "}"
 *   array  = "[" [ value *( "," value ) ] "]"
 *   number = [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ]
 *            [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
 *   string = '"' *( unescaped / "\" ( '"' / "\" / "/" / b f n r t /
 *            "u" 4HEXDIG ) ) '"'        (unescaped: U+0020 and up)
 */
#include "json_min.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../verifier/base/rd.h"

static tte_err parse_value(struct rd *r, int depth, struct json_min **out,
			   struct diag *d);

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

/* Nonzero when the next byte (after whitespace) is c; it is consumed. */
static int
accept(struct rd *r, uint8_t c)
{
	uint8_t got;

	skip_ws(r);
	if (!rd_peek(r, 0, &got) || got != c)
		return 0;
	return rd_skip(r, 1, NULL) == TTE_OK;
}

static struct json_min *
node_new(enum json_min_type type)
{
	struct json_min *j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->type = type;
	return j;
}

static int
hex_val(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the 4 hex digits of a \u escape. */
static tte_err
read_u16(struct rd *r, unsigned *out, struct diag *d)
{
	const uint8_t *p;
	tte_err rc = TTE_OK;

	*out = 0;
	TRY(rd_bytes(r, 4, &p, d));
	for (int i = 0; i < 4; i++) {
		int v = hex_val(p[i]);

		ENSURE(v >= 0, TTE_E_MALFORMED, d, "bad \\u escape at %zu",
		       r->off);
		*out = *out << 4 | (unsigned)v;
	}
out:
	return rc;
}

/* Writes code point cp as UTF-8 at buf + *n (room for 4 bytes). */
static void
put_utf8(char *buf, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		buf[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		buf[(*n)++] = (char)(0xc0 | cp >> 6);
		buf[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		buf[(*n)++] = (char)(0xe0 | cp >> 12);
		buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		buf[(*n)++] = (char)(0xf0 | cp >> 18);
		buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* One \-escape (the backslash already read) into buf + *n. */
static tte_err
read_escape(struct rd *r, char *buf, size_t *n, struct diag *d)
{
	unsigned cp, lo;
	uint8_t c;
	tte_err rc = TTE_OK;

	TRY(rd_u8(r, &c, d));
	switch (c) {
	case '"':
	case '\\':
	case '/':
		buf[(*n)++] = (char)c;
		break;
	case 'b':
		buf[(*n)++] = '\b';
		break;
	case 'f':
		buf[(*n)++] = '\f';
		break;
	case 'n':
		buf[(*n)++] = '\n';
		break;
	case 'r':
		buf[(*n)++] = '\r';
		break;
	case 't':
		buf[(*n)++] = '\t';
		break;
	case 'u':
		TRY(read_u16(r, &cp, d));
		/* RFC 8259 §7: a character outside the BMP is a surrogate
		 * pair of two escapes. */
		if (cp >= 0xd800 && cp < 0xdc00) {
			uint8_t b0 = 0, b1 = 0;

			ENSURE(rd_peek(r, 0, &b0) && rd_peek(r, 1, &b1) &&
				       b0 == '\\' && b1 == 'u',
			       TTE_E_MALFORMED, d, "lone high surrogate at %zu",
			       r->off);
			TRY(rd_skip(r, 2, d));
			TRY(read_u16(r, &lo, d));
			ENSURE(lo >= 0xdc00 && lo < 0xe000, TTE_E_MALFORMED, d,
			       "bad low surrogate at %zu", r->off);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else {
			ENSURE(cp < 0xdc00 || cp >= 0xe000, TTE_E_MALFORMED, d,
			       "lone low surrogate at %zu", r->off);
		}
		ENSURE(cp != 0, TTE_E_UNSUPPORTED, d,
		       "\\u0000 in a string at %zu", r->off);
		put_utf8(buf, n, cp);
		break;
	default:
		BAIL(TTE_E_MALFORMED, d, "bad escape at %zu", r->off);
	}
out:
	return rc;
}

/*
 * Reads a string (the opening quote next) into a new NUL-terminated
 * buffer. The decoded form is never longer than the raw one (an escape of
 * 2, 6 or 12 bytes gives 1 to 4), so the raw length bounds the buffer.
 */
static tte_err
read_string(struct rd *r, char **out, size_t *out_len, struct diag *d)
{
	size_t raw = 0, n = 0;
	char *buf = NULL;
	uint8_t c;
	tte_err rc = TTE_OK;

	*out = NULL;
	ENSURE(accept(r, '"'), TTE_E_MALFORMED, d, "string expected at %zu",
	       r->off);
	for (;;) {
		ENSURE(rd_peek(r, raw, &c), TTE_E_TRUNCATED, d,
		       "unterminated string at %zu", r->off);
		if (c == '"')
			break;
		ENSURE(c >= 0x20, TTE_E_MALFORMED, d,
		       "control character in a string at %zu", r->off + raw);
		raw += c == '\\' ? 2 : 1;
	}
	buf = malloc(raw + 1);
	ENSURE(buf != NULL, TTE_E_NOMEM, d, "string of %zu bytes", raw);
	for (;;) {
		TRY(rd_u8(r, &c, d));
		if (c == '"')
			break;
		if (c == '\\')
			TRY(read_escape(r, buf, &n, d));
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	buf = NULL;
out:
	free(buf);
	return rc;
}

/* Counts the digits at the reader's position + *k, moving *k past them. */
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
read_number(struct rd *r, struct json_min *j, struct diag *d)
{
	const uint8_t *p;
	size_t k = 0;
	uint8_t c;
	tte_err rc = TTE_OK;

	if (rd_peek(r, k, &c) && c == '-')
		k++;
	ENSURE(rd_peek(r, k, &c) && is_digit(c), TTE_E_MALFORMED, d,
	       "number expected at %zu", r->off);
	if (c == '0')
		k++;
	else
		(void)digits(r, &k);
	if (rd_peek(r, k, &c) && c == '.') {
		k++;
		ENSURE(digits(r, &k) > 0, TTE_E_MALFORMED, d,
		       "digits expected after '.' at %zu", r->off + k);
	}
	if (rd_peek(r, k, &c) && (c == 'e' || c == 'E')) {
		k++;
		if (rd_peek(r, k, &c) && (c == '+' || c == '-'))
			k++;
		ENSURE(digits(r, &k) > 0, TTE_E_MALFORMED, d,
		       "digits expected in an exponent at %zu", r->off + k);
	}
	TRY(rd_bytes(r, k, &p, d));
	j->str = malloc(k + 1);
	ENSURE(j->str != NULL, TTE_E_NOMEM, d, "number");
	memcpy(j->str, p, k);
	j->str[k] = '\0';
	j->len = k;
out:
	return rc;
}

/* Reads the literal word (true, false, null). */
static tte_err
read_word(struct rd *r, const char *word, struct diag *d)
{
	size_t n = strlen(word);
	const uint8_t *p;
	tte_err rc = TTE_OK;

	TRY(rd_bytes(r, n, &p, d));
	ENSURE(memcmp(p, word, n) == 0, TTE_E_MALFORMED, d,
	       "'%s' expected at %zu", word, r->off - n);
out:
	return rc;
}

/* Array or object (its opening bracket already read) up to close. */
static tte_err
read_members(struct rd *r, int depth, struct json_min *j, uint8_t close,
	     struct diag *d)
{
	struct json_min **tail = &j->child;
	tte_err rc = TTE_OK;

	if (accept(r, close))
		goto out;
	do {
		struct json_min *m = NULL;
		char *key = NULL;
		size_t key_len;

		if (j->type == JSON_MIN_OBJECT) {
			skip_ws(r);
			TRY(read_string(r, &key, &key_len, d));
			if (!accept(r, ':')) {
				free(key);
				BAIL(TTE_E_MALFORMED, d, "':' expected at %zu",
				     r->off);
			}
		}
		rc = parse_value(r, depth + 1, &m, d);
		if (rc != TTE_OK) {
			free(key);
			goto out;
		}
		m->key = key;
		*tail = m;
		tail = &m->next;
		j->n++;
	} while (accept(r, ','));
	ENSURE(accept(r, close), TTE_E_MALFORMED, d, "'%c' expected at %zu",
	       close, r->off);
out:
	return rc;
}

static tte_err
parse_value(struct rd *r, int depth, struct json_min **out, struct diag *d)
{
	struct json_min *j = NULL;
	uint8_t c;
	tte_err rc = TTE_OK;

	*out = NULL;
	ENSURE(depth <= JSON_MIN_MAX_DEPTH, TTE_E_TOO_BIG, d,
	       "nesting deeper than %d at %zu", JSON_MIN_MAX_DEPTH, r->off);
	skip_ws(r);
	ENSURE(rd_peek(r, 0, &c), TTE_E_TRUNCATED, d, "value expected at %zu",
	       r->off);
	switch (c) {
	case '{':
	case '[':
		j = node_new(c == '{' ? JSON_MIN_OBJECT : JSON_MIN_ARRAY);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(rd_skip(r, 1, d));
		TRY(read_members(r, depth, j, c == '{' ? '}' : ']', d));
		break;
	case '"':
		j = node_new(JSON_MIN_STRING);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(read_string(r, &j->str, &j->len, d));
		break;
	case 't':
		j = node_new(JSON_MIN_TRUE);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(read_word(r, "true", d));
		break;
	case 'f':
		j = node_new(JSON_MIN_FALSE);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(read_word(r, "false", d));
		break;
	case 'n':
		j = node_new(JSON_MIN_NULL);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(read_word(r, "null", d));
		break;
	default:
		j = node_new(JSON_MIN_NUMBER);
		ENSURE(j != NULL, TTE_E_NOMEM, d, "json node");
		TRY(read_number(r, j, d));
		break;
	}
	skip_ws(r);
	*out = j;
	j = NULL;
out:
	json_min_free(j);
	return rc;
}

/* see json_min.h */
tte_err
json_min_parse(const char *text, size_t len, struct json_min **out,
	       struct diag *d)
{
	struct json_min *j = NULL;
	struct rd r;
	tte_err rc = TTE_OK;

	*out = NULL;
	ENSURE(len <= JSON_MIN_MAX_LEN, TTE_E_TOO_BIG, d,
	       "json text of %zu bytes", len);
	rd_init(&r, text, len);
	TRY(parse_value(&r, 0, &j, d));
	ENSURE(rd_left(&r) == 0, TTE_E_TRAILING, d,
	       "%zu bytes after the json value", rd_left(&r));
	*out = j;
	j = NULL;
out:
	json_min_free(j);
	return rc;
}

/* see json_min.h */
void
json_min_free(struct json_min *j)
{
	/* Siblings in a loop, children by recursion: at most
	 * JSON_MIN_MAX_DEPTH frames deep. */
	while (j != NULL) {
		struct json_min *next = j->next;

		json_min_free(j->child);
		free(j->key);
		free(j->str);
		free(j);
		j = next;
	}
}

/* see json_min.h */
const struct json_min *
json_min_get(const struct json_min *obj, const char *key)
{
	if (obj == NULL || obj->type != JSON_MIN_OBJECT)
		return NULL;
	for (const struct json_min *m = obj->child; m != NULL; m = m->next) {
		if (strcmp(m->key, key) == 0)
			return m;
	}
	return NULL;
}

/* see json_min.h */
const char *
json_min_get_str(const struct json_min *obj, const char *key)
{
	const struct json_min *m = json_min_get(obj, key);

	return m != NULL && m->type == JSON_MIN_STRING ? m->str : NULL;
}
