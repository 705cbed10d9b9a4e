#include "rd.h"

#include <string.h>

/* see rd.h */
void
rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p == NULL ? 0 : len;
	r->off = 0;
}

/* see rd.h */
size_t
rd_left(const struct rd *r)
{
	return r->len - r->off;
}

/* see rd.h */
tte_err
rd_bytes(struct rd *r, size_t n, const uint8_t **out, struct diag *d)
{
	tte_err rc = TTE_OK;

	ENSURE(n <= rd_left(r), TTE_E_TRUNCATED, d,
	       "need %zu bytes at offset %zu, only %zu left", n, r->off,
	       rd_left(r));
	*out = r->p + r->off;
	r->off += n;
out:
	return rc;
}

/* see rd.h */
tte_err
rd_u8(struct rd *r, uint8_t *out, struct diag *d)
{
	const uint8_t *b = NULL;
	tte_err rc = TTE_OK;

	TRY(rd_bytes(r, 1, &b, d));
	*out = b[0];
out:
	return rc;
}

/* see rd.h */
tte_err
rd_skip(struct rd *r, size_t n, struct diag *d)
{
	const uint8_t *b = NULL;

	return rd_bytes(r, n, &b, d);
}

/* see rd.h */
tte_err
rd_sub(struct rd *r, size_t n, struct rd *inner, struct diag *d)
{
	const uint8_t *b = NULL;
	tte_err rc = TTE_OK;

	TRY(rd_bytes(r, n, &b, d));
	rd_init(inner, b, n);
out:
	return rc;
}

/* see rd.h */
tte_err
rd_close(const struct rd *r, struct diag *d)
{
	tte_err rc = TTE_OK;

	ENSURE(rd_left(r) == 0, TTE_E_TRAILING, d,
	       "%zu unexpected bytes at offset %zu", rd_left(r), r->off);
out:
	return rc;
}

/* see rd.h */
tte_err
rd_der(struct rd *r, uint8_t *tag, struct rd *value, struct diag *d)
{
	uint8_t first, n_octets, b;
	size_t len = 0;
	tte_err rc = TTE_OK;

	TRY(rd_u8(r, tag, d));
	ENSURE((*tag & 0x1f) != 0x1f, TTE_E_UNSUPPORTED, d,
	       "high-tag-number form at offset %zu", r->off - 1);
	TRY(rd_u8(r, &first, d));
	if (first < 0x80) {
		len = first;
	} else {
		n_octets = first & 0x7f;
		ENSURE(n_octets != 0, TTE_E_MALFORMED, d,
		       "indefinite length at offset %zu (not DER)", r->off - 1);
		ENSURE(n_octets <= 4, TTE_E_TOO_BIG, d,
		       "length of %u octets at offset %zu", n_octets,
		       r->off - 1);
		for (uint8_t i = 0; i < n_octets; i++) {
			TRY(rd_u8(r, &b, d));
			ENSURE(!(i == 0 && b == 0), TTE_E_MALFORMED, d,
			       "non-minimal length at offset %zu", r->off - 1);
			len = (len << 8) | b;
		}
		ENSURE(len >= 0x80, TTE_E_MALFORMED, d,
		       "non-minimal length %zu (not DER)", len);
	}
	TRY(rd_sub(r, len, value, d));
out:
	return rc;
}

/* The length octets of a BER TLV (X.690 §8.1.3); *indefinite for 0x80. */
static tte_err
ber_length(struct rd *r, size_t *len, int *indefinite, struct diag *d)
{
	uint8_t first, n_octets, b;
	tte_err rc = TTE_OK;

	*len = 0;
	*indefinite = 0;
	TRY(rd_u8(r, &first, d));
	if (first < 0x80) {
		*len = first;
		goto out;
	}
	n_octets = first & 0x7f;
	if (n_octets == 0) {
		*indefinite = 1;
		goto out;
	}
	ENSURE(n_octets <= 4, TTE_E_TOO_BIG, d, "length of %u octets at "
	       "offset %zu", n_octets, r->off - 1);
	for (uint8_t i = 0; i < n_octets; i++) {
		TRY(rd_u8(r, &b, d));
		*len = (*len << 8) | b;
	}
out:
	return rc;
}

