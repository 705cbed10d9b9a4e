/*
 * pdf_parse.c - PDF objects from tokens (ISO 32000-1 §7.3).
 *
 *   object     = null | true | false | number | string | name
 *              | "[" object* "]"                         array (§7.3.6)
 *              | "<<" (name object)* ">>"                dictionary (§7.3.7)
 *              | int int "R"                             reference (§7.3.10)
 *
 * Arrays and dictionaries nest: the parser keeps an explicit stack of
 * open containers (at most PDF_MAX_DEPTH) and one stack of finished
 * values, so hostile nesting ("[[[[...") costs neither C stack nor more
 * than one error. A reference needs two tokens of lookahead after an
 * integer; they are queued and used as the next tokens when they turn out
 * not to be "G R", and the lexer is moved back to the first unused one
 * before returning, so the caller sees exactly one object consumed.
 *
 * Errors: input that ends inside an object is TTE_E_TRUNCATED; a key that
 * is not a name, a missing value, a stray ']' or '>>', an unknown keyword
 * where an object belongs, or a reference with a negative or too large
 * number is TTE_E_MALFORMED; nesting deeper than PDF_MAX_DEPTH or more
 * than PDF_MAX_ITEMS entries in one container is TTE_E_TOO_BIG.
 *
 * Unsupported, on purpose: a dictionary value of null is kept as a null
 * object rather than dropped (§7.3.7 says it means "absent"): callers
 * that care check the kind.
 */
#include "pdf_obj.h"

#include <string.h>

#define LOCAL_VALUES 64  /* values held on the C stack before the arena */
#define KEYWORD_SHOWN 32 /* bytes of an unexpected keyword in a message */
/* Dictionaries whose keys come in different orders are compared key by
 * key, which is quadratic: above this size they count as different
 * (fail closed: a difference is reported, never hidden). */
#define EQUAL_MAX_UNORDERED 256

struct frame {
	enum pdf_kind kind; /* PDF_ARRAY or PDF_DICT */
	size_t off;         /* offset of '[' or '<<' */
	size_t base;        /* its first item in the value stack */
};

struct parser {
	struct pdf_lex *lx;
	struct pdf_tok q[2]; /* lookahead, oldest first */
	size_t nq;
	struct pdf_obj **vals;
	size_t nvals, cap;
	struct pdf_obj *local[LOCAL_VALUES];
	struct frame fr[PDF_MAX_DEPTH];
	size_t nfr;
};

/* The next token: the oldest queued one, else a new one. */
static tte_err
next_tok(struct parser *ps, struct pdf_tok *t, struct diag *d)
{
	if (ps->nq == 0)
		return pdf_lex_next(ps->lx, t, d);
	*t = ps->q[0];
	ps->q[0] = ps->q[1];
	ps->nq--;
	return TTE_OK;
}

/*
 * Makes sure k + 1 tokens are queued; returns 0 when they cannot be
 * lexed. A lexing error here is not reported: the token is lexed again,
 * with the caller's diag, when it is really needed.
 */
static int
peek_tok(struct parser *ps, size_t k, struct pdf_tok **t)
{
	struct diag scratch;

	while (ps->nq <= k) {
		diag_clear(&scratch);
		if (pdf_lex_next(ps->lx, &ps->q[ps->nq], &scratch) != TTE_OK)
			return 0;
		ps->nq++;
	}
	*t = &ps->q[k];
	return 1;
}

static int
is_keyword(const struct pdf_tok *t, const char *kw)
{
	size_t n = strlen(kw);

	return t->kind == PDF_TOK_KEYWORD && t->len == n &&
	       memcmp(t->p, kw, n) == 0;
}

static tte_err
new_obj(struct parser *ps, enum pdf_kind kind, size_t off, size_t end,
        struct pdf_obj **out, struct diag *d)
{
	struct pdf_obj *o;
	tte_err rc = TTE_OK;

	o = arena_alloc(ps->lx->a, sizeof(*o));
	ENSURE(o != NULL, TTE_E_NOMEM, d, "object at offset %zu", off);
	o->kind = kind;
	o->off = off;
	o->end = end;
	o->in_objstm = ps->lx->in_objstm;
	*out = o;
out:
	return rc;
}

/* Pushes a finished value; grows the stack in the arena (doubling, so the
 * memory left behind is at most what the stack holds). */
