/* Tests for verifier/pdf/pdf_filter.c: each filter, the predictors and
 * the output cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "../../../verifier/pdf/pdf_filter.h"

#define CAP (1UL << 20)

struct fx {
	struct arena a;
	struct diag d;
	const uint8_t *out;
	size_t len;
	int cut;
};

static tte_err
dec(struct fx *f, enum pdf_filter flt, const struct pdf_filter_parms *p,
    const void *in, size_t n, size_t cap)
{
	diag_clear(&f->d);
	f->out = NULL;
	f->len = 0;
	return pdf_filter_decode(flt, p, in, n, cap, &f->a, &f->out, &f->len,
	                         NULL, &f->d);
}

static tte_err
dec_str(struct fx *f, enum pdf_filter flt, const char *s)
{
	return dec(f, flt, NULL, s, strlen(s), CAP);
}

/* zlib-compresses in[0..n); the caller frees. */
static uint8_t *
deflate_buf(const uint8_t *in, size_t n, size_t *out_len)
{
	uLongf len = compressBound(n);
	uint8_t *out = malloc(len);

	assert_non_null(out);
	assert_int_equal(compress2(out, &len, in, n, 9), Z_OK);
	*out_len = len;
	return out;
}

static void
lookup(void **state)
{
	enum pdf_filter f;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(pdf_filter_lookup("FlateDecode", &f, &d), TTE_OK);
	assert_int_equal(f, PDF_FILTER_FLATE);
	assert_int_equal(pdf_filter_lookup("RunLengthDecode", &f, &d), TTE_OK);
	assert_int_equal(f, PDF_FILTER_RUNLENGTH);
	assert_int_equal(pdf_filter_lookup("LZWDecode", &f, &d),
	                 TTE_E_UNSUPPORTED);
	assert_int_equal(pdf_filter_lookup("Fl", &f, NULL), TTE_E_UNSUPPORTED);
}

static void
flate_round_trip_and_trailing_garbage(void **state)
{
	static const char text[] = "BT /F1 12 Tf (Dokumen ini telah "
	                           "ditandatangani) Tj ET";
	struct fx f;
	uint8_t *z, *zg;
	size_t zn;

	(void)state;
	arena_init(&f.a);
	z = deflate_buf((const uint8_t *)text, sizeof(text) - 1, &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn, CAP), TTE_OK);
	assert_int_equal(f.len, sizeof(text) - 1);
	assert_memory_equal(f.out, text, f.len);
	assert_int_equal(f.out[f.len], 0);
	/* Bytes after the end of the zlib data are ignored (an EOL that
	 * /Length counted). */
	zg = malloc(zn + 5);
	assert_non_null(zg);
	memcpy(zg, z, zn);
	memcpy(zg + zn, "\r\njnk", 5);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, zg, zn + 5, CAP),
	                 TTE_OK);
	assert_int_equal(f.len, sizeof(text) - 1);
	/* Empty output. */
	free(z);
	z = deflate_buf((const uint8_t *)"", 0, &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn, CAP), TTE_OK);
	assert_int_equal(f.len, 0);
	free(z);
	free(zg);
	arena_release(&f.a);
}

static void
flate_truncated_and_corrupt(void **state)
{
	struct fx f;
	uint8_t *src, *z;
	size_t n = 100000, zn;

	(void)state;
	arena_init(&f.a);
	src = malloc(n);
	assert_non_null(src);
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)(i * 7 + i / 13);
	z = deflate_buf(src, n, &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn / 2, CAP),
	                 TTE_E_TRUNCATED);
	assert_int_equal(f.d.code, TTE_E_TRUNCATED);
	/* Leniently: what was decoded, and the caller is told. */
	diag_clear(&f.d);
	assert_int_equal(pdf_filter_decode(PDF_FILTER_FLATE, NULL, z, zn / 2,
	                                   CAP, &f.a, &f.out, &f.len, &f.cut,
	                                   &f.d),
	                 TTE_OK);
	assert_int_equal(f.cut, 1);
	assert_true(f.len > 0 && f.len < n);
	assert_memory_equal(f.out, src, f.len);
	/* Whole data is not cut. */
	assert_int_equal(pdf_filter_decode(PDF_FILTER_FLATE, NULL, z, zn, CAP,
	                                   &f.a, &f.out, &f.len, &f.cut, &f.d),
	                 TTE_OK);
	assert_int_equal(f.cut, 0);
	assert_int_equal(f.len, n);
	z[zn / 2] ^= 0x55;
	z[zn / 2 + 1] ^= 0xaa;
	z[0] = 0x00; /* not a zlib header */
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn, CAP),
	                 TTE_E_MALFORMED);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, 0, CAP),
	                 TTE_E_TRUNCATED);
	free(z);
	free(src);
	arena_release(&f.a);
}

