/*
 * pdf_filter.c - the stream filters a verifier needs (ISO 32000-1 §7.4).
 *
 *   FlateDecode      zlib data (RFC 1950 around RFC 1951), then an
 *                    optional predictor (§7.4.4.4): PNG (Predictor 10-15;
 *                    each row is a filter-type byte 0-4 and the row, the
 *                    type deciding, RFC 2083 §6) or TIFF 2 (each sample
 *                    minus the one to its left, 8 or 16 bits)
 *   ASCIIHexDecode   hex digits, white space ignored, '>' ends the data;
 *                    an odd last digit is followed by 0 (§7.4.2)
 *   ASCII85Decode    base-85 groups of 5 bytes '!'..'u' for 4 bytes, 'z'
 *                    for four zeros, "~>" ends the data; a final group of
 *                    k (2..5) characters is k - 1 bytes (§7.4.3)
 *   RunLengthDecode  length byte L then: 0-127, L + 1 literal bytes;
 *                    129-255, the next byte 257 - L times; 128 ends the
 *                    data (§7.4.5)
 *
 * Each decoder runs twice: once to measure (stopping as soon as the
 * output would pass the cap), once into an arena block of exactly that
 * size. Decompression bombs thus cost CPU up to the cap and no memory.
 *
 * Unsupported, on purpose: LZWDecode (PDF 1.2 legacy, never used for the
 * structures a verifier reads), the image filters (DCT, JPX, JBIG2,
 * CCITTFax), Crypt (encrypted files are not verified), TIFF predictors
 * on samples of 1, 2 or 4 bits, and the inline-image abbreviations.
 */
#include "pdf_filter.h"

#include <limits.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "../base/rd.h"

#define FLATE_SCRATCH 16384 /* output chunk while measuring: on the stack */

/* see pdf_filter.h */
void
pdf_filter_parms_init(struct pdf_filter_parms *p)
{
	p->predictor = 1;
	p->colors = 1;
	p->bpc = 8;
	p->columns = 1;
}

/* see pdf_filter.h */
tte_err
pdf_filter_lookup(const char *name, enum pdf_filter *f, struct diag *d)
{
	tte_err rc = TTE_OK;

	if (strcmp(name, "FlateDecode") == 0)
		*f = PDF_FILTER_FLATE;
	else if (strcmp(name, "ASCIIHexDecode") == 0)
		*f = PDF_FILTER_ASCIIHEX;
	else if (strcmp(name, "ASCII85Decode") == 0)
		*f = PDF_FILTER_ASCII85;
	else if (strcmp(name, "RunLengthDecode") == 0)
		*f = PDF_FILTER_RUNLENGTH;
	else
		BAIL(TTE_E_UNSUPPORTED, d, "filter '/%.64s'", name);
out:
	return rc;
}

/* Appends byte c at out[*o] (out NULL: only counts) unless that passes
 * cap. */
static tte_err
emit(uint8_t *out, size_t cap, size_t *o, uint8_t c, struct diag *d)
{
	tte_err rc = TTE_OK;

	ENSURE(*o < cap, TTE_E_TOO_BIG, d, "decoded stream over %zu bytes",
	       cap);
	if (out != NULL)
		out[*o] = c;
	(*o)++;
out:
	return rc;
}

