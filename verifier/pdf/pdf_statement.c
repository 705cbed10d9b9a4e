/*
 * pdf_statement.c - the BSrE statement in extracted text (the rule is in
 * pdf_statement.h).
 */
#include "../base/utf8.h"
#include "pdf_statement.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest wording, in bytes, that can be normalised on the stack. */
#define WORDING_MAX 1024
/* Alternatives of one clause part. */
#define PART_MAX_ALTS 5

struct wording {
	enum tte_statement kind; /* EXACT or VARIANT */
	const char *text;
};

/*
 * The wordings (DOMAIN.md "The statement"). Built in until the policy
 * engine supplies them from the policy file: keep every wording here and
 * nowhere else. EXACT ones are compared with punctuation (form N1),
 * VARIANT ones without (form N2).
 */
static const struct wording wordings[] = {
	/* The 2021 agreement. */
	{TTE_STMT_EXACT,
	 "Dokumen ini telah ditandatangani secara elektronik menggunakan "
	 "sertifikat elektronik yang diterbitkan oleh Balai Sertifikasi "
	 "Elektronik (BSrE), Badan Siber dan Sandi Negara"},
	/* Without "(BSrE)", followed by "Tidak perlu ditandatangani lagi
	 * secara fisik..." and a link. */
	{TTE_STMT_VARIANT,
	 "Dokumen ini telah ditandatangani secara elektronik menggunakan "
	 "sertifikat elektronik yang diterbitkan oleh Balai Sertifikasi "
	 "Elektronik, Badan Siber dan Sandi Negara"},
	/* After a quote of UU ITE Pasal 5 ayat (1). */
	{TTE_STMT_VARIANT,
	 "telah ditandatangani secara elektronik menggunakan sertifikat "
	 "elektronik yang diterbitkan oleh BSrE."},
	/* Since BSrE became Balai Besar (2025). */
	{TTE_STMT_VARIANT,
	 "Dokumen ini telah ditandatangani secara elektronik menggunakan "
	 "sertifikat elektronik yang diterbitkan oleh Balai Besar "
	 "Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara "
	 "(BSSN)"},
	/* Regional disclaimers. */
	{TTE_STMT_VARIANT,
	 "surat ini telah ditandatangani secara elektronik menggunakan "
	 "sertifikat elektronik yang diterbitkan BSrE-BSSN"},
};

/* One part of the clause rule: alternatives, possibly optional. */
struct part {
	int optional;
	const char *alt[PART_MAX_ALTS];
};

/* The clause rule (form N2), also policy: see pdf_statement.h. */
static const struct part clause[] = {
	{0, {"ditandatangani"}},
	{0, {"secaraelektronik"}},
	{1, {"dengan"}},
	{0, {"menggunakan"}},
	{0, {"sertifikatelektronik"}},
	{1, {"yang"}},
	{0, {"diterbitkan"}},
	{1, {"oleh"}},
	{0, {"balaibesarsertifikasielektronik", "balaisertifikasielektronik",
	     "bsre", "bssn", "badansiberdansandinegara"}},
};

/* Words that may stand between a negation and the clause. */
static const char *const clause_aux[] = {"telah", "sudah"};
/* Words that negate the clause when they come right before it. */
static const char *const negations[] = {"tidak", "belum", "bukan", "tanpa"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Decodes one UTF-8 sequence at s[*i]; returns it and moves *i past it,
 * or returns UINT32_MAX (and moves one byte) for a malformed one. */
static uint32_t
utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	uint32_t cp;
	size_t k, need;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else {
		(*i)++;
		return UINT32_MAX;
	}
	if (n - *i <= need) {
		(*i)++;
		return UINT32_MAX;
	}
	for (k = 1; k <= need; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return UINT32_MAX;
		}
		cp = cp << 6 | (s[*i + k] & 0x3F);
	}
	/* Overlong forms and surrogates are not UTF-8. */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		(*i)++;
		return UINT32_MAX;
	}
	*i += need + 1;
	return cp;
}


static int
is_line_break(uint32_t c)
{
	return c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int
is_space(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200F) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 ||
	       c == 0xFEFF;
}

/* Lower case of Latin letters (Unicode simple case mapping). */
static uint32_t
lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c == 0x130)
		return 'i'; /* İ: the Turkish dotted capital */
	/* Latin Extended-A: pairs, capital first, in three runs. */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	/* Latin Extended Additional (Vietnamese and others): pairs. */
	if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))
		return c | 1;
	return c;
}

/*
 * Writes form N1 of s[0..n) to out (room for n bytes: no step makes the
 * text longer) and returns its length.
 */
static size_t
normalise(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl",
					  "st", "st"};
	size_t i = 0, o = 0, hyphen = SIZE_MAX;
	uint32_t c;

	while (i < n) {
		c = utf8_next(u, n, &i);
		if (c == UINT32_MAX || c == 0xAD)
			continue;
		if (is_space(c)) {
			/* "ditanda-" at the end of a line: one word. */
			if (is_line_break(c) && hyphen != SIZE_MAX) {
				o = hyphen;
				hyphen = SIZE_MAX;
			}
			continue;
		}
		if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212)
			c = '-';
		else if (c >= 0x2018 && c <= 0x201B)
			c = '\'';
		else if (c >= 0x201C && c <= 0x201F)
			c = '"';
		if (c >= 0xFB00 && c <= 0xFB06) {
			const char *l = lig[c - 0xFB00];
			size_t k = strlen(l);

			memcpy(out + o, l, k);
			o += k;
			hyphen = SIZE_MAX;
			continue;
		}
		hyphen = c == '-' ? o : SIZE_MAX;
		o += utf8_put(lower(c), out + o);
	}
	return o;
}