static tte_err
push(struct parser *ps, struct pdf_obj *o, struct diag *d)
{
	const struct frame *f = &ps->fr[ps->nfr - 1];
	size_t limit = f->kind == PDF_DICT ? 2 * (size_t)PDF_MAX_ITEMS
	                                   : (size_t)PDF_MAX_ITEMS;
	struct pdf_obj **nv;
	tte_err rc = TTE_OK;

	ENSURE(ps->nvals - f->base < limit, TTE_E_TOO_BIG, d,
	       "more than %d entries in the container at offset %zu",
	       PDF_MAX_ITEMS, f->off);
	if (ps->nvals == ps->cap) {
		nv = arena_alloc(ps->lx->a, 2 * ps->cap * sizeof(*nv));
		ENSURE(nv != NULL, TTE_E_NOMEM, d, "container at offset %zu",
		       f->off);
		memcpy(nv, ps->vals, ps->nvals * sizeof(*nv));
		ps->vals = nv;
		ps->cap *= 2;
	}
	ps->vals[ps->nvals++] = o;
out:
	return rc;
}

/* Closes the innermost container at the token t (']' or '>>'). */
static tte_err
close_container(struct parser *ps, const struct pdf_tok *t,
                struct pdf_obj **out, struct diag *d)
{
	const struct frame *f = &ps->fr[ps->nfr - 1];
	size_t n = ps->nvals - f->base;
	struct pdf_obj *o = NULL;
	tte_err rc = TTE_OK;

	TRY(new_obj(ps, f->kind, f->off, t->end, &o, d));
	if (f->kind == PDF_ARRAY) {
		if (n > 0) {
			o->u.a.v =
			    arena_alloc(ps->lx->a, n * sizeof(*o->u.a.v));
			ENSURE(o->u.a.v != NULL, TTE_E_NOMEM, d,
			       "array at offset %zu", f->off);
			memcpy(o->u.a.v, ps->vals + f->base,
			       n * sizeof(*o->u.a.v));
		}
		o->u.a.n = n;
	} else {
		ENSURE(n % 2 == 0, TTE_E_MALFORMED, d,
		       "key '/%s' without a value in the dictionary at offset "
		       "%zu",
		       ps->vals[ps->nvals - 1]->u.n.p, f->off);
		if (n > 0) {
			o->u.d.v =
			    arena_alloc(ps->lx->a, n / 2 * sizeof(*o->u.d.v));
			ENSURE(o->u.d.v != NULL, TTE_E_NOMEM, d,
			       "dictionary at offset %zu", f->off);
			for (size_t k = 0; k < n / 2; k++) {
				o->u.d.v[k].key =
				    ps->vals[f->base + 2 * k]->u.n.p;
				o->u.d.v[k].val = ps->vals[f->base + 2 * k + 1];
			}
		}
		o->u.d.n = n / 2;
	}
	ps->nvals = f->base;
	ps->nfr--;
	*out = o;
out:
	return rc;
}

/*
 * An integer token t: "N G R" when the next two tokens say so, else the
 * integer itself.
 */
static tte_err
int_or_ref(struct parser *ps, const struct pdf_tok *t, struct pdf_obj **out,
           struct diag *d)
{
	struct pdf_tok *g = NULL, *r = NULL, tmp;
	struct pdf_obj *o = NULL;
	tte_err rc = TTE_OK;

	if (peek_tok(ps, 0, &g) && g->kind == PDF_TOK_INT &&
	    peek_tok(ps, 1, &r) && is_keyword(r, "R")) {
		ENSURE(t->i >= 0 && t->i <= (int64_t)UINT32_MAX && g->i >= 0 &&
		           g->i <= UINT16_MAX,
		       TTE_E_MALFORMED, d,
		       "bad reference %lld %lld R at offset %zu",
		       (long long)t->i, (long long)g->i, t->off);
		TRY(new_obj(ps, PDF_REF, t->off, r->end, &o, d));
		o->u.ref.num = (uint32_t)t->i;
		o->u.ref.gen = (uint16_t)g->i;
		TRY(next_tok(ps, &tmp, d));
		TRY(next_tok(ps, &tmp, d));
	} else {
		TRY(new_obj(ps, PDF_INT, t->off, t->end, &o, d));
		o->u.i = t->i;
	}
	*out = o;
out:
	return rc;
}