static tte_err
flate(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *olen,
      int *cut, struct diag *d)
{
	uint8_t scratch[FLATE_SCRATCH];
	z_stream zs;
	size_t total = 0, produced, chunk;
	int zr, inited = 0;
	tte_err rc = TTE_OK;

	memset(&zs, 0, sizeof(zs));
	zr = inflateInit(&zs);
	ENSURE(zr == Z_OK, TTE_E_NOMEM, d, "cannot start zlib (%d)", zr);
	inited = 1;
	zs.next_in = in;
	for (;;) {
		/* uInt is 32 bits: feed big inputs in pieces. */
		if (zs.avail_in == 0 && n > 0) {
			chunk = n > UINT_MAX ? UINT_MAX : n;
			zs.avail_in = (uInt)chunk;
			n -= chunk;
		}
		if (out != NULL) {
			/* The block is cap + 1 bytes: room to see the end. */
			chunk = cap + 1 - total;
			zs.next_out = out + total;
		} else {
			chunk = sizeof(scratch);
			zs.next_out = scratch;
		}
		zs.avail_out = (uInt)(chunk > UINT_MAX ? UINT_MAX : chunk);
		chunk = zs.avail_out;
		zr = inflate(&zs, Z_NO_FLUSH);
		produced = chunk - zs.avail_out;
		total += produced;
		ENSURE(total <= cap, TTE_E_TOO_BIG, d,
		       "decoded stream over %zu bytes", cap);
		if (zr == Z_STREAM_END)
			break;
		ENSURE(zr != Z_MEM_ERROR, TTE_E_NOMEM, d, "zlib");
		ENSURE(zr == Z_OK || zr == Z_BUF_ERROR, TTE_E_MALFORMED, d,
		       "%s after %zu decoded bytes",
		       zs.msg != NULL ? zs.msg : "corrupt flate data", total);
		/* Out of input with room left for output: cut short. (The
		 * output block always has room: Z_BUF_ERROR means the same
		 * thing.) */
		if (zs.avail_in == 0 && n == 0 && zs.avail_out > 0 &&
		    cut != NULL) {
			*cut = 1;
			break;
		}
		ENSURE(zs.avail_in > 0 || n > 0 || zs.avail_out == 0,
		       TTE_E_TRUNCATED, d,
		       "flate data ends early, after %zu decoded bytes", total);
	}
	*olen = total;
out:
	if (inited)
		inflateEnd(&zs);
	return rc;
}

static tte_err
asciihex(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *olen,
         struct diag *d)
{
	struct rd r;
	uint8_t c;
	int hi = -1, v;
	size_t o = 0;
	tte_err rc = TTE_OK;

	rd_init(&r, in, n);
	for (;;) {
		ENSURE(rd_u8(&r, &c, NULL) == TTE_OK, TTE_E_TRUNCATED, d,
		       "ASCIIHex data without its '>' end");
		if (c == '>')
			break;
		if (c == 0 || c == '\t' || c == '\n' || c == '\f' ||
		    c == '\r' || c == ' ')
			continue;
		v = c >= '0' && c <= '9'   ? c - '0'
		    : c >= 'a' && c <= 'f' ? c - 'a' + 10
		    : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                           : -1;
		ENSURE(v >= 0, TTE_E_MALFORMED, d,
		       "bad byte 0x%02x in ASCIIHex data at %zu", c, r.off - 1);
		if (hi < 0) {
			hi = v;
		} else {
			TRY(emit(out, cap, &o, (uint8_t)(hi << 4 | v), d));
			hi = -1;
		}
	}
	if (hi >= 0)
		TRY(emit(out, cap, &o, (uint8_t)(hi << 4), d));
	*olen = o;
out:
	return rc;
}

static tte_err
ascii85(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *olen,
        struct diag *d)
{
	struct rd r;
	uint8_t c;
	uint64_t v = 0;
	int k = 0;
	size_t o = 0;
	tte_err rc = TTE_OK;