static void
flate_bomb_is_capped(void **state)
{
	struct fx f;
	size_t n = 8UL << 20, zn;
	uint8_t *zeros = calloc(n, 1), *z;

	(void)state;
	arena_init(&f.a);
	assert_non_null(zeros);
	z = deflate_buf(zeros, n, &zn);
	assert_true(zn < n / 500);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn, CAP),
	                 TTE_E_TOO_BIG);
	assert_int_equal(f.d.code, TTE_E_TOO_BIG);
	/* Nothing was allocated for the refused output. */
	assert_true(f.a.total < CAP);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, z, zn, n), TTE_OK);
	assert_int_equal(f.len, n);
	free(z);
	free(zeros);
	arena_release(&f.a);
}

static void
png_predictors(void **state)
{
	/* 2 columns of RGB (6 bytes a row), one row per PNG filter type:
	 * None, Sub, Up, Average, Paeth. */
	static const uint8_t rows[5][7] = {
	    {0, 10, 20, 30, 40, 50, 60},
	    {1, 1, 2, 3, 4, 4, 4}, /* 1 2 3 5 6 7 */
	    {2, 1, 1, 1, 1, 1, 1}, /* 2 3 4 6 7 8 */
	    {3, 2, 2, 2, 2, 2, 2},
	    {4, 0, 0, 0, 0, 0, 0},
	};
	static const uint8_t want[30] = {
	    10,
	    20,
	    30,
	    40,
	    50,
	    60,
	    1,
	    2,
	    3,
	    5,
	    6,
	    7,
	    2,
	    3,
	    4,
	    6,
	    7,
	    8,
	    /* Average: 2 + (left + up) / 2 */
	    3,
	    3,
	    4,
	    6,
	    7,
	    8,
	    /* Paeth with 0 difference: the predictor's pick */
	    3,
	    3,
	    4,
	    6,
	    7,
	    8,
	};
	struct pdf_filter_parms p;
	struct fx f;
	uint8_t *z;
	size_t zn;

	(void)state;
	arena_init(&f.a);
	pdf_filter_parms_init(&p);
	p.predictor = 12;
	p.colors = 3;
	p.columns = 2;
	z = deflate_buf(&rows[0][0], sizeof(rows), &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP), TTE_OK);
	assert_int_equal(f.len, sizeof(want));
	assert_memory_equal(f.out, want, sizeof(want));
	/* A partial last row, and an unknown row filter type. */
	free(z);
	z = deflate_buf(&rows[0][0], sizeof(rows) - 1, &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_MALFORMED);
	free(z);
	{
		uint8_t bad[7] = {5, 0, 0, 0, 0, 0, 0};

		z = deflate_buf(bad, sizeof(bad), &zn);
	}
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_MALFORMED);
	p.bpc = 3;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_UNSUPPORTED);
	p.bpc = 8;
	p.columns = PDF_FILTER_MAX_COLUMNS + 1;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_UNSUPPORTED);
	p.columns = 2;
	p.predictor = 7;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_UNSUPPORTED);
	free(z);
	arena_release(&f.a);
}

static void
tiff_predictor(void **state)
{
	static const uint8_t rows[8] = {1, 1, 1, 1, 200, 100, 56, 1};
	static const uint8_t want[8] = {1, 2, 3, 4, 200, 44, 100, 101};
	struct pdf_filter_parms p;
	struct fx f;
	uint8_t *z;
	size_t zn;

	(void)state;
	arena_init(&f.a);
	pdf_filter_parms_init(&p);
	p.predictor = 2;
	p.columns = 4;
	z = deflate_buf(rows, sizeof(rows), &zn);
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP), TTE_OK);
	assert_memory_equal(f.out, want, sizeof(want));
	p.columns = 3;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_MALFORMED);
	p.columns = 8;
	p.bpc = 4;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, &p, z, zn, CAP),
	                 TTE_E_UNSUPPORTED);
	free(z);
	arena_release(&f.a);
}

