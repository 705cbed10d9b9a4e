/* Tests for verifier/base/hex.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/base/hex.h"

static void
digits(void **state)
{
	(void)state;
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('9'), 9);
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_digit(' '), -1);
	assert_int_equal(hex_digit(0xe9), -1);
	assert_int_equal(hex_digit(-1), -1);
}

static void
decodes_exactly(void **state)
{
	uint8_t out[3];

	(void)state;
	assert_int_equal(hex_decode("00aBff", out, 3), 0);
	assert_memory_equal(out, "\x00\xab\xff", 3);
	assert_int_equal(hex_decode("00aBf", out, 3), -1);   /* short */
	assert_int_equal(hex_decode("00aBff0", out, 3), -1); /* long */
	assert_int_equal(hex_decode("00aBfz", out, 3), -1);  /* not hex */
	assert_int_equal(hex_decode(NULL, out, 3), -1);
	assert_int_equal(hex_decode("", out, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digits),
		cmocka_unit_test(decodes_exactly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