/* see rd.h */
tte_err
rd_ber(struct rd *r, unsigned max_depth, uint8_t *tag, struct rd *value,
       const uint8_t **whole, size_t *whole_len, struct diag *d)
{
	const size_t start = r->off;
	size_t len = 0, content;
	int indefinite = 0;
	tte_err rc = TTE_OK;

	TRY(rd_u8(r, tag, d));
	ENSURE((*tag & 0x1f) != 0x1f, TTE_E_UNSUPPORTED, d,
	       "high-tag-number form at offset %zu", start);
	TRY(ber_length(r, &len, &indefinite, d));
	if (!indefinite) {
		TRY(rd_sub(r, len, value, d));
	} else {
		uint8_t t2, a0 = 1, a1 = 1;
		struct rd child;

		/* §8.1.3.6: constructed only; the contents end at the first
		 * end-of-contents octets (00 00) among its own TLVs. */
		ENSURE(*tag & 0x20, TTE_E_MALFORMED, d, "indefinite length "
		       "of a primitive value at offset %zu", start);
		ENSURE(max_depth > 0, TTE_E_TOO_BIG, d, "indefinite lengths "
		       "nested too deep at offset %zu", start);
		content = r->off;
		for (;;) {
			ENSURE(rd_peek(r, 0, &a0) && rd_peek(r, 1, &a1),
			       TTE_E_TRUNCATED, d, "no end-of-contents for the "
			       "value at offset %zu", start);
			if (a0 == 0 && a1 == 0)
				break;
			TRY(rd_ber(r, max_depth - 1, &t2, &child, NULL, NULL,
				   d));
		}
		rd_init(value, r->p + content, r->off - content);
		r->off += 2;
	}
	if (whole != NULL)
		*whole = r->p + start;
	if (whole_len != NULL)
		*whole_len = r->off - start;
out:
	return rc;
}

/* see rd.h */
int
rd_peek(const struct rd *r, size_t ahead, uint8_t *out)
{
	if (ahead >= rd_left(r))
		return 0;
	*out = r->p[r->off + ahead];
	return 1;
}

/* see rd.h */
tte_err
rd_seek(struct rd *r, size_t off, struct diag *d)
{
	tte_err rc = TTE_OK;

	ENSURE(off <= r->len, TTE_E_TRUNCATED, d,
	       "offset %zu is past the end (%zu bytes)", off, r->len);
	r->off = off;
out:
	return rc;
}

/* see rd.h */
int
rd_find(const struct rd *r, size_t limit, const void *needle, size_t n,
	size_t *at)
{
	const uint8_t *nd = needle, *hit;
	size_t pos = r->off;

	if (limit > r->len)
		limit = r->len;
	if (n == 0)
		return 0;
	/* memchr on the first byte, then compare: memmem is not C11. */
	while (pos < limit && limit - pos >= n) {
		hit = memchr(r->p + pos, nd[0], limit - pos - n + 1);
		if (hit == NULL)
			return 0;
		pos = (size_t)(hit - r->p);
		if (memcmp(hit, nd, n) == 0) {
			*at = pos;
			return 1;
		}
		pos++;
	}
	return 0;
}

/* see rd.h */
int
rd_rfind(const struct rd *r, size_t from, const void *needle, size_t n,
	 size_t *at)
{
	size_t pos;

	if (n == 0 || r->off < n || r->off - n < from)
		return 0;
	pos = r->off - n;
	for (;;) {
		if (memcmp(r->p + pos, needle, n) == 0) {
			*at = pos;
			return 1;
		}
		if (pos == from)
			return 0;
		pos--;
	}
}