	rd_init(&r, in, n);
	for (;;) {
		ENSURE(rd_u8(&r, &c, NULL) == TTE_OK, TTE_E_TRUNCATED, d,
		       "ASCII85 data without its '~>' end");
		if (c == '~')
			break;
		if (c == 0 || c == '\t' || c == '\n' || c == '\f' ||
		    c == '\r' || c == ' ')
			continue;
		if (c == 'z' && k == 0) {
			for (int i = 0; i < 4; i++)
				TRY(emit(out, cap, &o, 0, d));
			continue;
		}
		ENSURE(c >= '!' && c <= 'u', TTE_E_MALFORMED, d,
		       "bad byte 0x%02x in ASCII85 data at %zu", c, r.off - 1);
		v = v * 85 + (uint64_t)(c - '!');
		k++;
		if (k < 5)
			continue;
		ENSURE(v <= UINT32_MAX, TTE_E_MALFORMED, d,
		       "ASCII85 group over 2^32 at %zu", r.off - 5);
		for (int i = 3; i >= 0; i--)
			TRY(emit(out, cap, &o, (uint8_t)(v >> (8 * i)), d));
		v = 0;
		k = 0;
	}
	ENSURE(rd_u8(&r, &c, NULL) == TTE_OK && c == '>', TTE_E_MALFORMED, d,
	       "ASCII85 '~' not followed by '>' at %zu", r.off);
	ENSURE(k != 1, TTE_E_MALFORMED, d, "ASCII85 final group of one byte");
	if (k > 1) {
		/* Pad with 'u' (84) and keep k - 1 bytes (§7.4.3). */
		for (int i = k; i < 5; i++)
			v = v * 85 + 84;
		ENSURE(v <= UINT32_MAX, TTE_E_MALFORMED, d,
		       "ASCII85 final group over 2^32");
		for (int i = 0; i < k - 1; i++)
			TRY(emit(out, cap, &o, (uint8_t)(v >> (8 * (3 - i))),
			         d));
	}
	*olen = o;
out:
	return rc;
}

static tte_err
runlength(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *olen,
          struct diag *d)
{
	struct rd r;
	uint8_t len, c;
	size_t o = 0;
	tte_err rc = TTE_OK;

	rd_init(&r, in, n);
	for (;;) {
		ENSURE(rd_u8(&r, &len, NULL) == TTE_OK, TTE_E_TRUNCATED, d,
		       "RunLength data without its end mark (128)");
		if (len == 128)
			break;
		if (len < 128) {
			for (int i = 0; i <= len; i++) {
				ENSURE(rd_u8(&r, &c, NULL) == TTE_OK,
				       TTE_E_TRUNCATED, d,
				       "RunLength run cut at %zu", r.off);
				TRY(emit(out, cap, &o, c, d));
			}
		} else {
			ENSURE(rd_u8(&r, &c, NULL) == TTE_OK, TTE_E_TRUNCATED,
			       d, "RunLength run cut at %zu", r.off);
			for (int i = 0; i < 257 - len; i++)
				TRY(emit(out, cap, &o, c, d));
		}
	}
	*olen = o;
out:
	return rc;
}

