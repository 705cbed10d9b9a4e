/*
 * pdf_lex.c - PDF tokens (ISO 32000-1 §7.2, §7.3).
 *
 * The bytes fall into three classes (§7.2.2, Tables 1 and 2):
 *
 *   white space  NUL HT LF FF CR SP      separates tokens, else ignored
 *   delimiters   ( ) < > [ ] { } / %     end a token and start another
 *   regular      everything else         runs of them are one token
 *
 * and the tokens are:
 *
 *   %...EOL                comment, skipped like white space (§7.2.3)
 *   123 -4 +.5 -3. 0.25    numbers (§7.3.3): an optional sign, digits, at
 *                          most one '.'; "1e5" is not a PDF number: the
 *                          number ends at 'e' and "e5" is a keyword
 *   (text)                 literal string (§7.3.4.2): balanced parentheses,
 *                          escapes \n \r \t \b \f \( \) \\ \ddd, a
 *                          backslash before an end of line continues the
 *                          line, and a bare CR, LF or CR LF reads as LF
 *   <48 65 6c>             hexadecimal string (§7.3.4.3): white space
 *                          allowed, an odd last digit is followed by 0
 *   /Name#20x              name (§7.3.5): #xx is the byte xx
 *   [ ] << >>              array and dictionary brackets
 *   { }                    one-byte keywords (PostScript calculator
 *                          functions, §7.10.5)
 *   true obj R Tj ...      keywords: any other run of regular bytes, kept
 *                          raw (borrowed from the source)
 *
 * Every token records its span [off, end) in the source: a string's span
 * includes its delimiters, which signature ByteRange checks rely on.
 *
 * Errors: input that ends inside a string is TTE_E_TRUNCATED; a stray ')'
 * or '>', a bad byte in a hex string or "#00" in a name is
 * TTE_E_MALFORMED; a name over PDF_MAX_NAME_LEN bytes or a string over
 * PDF_MAX_STRING_LEN is TTE_E_TOO_BIG. On error the position does not
 * move.
 *
 * Unsupported, on purpose: nothing is guessed for a '#' in a name that is
 * not followed by two hex digits: it is kept as a '#' (PDF 1.1 names).
 */
#include "../base/hex.h"
#include "pdf_obj.h"

#include <string.h>

#define SIG_DIGITS 18 /* digits a double keeps (17) plus one for rounding */

/* see pdf_obj.h */
int
pdf_lex_is_space(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       c == ' ';
}

static int
is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

/* see pdf_obj.h */
int
pdf_lex_is_regular(int c)
{
	return c >= 0 && c <= 255 && !pdf_lex_is_space(c) && !is_delim(c);
}

/* see pdf_obj.h */
int
pdf_tok_is(const struct pdf_tok *t, const char *kw)
{
	size_t n = strlen(kw);

	return t->kind == PDF_TOK_KEYWORD && t->len == n &&
	       memcmp(t->p, kw, n) == 0;
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* The bytes from r's position to its end, borrowed; *n is their count. */
static const uint8_t *
rest(const struct rd *r, size_t *n)
{
	struct rd t = *r;
	const uint8_t *b = NULL;

	*n = rd_left(r);
	if (*n == 0 || rd_bytes(&t, *n, &b, NULL) != TTE_OK) {
		*n = 0;
		return NULL;
	}
	return b;
}

/*
 * Decodes the literal string whose '(' is s[0] (§7.3.4.2). out may be
 * NULL to only measure. Returns 1 with *used (bytes through the closing
 * ')') and *dlen set, or 0 when s ends first. Nesting is a counter.
 */
static int
literal(const uint8_t *s, size_t n, uint8_t *out, size_t *used, size_t *dlen)
{
	size_t i = 1, o = 0, depth = 1;
	uint8_t c, v;
	int k;

	while (i < n) {
		c = s[i++];
		if (c == '(') {
			depth++;
		} else if (c == ')') {
			depth--;
			if (depth == 0) {
				*used = i;
				*dlen = o;
				return 1;
			}
		} else if (c == '\r') {
			/* A bare end of line reads as LF. */
			c = '\n';
			if (i < n && s[i] == '\n')
				i++;
		} else if (c == '\\') {
			if (i >= n)
				return 0;
			c = s[i++];
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case '\r':
				/* Line continuation: neither byte is data. */
				if (i < n && s[i] == '\n')
					i++;
				continue;
			case '\n':
				continue;
			case '0':
			case '1':
			case '2':
			case '3':
			case '4':
			case '5':
			case '6':
			case '7':
				/* Up to three octal digits; overflow of the
				 * high-order digit is ignored (§7.3.4.2). */
				v = (uint8_t)(c - '0');
				for (k = 1; k < 3 && i < n && s[i] >= '0' &&
				            s[i] <= '7';
				     k++)
					v = (uint8_t)(v * 8 + (s[i++] - '0'));
				c = v;
				break;
			default:
				/* \( \) \\ and any other byte: the byte. */
				break;
			}
		}
		if (out != NULL)
			out[o] = c;
		o++;
	}
	return 0;
}