/* see pdf_obj.h */
tte_err
pdf_parse_obj(struct pdf_lex *lx, struct pdf_obj **out, struct diag *d)
{
	struct parser ps;
	struct pdf_tok t;
	struct pdf_obj *v;
	struct frame *top;
	tte_err rc = TTE_OK;

	*out = NULL;
	ps.lx = lx;
	ps.nq = 0;
	ps.vals = ps.local;
	ps.nvals = 0;
	ps.cap = LOCAL_VALUES;
	ps.nfr = 0;
	for (;;) {
		v = NULL;
		TRY(next_tok(&ps, &t, d));
		top = ps.nfr > 0 ? &ps.fr[ps.nfr - 1] : NULL;
		/* §7.3.7: a dictionary's keys are names. */
		ENSURE(top == NULL || top->kind != PDF_DICT ||
		           (ps.nvals - top->base) % 2 == 1 ||
		           t.kind == PDF_TOK_NAME ||
		           t.kind == PDF_TOK_DICT_CLOSE ||
		           t.kind == PDF_TOK_EOF,
		       TTE_E_MALFORMED, d,
		       "dictionary key at offset %zu is not a name", t.off);
		switch (t.kind) {
		case PDF_TOK_EOF:
			BAIL(TTE_E_TRUNCATED, d,
			     top != NULL ? "input ends inside the container "
			                   "at offset %zu"
			                 : "input ends where an object "
			                   "belongs, at offset %zu",
			     top != NULL ? top->off : t.off);
		case PDF_TOK_INT:
			TRY(int_or_ref(&ps, &t, &v, d));
			break;
		case PDF_TOK_REAL:
			TRY(new_obj(&ps, PDF_REAL, t.off, t.end, &v, d));
			v->u.r = t.r;
			break;
		case PDF_TOK_STRING:
			TRY(new_obj(&ps, PDF_STRING, t.off, t.end, &v, d));
			v->u.s.p = t.p;
			v->u.s.len = t.len;
			v->u.s.hex = t.hex;
			break;
		case PDF_TOK_NAME:
			TRY(new_obj(&ps, PDF_NAME, t.off, t.end, &v, d));
			v->u.n.p = (const char *)t.p;
			v->u.n.len = t.len;
			break;
		case PDF_TOK_ARRAY_OPEN:
		case PDF_TOK_DICT_OPEN:
			ENSURE(ps.nfr < PDF_MAX_DEPTH, TTE_E_TOO_BIG, d,
			       "objects nested deeper than %d at offset %zu",
			       PDF_MAX_DEPTH, t.off);
			ps.fr[ps.nfr].kind =
			    t.kind == PDF_TOK_ARRAY_OPEN ? PDF_ARRAY : PDF_DICT;
			ps.fr[ps.nfr].off = t.off;
			ps.fr[ps.nfr].base = ps.nvals;
			ps.nfr++;
			continue;
		case PDF_TOK_ARRAY_CLOSE:
		case PDF_TOK_DICT_CLOSE:
			ENSURE(
			    top != NULL &&
			        top->kind == (t.kind == PDF_TOK_ARRAY_CLOSE
			                          ? PDF_ARRAY
			                          : PDF_DICT),
			    TTE_E_MALFORMED, d, "unexpected '%s' at offset %zu",
			    t.kind == PDF_TOK_ARRAY_CLOSE ? "]" : ">>", t.off);
			TRY(close_container(&ps, &t, &v, d));
			break;
		case PDF_TOK_KEYWORD:
			if (is_keyword(&t, "null")) {
				TRY(new_obj(&ps, PDF_NULL, t.off, t.end, &v,
				            d));
			} else if (is_keyword(&t, "true") ||
			           is_keyword(&t, "false")) {
				TRY(new_obj(&ps, PDF_BOOL, t.off, t.end, &v,
				            d));
				v->u.b = is_keyword(&t, "true");
			} else {
				BAIL(TTE_E_MALFORMED, d,
				     "unexpected keyword '%.*s' at offset %zu",
				     (int)(t.len > KEYWORD_SHOWN ? KEYWORD_SHOWN
				                                 : t.len),
				     (const char *)t.p, t.off);
			}
			break;
		}
		if (ps.nfr == 0)
			break;
		TRY(push(&ps, v, d));
	}
	/* Give back the lookahead this object did not use. */
	if (ps.nq > 0)
		TRY(rd_seek(&lx->r, ps.q[0].off, d));
	*out = v;
out:
	return rc;
}

/* see pdf_obj.h */
struct pdf_obj *
pdf_dict_get(const struct pdf_obj *dict, const char *key)
{
	if (dict != NULL && dict->kind == PDF_STREAM)
		dict = dict->u.st.dict;
	if (dict == NULL || dict->kind != PDF_DICT || key == NULL)
		return NULL;
	for (size_t i = dict->u.d.n; i > 0; i--)
		if (strcmp(dict->u.d.v[i - 1].key, key) == 0)
			return dict->u.d.v[i - 1].val;
	return NULL;
}

/* see pdf_obj.h */
int
pdf_name_is(const struct pdf_obj *o, const char *name)
{
	return o != NULL && o->kind == PDF_NAME && name != NULL &&
	       strcmp(o->u.n.p, name) == 0;
}

/* The raw data of a stream as a reader over src (trusted span: the
 * parser checked it against the file when it made the stream). */