static int
paeth(int a, int b, int c)
{
	int p = a + b - c;
	int pa = p > a ? p - a : a - p;
	int pb = p > b ? p - b : b - p;
	int pc = p > c ? p - c : c - p;

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/*
 * Undoes a predictor in place over buf[0..*len): output rows are never
 * longer than input rows and row r is written at or before where it was
 * read, so nothing unread is overwritten.
 */
static tte_err
unpredict(uint8_t *buf, size_t *len, const struct pdf_filter_parms *p,
          struct diag *d)
{
	size_t bits, rowbytes, bpp, rows, i = 0, o = 0;
	uint8_t ft;
	int a, b, c, x;
	tte_err rc = TTE_OK;

	if (p->predictor == 1)
		goto out;
	ENSURE(p->colors >= 1 && p->colors <= PDF_FILTER_MAX_COLORS &&
	           p->columns >= 1 && p->columns <= PDF_FILTER_MAX_COLUMNS &&
	           (p->bpc == 1 || p->bpc == 2 || p->bpc == 4 || p->bpc == 8 ||
	            p->bpc == 16),
	       TTE_E_UNSUPPORTED, d,
	       "predictor parameters /Colors %ld /BitsPerComponent %ld "
	       "/Columns %ld",
	       p->colors, p->bpc, p->columns);
	/* Bounded by the limits above: no overflow (32 * 16 * 2^24). */
	bits = (size_t)p->colors * (size_t)p->bpc;
	bpp = (bits + 7) / 8;
	rowbytes = (bits * (size_t)p->columns + 7) / 8;
	if (p->predictor == 2) {
		ENSURE(p->bpc == 8 || p->bpc == 16, TTE_E_UNSUPPORTED, d,
		       "TIFF predictor on %ld-bit samples", p->bpc);
		ENSURE(*len % rowbytes == 0, TTE_E_MALFORMED, d,
		       "%zu bytes are not whole rows of %zu", *len, rowbytes);
		for (size_t row = 0; row < *len; row += rowbytes) {
			if (p->bpc == 8) {
				for (size_t j = bpp; j < rowbytes; j++)
					buf[row + j] =
					    (uint8_t)(buf[row + j] +
					              buf[row + j - bpp]);
				continue;
			}
			for (size_t j = bpp; j + 1 < rowbytes; j += 2) {
				unsigned v =
				    ((unsigned)buf[row + j] << 8 |
				     buf[row + j + 1]) +
				    ((unsigned)buf[row + j - bpp] << 8 |
				     buf[row + j - bpp + 1]);
				buf[row + j] = (uint8_t)(v >> 8);
				buf[row + j + 1] = (uint8_t)v;
			}
		}
		goto out;
	}
	ENSURE(p->predictor >= 10 && p->predictor <= 15, TTE_E_UNSUPPORTED, d,
	       "/Predictor %ld", p->predictor);
	ENSURE(*len % (rowbytes + 1) == 0, TTE_E_MALFORMED, d,
	       "%zu bytes are not whole PNG rows of %zu", *len, rowbytes + 1);
	rows = *len / (rowbytes + 1);
	for (size_t row = 0; row < rows; row++) {
		ft = buf[i++];
		ENSURE(ft <= 4, TTE_E_MALFORMED, d,
		       "PNG filter type %u in row %zu", ft, row);
		for (size_t j = 0; j < rowbytes; j++) {
			x = buf[i + j];
			a = j >= bpp ? buf[o + j - bpp] : 0;
			b = row > 0 ? buf[o + j - rowbytes] : 0;
			c = row > 0 && j >= bpp ? buf[o + j - rowbytes - bpp]
			                        : 0;
			switch (ft) {
			case 1:
				x += a;
				break;
			case 2:
				x += b;
				break;
			case 3:
				x += (a + b) / 2;
				break;
			case 4:
				x += paeth(a, b, c);
				break;
			default:
				break;
			}
			buf[o + j] = (uint8_t)x;
		}
		i += rowbytes;
		o += rowbytes;
	}
	*len = o;
out:
	return rc;
}

static tte_err
run(enum pdf_filter f, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *olen, int *cut, struct diag *d)
{
	switch (f) {
	case PDF_FILTER_FLATE:
		return flate(in, n, out, cap, olen, cut, d);
	case PDF_FILTER_ASCIIHEX:
		return asciihex(in, n, out, cap, olen, d);
	case PDF_FILTER_ASCII85:
		return ascii85(in, n, out, cap, olen, d);
	case PDF_FILTER_RUNLENGTH:
		return runlength(in, n, out, cap, olen, d);
	}
	return diag_set(d, TTE_E_UNSUPPORTED, __FILE__, __LINE__, "filter %d",
	                (int)f);
}

/* see pdf_filter.h */
tte_err
pdf_filter_decode(enum pdf_filter f, const struct pdf_filter_parms *parms,
                  const uint8_t *in, size_t n, size_t cap, struct arena *a,
                  const uint8_t **out, size_t *out_len, int *cut,
                  struct diag *d)
{
	struct pdf_filter_parms defaults;
	uint8_t *buf;
	size_t len = 0, len2 = 0;
	tte_err rc = TTE_OK;

	pdf_filter_parms_init(&defaults);
	if (parms == NULL || f != PDF_FILTER_FLATE)
		parms = &defaults;
	if (cut != NULL)
		*cut = 0;
	TRY(run(f, in, n, NULL, cap, &len, cut, d));
	buf = arena_alloc(a, len + 1);
	ENSURE(buf != NULL, TTE_E_NOMEM, d, "decoded stream of %zu bytes", len);
	TRY(run(f, in, n, buf, len, &len2, cut, d));
	ENSURE(len2 == len, TTE_E_MALFORMED, d,
	       "decoder gave %zu bytes, then %zu", len, len2);
	TRY(unpredict(buf, &len, parms, d));
	buf[len] = 0;
	*out = buf;
	*out_len = len;
out:
	return rc;
}
