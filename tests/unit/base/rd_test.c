/* Tests for verifier/base/rd.c: bounds, sub-readers and DER TLVs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../verifier/base/rd.h"

static void
reads_stop_at_end(void **state)
{
	static const uint8_t buf[] = {1, 2, 3};
	struct rd r;
	struct diag d;
	uint8_t b;
	const uint8_t *p;

	(void)state;
	diag_clear(&d);
	rd_init(&r, buf, sizeof(buf));
	assert_int_equal(rd_u8(&r, &b, &d), TTE_OK);
	assert_int_equal(b, 1);
	assert_int_equal(rd_bytes(&r, 3, &p, &d), TTE_E_TRUNCATED);
	assert_int_equal(d.code, TTE_E_TRUNCATED);
	assert_int_equal(rd_left(&r), 2);
	assert_int_equal(rd_bytes(&r, 2, &p, NULL), TTE_OK);
	assert_int_equal(p[1], 3);
	assert_int_equal(rd_u8(&r, &b, NULL), TTE_E_TRUNCATED);
}

static void
sub_reader_is_bounded_and_close_finds_trailing(void **state)
{
	static const uint8_t buf[] = {1, 2, 3, 4};
	struct rd r, in;
	struct diag d;
	uint8_t b;

	(void)state;
	diag_clear(&d);
	rd_init(&r, buf, sizeof(buf));
	assert_int_equal(rd_sub(&r, 5, &in, &d), TTE_E_TRUNCATED);
	assert_int_equal(rd_sub(&r, 2, &in, NULL), TTE_OK);
	assert_int_equal(rd_u8(&in, &b, NULL), TTE_OK);
	assert_int_equal(rd_close(&in, NULL), TTE_E_TRAILING);
	assert_int_equal(rd_u8(&in, &b, NULL), TTE_OK);
	assert_int_equal(rd_u8(&in, &b, NULL), TTE_E_TRUNCATED);
	assert_int_equal(rd_close(&in, NULL), TTE_OK);
	assert_int_equal(rd_left(&r), 2);
}

static void
der_short_and_long_lengths(void **state)
{
	uint8_t buf[3 + 200];
	struct rd r, v;
	uint8_t tag;

	(void)state;
	buf[0] = 0x04;
	buf[1] = 0x81;
	buf[2] = 200;
	rd_init(&r, buf, sizeof(buf));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_OK);
	assert_int_equal(tag, 0x04);
	assert_int_equal(rd_left(&v), 200);
	assert_int_equal(rd_close(&r, NULL), TTE_OK);
}

static void
der_refuses_bad_encodings(void **state)
{
	static const uint8_t indefinite[] = {0x30, 0x80, 0, 0};
	static const uint8_t nonminimal[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
	static const uint8_t too_long[] = {0x04, 0x85, 1, 0, 0, 0, 0};
	static const uint8_t overrun[] = {0x04, 0x05, 1, 2};
	static const uint8_t high_tag[] = {0x1f, 0x81, 0x01, 0x00};
	struct rd r, v;
	uint8_t tag;

	(void)state;
	rd_init(&r, indefinite, sizeof(indefinite));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_E_MALFORMED);
	rd_init(&r, nonminimal, sizeof(nonminimal));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_E_MALFORMED);
	rd_init(&r, too_long, sizeof(too_long));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_E_TOO_BIG);
	rd_init(&r, overrun, sizeof(overrun));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_E_TRUNCATED);
	rd_init(&r, high_tag, sizeof(high_tag));
	assert_int_equal(rd_der(&r, &tag, &v, NULL), TTE_E_UNSUPPORTED);
}

static void
ber_definite_and_indefinite(void **state)
{
	/* SEQUENCE (indefinite) { OCTET STRING 'ab', [0] (indefinite)
	 * { NULL } } and a trailing byte. */
	static const uint8_t ber[] = {0x30, 0x80, 0x04, 0x02, 'a', 'b',
				      0xa0, 0x80, 0x05, 0x00, 0x00, 0x00,
				      0x00, 0x00, 0x77};
	/* Non-minimal definite length: BER allows it. */
	static const uint8_t nonminimal[] = {0x04, 0x81, 0x02, 'x', 'y'};
	struct rd r, v, inner;
	const uint8_t *whole = NULL;
	size_t whole_len = 0;
	uint8_t tag;

	(void)state;
	rd_init(&r, ber, sizeof(ber));
	assert_int_equal(rd_ber(&r, 4, &tag, &v, &whole, &whole_len, NULL),
			 TTE_OK);
	assert_int_equal(tag, 0x30);
	assert_ptr_equal(whole, ber);
	assert_int_equal(whole_len, sizeof(ber) - 1);
	assert_int_equal(rd_left(&v), 10); /* without its 00 00 */
	assert_int_equal(rd_left(&r), 1);
	assert_int_equal(rd_ber(&v, 4, &tag, &inner, NULL, NULL, NULL),
			 TTE_OK);
	assert_int_equal(tag, 0x04);
	assert_int_equal(rd_left(&inner), 2);
	assert_int_equal(rd_ber(&v, 4, &tag, &inner, &whole, &whole_len,
				NULL), TTE_OK);
	assert_int_equal(tag, 0xa0);
	assert_int_equal(whole_len, 6);
	assert_int_equal(rd_left(&inner), 2);
	assert_int_equal(rd_close(&v, NULL), TTE_OK);
	rd_init(&r, nonminimal, sizeof(nonminimal));
	assert_int_equal(rd_ber(&r, 0, &tag, &v, NULL, NULL, NULL), TTE_OK);
	assert_int_equal(rd_left(&v), 2);
}