/*
 * Decodes the hex string whose '<' is s[0] (§7.3.4.3). Returns 0 with
 * *used and *dlen set, 1 when s ends first, 2 on a bad byte at *used.
 */
static int
hexstr(const uint8_t *s, size_t n, uint8_t *out, size_t *used, size_t *dlen)
{
	size_t i = 1, o = 0;
	int hi = -1, v;

	while (i < n) {
		if (s[i] == '>') {
			if (hi >= 0) {
				if (out != NULL)
					out[o] = (uint8_t)(hi << 4);
				o++;
			}
			*used = i + 1;
			*dlen = o;
			return 0;
		}
		if (pdf_lex_is_space(s[i])) {
			i++;
			continue;
		}
		v = hex_digit(s[i]);
		if (v < 0) {
			*used = i;
			return 2;
		}
		if (hi < 0) {
			hi = v;
		} else {
			if (out != NULL)
				out[o] = (uint8_t)(hi << 4 | v);
			o++;
			hi = -1;
		}
		i++;
	}
	return 1;
}

/*
 * Reads a number at s[0] (§7.3.3) into t. Returns the bytes used, or 0
 * when s does not start a number (a sign or '.' without digits).
 */
static size_t
number(const uint8_t *s, size_t n, struct pdf_tok *t)
{
	size_t i = 0, digits = 0;
	int neg = 0, dot = 0, over = 0, sig = 0;
	uint64_t iv = 0;
	double rv = 0;
	long exp10 = 0;
	uint64_t lim;

	if (i < n && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (!is_digit(s[i]))
			break;
		digits++;
		if (!dot && !over) {
			if (iv > (lim - (uint64_t)(s[i] - '0')) / 10)
				over = 1;
			else
				iv = iv * 10 + (uint64_t)(s[i] - '0');
		}
		/* The double keeps SIG_DIGITS significant digits; the
		 * rest only scale it. */
		if (sig < SIG_DIGITS) {
			rv = rv * 10 + (s[i] - '0');
			if (rv != 0)
				sig++;
			if (dot)
				exp10--;
		} else if (!dot) {
			exp10++;
		}
	}
	if (digits == 0)
		return 0;
	/* exp10 is bounded by the token's length: these loops are linear. */
	for (; exp10 > 0 && rv < 1e308; exp10--)
		rv *= 10;
	for (; exp10 < 0 && rv != 0; exp10++)
		rv /= 10;
	if (neg)
		rv = -rv;
	if (dot || over) {
		/* An integer too big for int64 is kept as a real. */
		t->kind = PDF_TOK_REAL;
		t->r = rv;
	} else {
		t->kind = PDF_TOK_INT;
		t->i = neg ? (int64_t)(0 - iv) : (int64_t)iv;
		t->r = (double)t->i;
	}
	return i;
}

/* see pdf_obj.h */
void
pdf_lex_init(struct pdf_lex *lx, const uint8_t *p, size_t len, struct arena *a)
{
	rd_init(&lx->r, p, len);
	lx->a = a;
	lx->in_objstm = 0;
	lx->reach = 0;
}