/* Form N2 from form N1, in place: ASCII other than a-z, 0-9 goes. */
static size_t
bare(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[o++] = s[i];
	}
	return o;
}

/* First offset >= from of needle in hay, or SIZE_MAX. */
static size_t
find(const char *hay, size_t n, size_t from, const char *needle, size_t k)
{
	const char *p;

	if (k == 0 || k > n)
		return SIZE_MAX;
	while (from + k <= n) {
		p = memchr(hay + from, needle[0], n - k + 1 - from);
		if (p == NULL)
			return SIZE_MAX;
		from = (size_t)(p - hay);
		if (memcmp(p, needle, k) == 0)
			return from;
		from++;
	}
	return SIZE_MAX;
}

static int
has_at(const char *s, size_t n, size_t at, const char *w)
{
	size_t k = strlen(w);

	return at <= n && n - at >= k && memcmp(s + at, w, k) == 0;
}

static int
ends_with(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(s + n - k, w, k) == 0;
}

/* Whether clause parts i.. match s from at (backtracking over the
 * optional ones: at most 2^3 paths). */
static int
clause_from(const char *s, size_t n, size_t at, size_t i)
{
	if (i == COUNT(clause))
		return 1;
	for (size_t a = 0; a < PART_MAX_ALTS && clause[i].alt[a] != NULL;
	     a++) {
		if (has_at(s, n, at, clause[i].alt[a]) &&
		    clause_from(s, n, at + strlen(clause[i].alt[a]), i + 1))
			return 1;
	}
	return clause[i].optional && clause_from(s, n, at, i + 1);
}

/* Whether the text before offset at negates a clause starting there. */
static int
negated(const char *s, size_t at)
{
	for (size_t i = 0; i < COUNT(clause_aux); i++) {
		if (ends_with(s, at, clause_aux[i])) {
			at -= strlen(clause_aux[i]);
			break;
		}
	}
	for (size_t i = 0; i < COUNT(negations); i++)
		if (ends_with(s, at, negations[i]))
			return 1;
	return 0;
}

static int
clause_match(const char *s, size_t n)
{
	const char *first = clause[0].alt[0];
	size_t at = 0;

	for (;;) {
		at = find(s, n, at, first, strlen(first));
		if (at == SIZE_MAX)
			return 0;
		if (clause_from(s, n, at, 0) && !negated(s, at))
			return 1;
		at++;
	}
}

/* Whether wording w is in s (in the form its kind uses), not negated. */
static int
wording_in(const char *s, size_t n, const struct wording *w)
{
	char buf[WORDING_MAX];
	size_t k = strlen(w->text), at = 0;

	if (k > sizeof(buf))
		return 0;
	k = normalise(w->text, k, buf);
	if (w->kind == TTE_STMT_VARIANT)
		k = bare(buf, k);
	for (;;) {
		at = find(s, n, at, buf, k);
		if (at == SIZE_MAX)
			return 0;
		if (!negated(s, at))
			return 1;
		at++;
	}
}

/* The wordings of w (or the built-in ones) of one kind, in order; NULL
 * past the last. */
static const char *
wording_at(const struct tte_wordings *w, enum tte_statement kind, size_t i)
{
	size_t k = 0;

	if (w != NULL && kind == TTE_STMT_EXACT)
		return i == 0 ? w->exact : NULL;
	if (w != NULL)
		return i < w->n_variants ? w->variants[i] : NULL;
	for (size_t j = 0; j < COUNT(wordings); j++) {
		if (wordings[j].kind == kind && k++ == i)
			return wordings[j].text;
	}
	return NULL;
}

/* see pdf_statement.h */
enum tte_statement
pdf_statement_match(const char *text, size_t len, int text_ops,
		    int undecodable, const struct tte_wordings *w)
{
	enum tte_statement st = undecodable ? TTE_STMT_UNKNOWN :
					      TTE_STMT_MISSING;
	struct wording one;
	const char *t;
	char *buf;
	size_t n, i;

	if (text_ops == 0)
		return undecodable ? TTE_STMT_UNKNOWN : TTE_STMT_NO_TEXT;
	if (len == 0)
		return st;
	buf = malloc(len);
	if (buf == NULL)
		return TTE_STMT_UNKNOWN;
	n = normalise(text, len, buf);
	one.kind = TTE_STMT_EXACT;
	for (i = 0; (t = wording_at(w, TTE_STMT_EXACT, i)) != NULL; i++) {
		one.text = t;
		if (wording_in(buf, n, &one)) {
			st = TTE_STMT_EXACT;
			goto out;
		}
	}
	n = bare(buf, n);
	one.kind = TTE_STMT_VARIANT;
	for (i = 0; (t = wording_at(w, TTE_STMT_VARIANT, i)) != NULL; i++) {
		one.text = t;
		if (wording_in(buf, n, &one)) {
			st = TTE_STMT_VARIANT;
			goto out;
		}
	}
	if ((w == NULL || w->clause_rule) && clause_match(buf, n))
		st = TTE_STMT_VARIANT;
out:
	free(buf);
	return st;
}