static int
stream_bytes(const struct pdf_obj *o, const uint8_t *src, const uint8_t **p)
{
	struct rd r;

	if (src == NULL)
		return 0;
	rd_init(&r, src, o->u.st.data_off + o->u.st.data_len);
	return rd_skip(&r, o->u.st.data_off, NULL) == TTE_OK &&
	       rd_bytes(&r, o->u.st.data_len, p, NULL) == TTE_OK;
}

static int equal(const struct pdf_obj *a, const struct pdf_obj *b,
                 const uint8_t *sa, const uint8_t *sb, int depth);

/* Nonzero when a key occurs twice in o (o is small: quadratic is fine). */
static int
has_duplicates(const struct pdf_obj *o)
{
	for (size_t i = 0; i < o->u.d.n; i++)
		for (size_t k = i + 1; k < o->u.d.n; k++)
			if (strcmp(o->u.d.v[i].key, o->u.d.v[k].key) == 0)
				return 1;
	return 0;
}

static int
dict_equal(const struct pdf_obj *a, const struct pdf_obj *b, const uint8_t *sa,
           const uint8_t *sb, int depth)
{
	const struct pdf_kv *ka = a->u.d.v, *kb = b->u.d.v;
	size_t i;

	/* The usual case: the same keys in the same order. */
	if (a->u.d.n == b->u.d.n) {
		for (i = 0; i < a->u.d.n; i++)
			if (strcmp(ka[i].key, kb[i].key) != 0 ||
			    !equal(ka[i].val, kb[i].val, sa, sb, depth + 1))
				break;
		if (i == a->u.d.n)
			return 1;
	}
	/* Otherwise the same keys in another order. Readers disagree on
	 * which of duplicated keys counts (shadow attacks use that): with
	 * duplicates, only the same order is equal. */
	if (a->u.d.n != b->u.d.n || a->u.d.n > EQUAL_MAX_UNORDERED ||
	    has_duplicates(a) || has_duplicates(b))
		return 0;
	for (i = 0; i < a->u.d.n; i++)
		if (!equal(ka[i].val, pdf_dict_get(b, ka[i].key), sa, sb,
		           depth + 1))
			return 0;
	return 1;
}

/* Structural equality; depth bounds the recursion (objects are at most
 * PDF_MAX_DEPTH deep, plus one for a stream's dictionary). */
static int
equal(const struct pdf_obj *a, const struct pdf_obj *b, const uint8_t *sa,
      const uint8_t *sb, int depth)
{
	const uint8_t *pa, *pb;

	if (depth > PDF_MAX_DEPTH + 2 || a == NULL || b == NULL)
		return 0;
	/* ISO 32000-1 §7.3.3: 612 and 612.0 are the same number. */
	if (a->kind == PDF_INT && b->kind == PDF_REAL)
		return (double)a->u.i == b->u.r;
	if (a->kind == PDF_REAL && b->kind == PDF_INT)
		return a->u.r == (double)b->u.i;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case PDF_NULL:
		return 1;
	case PDF_BOOL:
		return a->u.b == b->u.b;
	case PDF_INT:
		return a->u.i == b->u.i;
	case PDF_REAL:
		return a->u.r == b->u.r;
	case PDF_STRING:
		return a->u.s.len == b->u.s.len &&
		       memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
	case PDF_NAME:
		return strcmp(a->u.n.p, b->u.n.p) == 0;
	case PDF_ARRAY:
		if (a->u.a.n != b->u.a.n)
			return 0;
		for (size_t i = 0; i < a->u.a.n; i++)
			if (!equal(a->u.a.v[i], b->u.a.v[i], sa, sb, depth + 1))
				return 0;
		return 1;
	case PDF_DICT:
		return dict_equal(a, b, sa, sb, depth);
	case PDF_REF:
		return a->u.ref.num == b->u.ref.num &&
		       a->u.ref.gen == b->u.ref.gen;
	case PDF_STREAM:
		/* Without the sources the data cannot be compared: the
		 * streams count as different (fail closed). */
		if (a->u.st.data_len != b->u.st.data_len ||
		    !stream_bytes(a, sa, &pa) || !stream_bytes(b, sb, &pb))
			return 0;
		return equal(a->u.st.dict, b->u.st.dict, sa, sb, depth + 1) &&
		       memcmp(pa, pb, a->u.st.data_len) == 0;
	}
	return 0;
}

/* see pdf_obj.h */
int
pdf_obj_equal(const struct pdf_obj *a, const struct pdf_obj *b,
              const uint8_t *src_a, const uint8_t *src_b)
{
	if (a == b && a != NULL && a->kind != PDF_STREAM)
		return 1;
	return equal(a, b, src_a, src_b, 0);
}