static void
ascii_hex(void **state)
{
	struct fx f;

	(void)state;
	arena_init(&f.a);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCIIHEX, "48 65\n6c6C 6>junk"),
	                 TTE_OK);
	assert_int_equal(f.len, 5);
	assert_memory_equal(f.out, "Hell`", 5);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCIIHEX, "4865"),
	                 TTE_E_TRUNCATED);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCIIHEX, "48x5>"),
	                 TTE_E_MALFORMED);
	assert_int_equal(dec(&f, PDF_FILTER_ASCIIHEX, NULL, "414243>", 7, 2),
	                 TTE_E_TOO_BIG);
	arena_release(&f.a);
}

static void
ascii85(void **state)
{
	struct fx f;

	(void)state;
	arena_init(&f.a);
	assert_int_equal(
	    dec_str(&f, PDF_FILTER_ASCII85, "87cUR D]j7B\nEbo80~>"), TTE_OK);
	assert_int_equal(f.len, 12);
	assert_memory_equal(f.out, "Hello world!", 12);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "z@:E^~>"), TTE_OK);
	assert_int_equal(f.len, 7);
	assert_memory_equal(f.out, "\0\0\0\0abc", 7);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "@:B~>"), TTE_OK);
	assert_memory_equal(f.out, "ab", 2);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "87cUR"),
	                 TTE_E_TRUNCATED);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "87cvR~>"),
	                 TTE_E_MALFORMED);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "s8W-\"~>"),
	                 TTE_E_MALFORMED);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "87cURD~>"),
	                 TTE_E_MALFORMED);
	assert_int_equal(dec_str(&f, PDF_FILTER_ASCII85, "87~x"),
	                 TTE_E_MALFORMED);
	arena_release(&f.a);
}

static void
run_length(void **state)
{
	static const uint8_t in[] = {2, 'a', 'b', 'c', 254, 'z', 128, 'j'};
	static const uint8_t cut[] = {2, 'a', 'b'};
	static const uint8_t noend[] = {0, 'a'};
	struct fx f;
	uint8_t big[2 * 1000];

	(void)state;
	arena_init(&f.a);
	assert_int_equal(
	    dec(&f, PDF_FILTER_RUNLENGTH, NULL, in, sizeof(in), CAP), TTE_OK);
	assert_int_equal(f.len, 6);
	assert_memory_equal(f.out, "abczzz", 6);
	assert_int_equal(
	    dec(&f, PDF_FILTER_RUNLENGTH, NULL, cut, sizeof(cut), CAP),
	    TTE_E_TRUNCATED);
	assert_int_equal(
	    dec(&f, PDF_FILTER_RUNLENGTH, NULL, noend, sizeof(noend), CAP),
	    TTE_E_TRUNCATED);
	/* 1000 runs of 128 bytes from 2000 bytes: over a small cap. */
	for (size_t i = 0; i < 1000; i++) {
		big[2 * i] = 129;
		big[2 * i + 1] = 'x';
	}
	assert_int_equal(
	    dec(&f, PDF_FILTER_RUNLENGTH, NULL, big, sizeof(big), 64 * 1024),
	    TTE_E_TOO_BIG);
	arena_release(&f.a);
}

static void
nested_filters(void **state)
{
	static const char text[] = "nested: ASCIIHex around Flate";
	struct fx f;
	uint8_t *z;
	char hex[256];
	size_t zn, k = 0;
	const uint8_t *mid;
	size_t mid_len;

	(void)state;
	arena_init(&f.a);
	z = deflate_buf((const uint8_t *)text, sizeof(text) - 1, &zn);
	for (size_t i = 0; i < zn; i++) {
		hex[k++] = "0123456789abcdef"[z[i] >> 4];
		hex[k++] = "0123456789abcdef"[z[i] & 15];
	}
	hex[k++] = '>';
	assert_int_equal(dec(&f, PDF_FILTER_ASCIIHEX, NULL, hex, k, CAP),
	                 TTE_OK);
	mid = f.out;
	mid_len = f.len;
	assert_int_equal(dec(&f, PDF_FILTER_FLATE, NULL, mid, mid_len, CAP),
	                 TTE_OK);
	assert_memory_equal(f.out, text, sizeof(text) - 1);
	free(z);
	arena_release(&f.a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lookup),
	    cmocka_unit_test(flate_round_trip_and_trailing_garbage),
	    cmocka_unit_test(flate_truncated_and_corrupt),
	    cmocka_unit_test(flate_bomb_is_capped),
	    cmocka_unit_test(png_predictors),
	    cmocka_unit_test(tiff_predictor),
	    cmocka_unit_test(ascii_hex),
	    cmocka_unit_test(ascii85),
	    cmocka_unit_test(run_length),
	    cmocka_unit_test(nested_filters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