static void
ber_refuses_bad_encodings(void **state)
{
	static const uint8_t no_eoc[] = {0x30, 0x80, 0x05, 0x00};
	static const uint8_t primitive[] = {0x04, 0x80, 0x00, 0x00};
	static const uint8_t nested[] = {0x30, 0x80, 0x30, 0x80, 0x30, 0x80,
					 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
	static const uint8_t overrun[] = {0x30, 0x80, 0x04, 0x05, 1, 0, 0};
	static const uint8_t high_tag[] = {0x3f, 0x80, 0x00, 0x00};
	struct rd r, v;
	uint8_t tag;

	(void)state;
	rd_init(&r, no_eoc, sizeof(no_eoc));
	assert_int_equal(rd_ber(&r, 4, &tag, &v, NULL, NULL, NULL),
			 TTE_E_TRUNCATED);
	rd_init(&r, primitive, sizeof(primitive));
	assert_int_equal(rd_ber(&r, 4, &tag, &v, NULL, NULL, NULL),
			 TTE_E_MALFORMED);
	rd_init(&r, nested, sizeof(nested));
	assert_int_equal(rd_ber(&r, 2, &tag, &v, NULL, NULL, NULL),
			 TTE_E_TOO_BIG);
	rd_init(&r, nested, sizeof(nested));
	assert_int_equal(rd_ber(&r, 3, &tag, &v, NULL, NULL, NULL), TTE_OK);
	rd_init(&r, overrun, sizeof(overrun));
	assert_int_equal(rd_ber(&r, 4, &tag, &v, NULL, NULL, NULL),
			 TTE_E_TRUNCATED);
	rd_init(&r, high_tag, sizeof(high_tag));
	assert_int_equal(rd_ber(&r, 4, &tag, &v, NULL, NULL, NULL),
			 TTE_E_UNSUPPORTED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_stop_at_end),
		cmocka_unit_test(sub_reader_is_bounded_and_close_finds_trailing),
		cmocka_unit_test(der_short_and_long_lengths),
		cmocka_unit_test(der_refuses_bad_encodings),
		cmocka_unit_test(ber_definite_and_indefinite),
		cmocka_unit_test(ber_refuses_bad_encodings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