/* see pdf_obj.h */
tte_err
pdf_lex_next(struct pdf_lex *lx, struct pdf_tok *t, struct diag *d)
{
	const uint8_t *s;
	size_t n, i = 0, used = 0, dlen = 0, base, stop = 0;
	uint8_t *buf;
	char name[PDF_MAX_NAME_LEN + 1];
	int h1, h2, st;
	tte_err rc = TTE_OK;

	memset(t, 0, sizeof(*t));
	s = rest(&lx->r, &n);
	base = lx->r.off;
	/* White space and comments (§7.2.2, §7.2.3). */
	while (i < n) {
		if (pdf_lex_is_space(s[i])) {
			i++;
		} else if (s[i] == '%') {
			while (i < n && s[i] != '\r' && s[i] != '\n')
				i++;
		} else {
			break;
		}
	}
	t->off = base + i;
	t->end = t->off;
	if (i == n) {
		t->kind = PDF_TOK_EOF;
		used = i;
		goto done;
	}
	switch (s[i]) {
	case '(':
		ENSURE(literal(s + i, n - i, NULL, &used, &dlen),
		       TTE_E_TRUNCATED, d,
		       "unterminated literal string at offset %zu", t->off);
		ENSURE(dlen <= PDF_MAX_STRING_LEN, TTE_E_TOO_BIG, d,
		       "string of %zu bytes at offset %zu", dlen, t->off);
		buf = arena_alloc(lx->a, dlen + 1);
		ENSURE(buf != NULL, TTE_E_NOMEM, d, "string at offset %zu",
		       t->off);
		(void)literal(s + i, n - i, buf, &used, &dlen);
		t->kind = PDF_TOK_STRING;
		t->p = buf;
		t->len = dlen;
		used += i;
		break;
	case '<':
		if (i + 1 < n && s[i + 1] == '<') {
			t->kind = PDF_TOK_DICT_OPEN;
			used = i + 2;
			break;
		}
		st = hexstr(s + i, n - i, NULL, &used, &dlen);
		stop = i + used + 1; /* past a bad byte, for reach */
		ENSURE(st != 1, TTE_E_TRUNCATED, d,
		       "unterminated hex string at offset %zu", t->off);
		ENSURE(st != 2, TTE_E_MALFORMED, d,
		       "bad byte 0x%02x in hex string at offset %zu",
		       s[i + used], t->off + used);
		ENSURE(dlen <= PDF_MAX_STRING_LEN, TTE_E_TOO_BIG, d,
		       "string of %zu bytes at offset %zu", dlen, t->off);
		buf = arena_alloc(lx->a, dlen + 1);
		ENSURE(buf != NULL, TTE_E_NOMEM, d, "string at offset %zu",
		       t->off);
		(void)hexstr(s + i, n - i, buf, &used, &dlen);
		t->kind = PDF_TOK_STRING;
		t->p = buf;
		t->len = dlen;
		t->hex = 1;
		used += i;
		break;
	case '>':
		ENSURE(i + 1 < n && s[i + 1] == '>', TTE_E_MALFORMED, d,
		       "stray '>' at offset %zu", t->off);
		t->kind = PDF_TOK_DICT_CLOSE;
		used = i + 2;
		break;
	case '[':
		t->kind = PDF_TOK_ARRAY_OPEN;
		used = i + 1;
		break;
	case ']':
		t->kind = PDF_TOK_ARRAY_CLOSE;
		used = i + 1;
		break;
	case ')':
		BAIL(TTE_E_MALFORMED, d, "unbalanced ')' at offset %zu",
		     t->off);
	case '{':
	case '}':
		t->kind = PDF_TOK_KEYWORD;
		t->p = s + i;
		t->len = 1;
		used = i + 1;
		break;
	case '/':
		/* Name (§7.3.5): decoded into name[], then the arena. */
		dlen = 0;
		for (used = i + 1; used < n && pdf_lex_is_regular(s[used]); used++) {
			uint8_t c = s[used];

			h1 = used + 2 < n ? hex_digit(s[used + 1]) : -1;
			h2 = used + 2 < n ? hex_digit(s[used + 2]) : -1;
			if (c == '#' && h1 >= 0 && h2 >= 0) {
				c = (uint8_t)(h1 << 4 | h2);
				ENSURE(c != 0, TTE_E_MALFORMED, d,
				       "#00 in name at offset %zu", t->off);
				used += 2;
			}
			ENSURE(dlen < PDF_MAX_NAME_LEN, TTE_E_TOO_BIG, d,
			       "name longer than %d bytes at offset %zu",
			       PDF_MAX_NAME_LEN, t->off);
			name[dlen++] = (char)c;
		}
		buf = (uint8_t *)arena_strndup(lx->a, name, dlen);
		ENSURE(buf != NULL, TTE_E_NOMEM, d, "name at offset %zu",
		       t->off);
		t->kind = PDF_TOK_NAME;
		t->p = buf;
		t->len = dlen;
		break;
	default:
		used = number(s + i, n - i, t);
		if (used != 0) {
			used += i;
			break;
		}
		/* A keyword: the run of regular bytes, kept raw. */
		for (used = i; used < n && pdf_lex_is_regular(s[used]); used++)
			;
		t->kind = PDF_TOK_KEYWORD;
		t->p = s + i;
		t->len = used - i;
		break;
	}
	t->end = base + used;
done:
	TRY(rd_skip(&lx->r, used, d));
out:
	/* A string that input ends inside (or that is over the limit) was
	 * read to the end; other refusals stop near their first byte. */
	if (rc == TTE_OK)
		stop = used;
	else if (rc == TTE_E_TRUNCATED || rc == TTE_E_TOO_BIG)
		stop = n;
	else if (stop == 0)
		stop = i + 1;
	if (stop > n)
		stop = n;
	if (base + stop > lx->reach)
		lx->reach = base + stop;
	return rc;
}
