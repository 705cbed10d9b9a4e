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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_stop_at_end),
		cmocka_unit_test(sub_reader_is_bounded_and_close_finds_trailing),
		cmocka_unit_test(der_short_and_long_lengths),
		cmocka_unit_test(der_refuses_bad_encodings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
