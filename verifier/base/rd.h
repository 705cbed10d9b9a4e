/*
 * rd.h - the bounded reader: every untrusted byte is read through it
 * (STYLE.md rule 6). A reader never moves past its end; every read checks
 * first and fails with TTE_E_TRUNCATED.
 */
#ifndef TTE_RD_H
#define TTE_RD_H

#include <stddef.h>
#include <stdint.h>

#include "../diag.h"

struct rd {
	const uint8_t *p; /* borrowed: the caller keeps the bytes alive */
	size_t len;
	size_t off;
};

/* Starts a reader over p[0..len). p may be NULL only when len is 0. */
void rd_init(struct rd *r, const void *p, size_t len);

/* Bytes not yet read. */
size_t rd_left(const struct rd *r);

TTE_MUST_USE tte_err rd_u8(struct rd *r, uint8_t *out, struct diag *d);

/* Points *out at the next n bytes (borrowed) and moves past them. */
TTE_MUST_USE tte_err rd_bytes(struct rd *r, size_t n, const uint8_t **out,
			      struct diag *d);

TTE_MUST_USE tte_err rd_skip(struct rd *r, size_t n, struct diag *d);

/* Opens the next n bytes as a sub-reader and moves past them. */
TTE_MUST_USE tte_err rd_sub(struct rd *r, size_t n, struct rd *inner,
			    struct diag *d);

/* Fails with TTE_E_TRAILING unless every byte of r has been read. */
TTE_MUST_USE tte_err rd_close(const struct rd *r, struct diag *d);

/*
 * Reads one DER TLV (X.690 §8.1): tag (low-tag form only; high-tag numbers
 * are refused), definite length in at most 4 length octets, and opens the
 * value as *value. Indefinite lengths are refused: DER forbids them.
 */
TTE_MUST_USE tte_err rd_der(struct rd *r, uint8_t *tag, struct rd *value,
			    struct diag *d);

/*
 * Reads one BER TLV (X.690 §8.1), for signatures that are BER and whose
 * bytes as received are what a hash covers (CAdES archive timestamps):
 * low-tag form only, definite lengths in at most 4 octets (non-minimal
 * ones accepted), and the indefinite form of a constructed value
 * (§8.1.3.6), whose end-of-contents is found by walking its contents,
 * with indefinite lengths nested at most max_depth levels inside it
 * (over: TTE_E_TOO_BIG). *value holds the contents without the
 * end-of-contents octets. *whole and *whole_len (each may be NULL) are
 * the whole TLV as received, borrowed from r's bytes.
 */
TTE_MUST_USE tte_err rd_ber(struct rd *r, unsigned max_depth, uint8_t *tag,
			    struct rd *value, const uint8_t **whole,
			    size_t *whole_len, struct diag *d);

/*
 * Peeking and searching, for text formats (PDF) where the parser looks
 * ahead or jumps to an offset read from the input. None of them reads
 * outside p[0..len).
 */

/* Nonzero when the byte `ahead` bytes past the position exists; it is
 * stored in *out. The position does not move. */
int rd_peek(const struct rd *r, size_t ahead, uint8_t *out);

/* Moves the position to off; off past the end is TTE_E_TRUNCATED and
 * leaves the position alone. off == len is allowed (nothing left). */
TTE_MUST_USE tte_err rd_seek(struct rd *r, size_t off, struct diag *d);

/* Nonzero when needle[0..n) occurs starting at or after the position and
 * ending at or before limit (clamped to len); *at is the offset of the
 * first such occurrence. n must be at least 1. The position does not
 * move. */
int rd_find(const struct rd *r, size_t limit, const void *needle, size_t n,
	    size_t *at);

/* Like rd_find, but the last occurrence starting at or after from and
 * ending at or before the position. */
int rd_rfind(const struct rd *r, size_t from, const void *needle, size_t n,
	     size_t *at);

#endif
