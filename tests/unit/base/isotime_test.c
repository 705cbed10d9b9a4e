/* Tests for verifier/base/isotime.c: round trips, zones, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/base/isotime.h"

static void
formats_known_instants(void **state)
{
	char buf[ISOTIME_LEN];

	(void)state;
	isotime_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	isotime_format(951782400, buf); /* leap day 2000 */
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
	isotime_format(isotime_from_fields(2025, 3, 1, 8, 0, 0), buf);
	assert_string_equal(buf, "2025-03-01T08:00:00Z");
	isotime_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void
parses_zones_and_dates(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(isotime_parse("2025-03-01T08:00:00Z", &t), 0);
	assert_int_equal(t, isotime_from_fields(2025, 3, 1, 8, 0, 0));
	assert_int_equal(isotime_parse("2025-03-01T15:00:00+07:00", &t), 0);
	assert_int_equal(t, isotime_from_fields(2025, 3, 1, 8, 0, 0));
	assert_int_equal(isotime_parse("2025-03-01", &t), 0);
	assert_int_equal(t, isotime_from_fields(2025, 3, 1, 0, 0, 0));
	assert_int_equal(isotime_parse("2025-03-01T08:00Z", &t), 0);
}

static void
refuses_bad_times(void **state)
{
	int64_t t = 42;

	(void)state;
	assert_int_equal(isotime_parse("2025-03-01T08:00:00", &t), -1);
	assert_int_equal(isotime_parse("2025-13-01", &t), -1);
	assert_int_equal(isotime_parse("2025-02-30", &t), -1);
	assert_int_equal(isotime_parse("2025-03-01T24:00:00Z", &t), -1);
	assert_int_equal(isotime_parse("2025-03-01T08:00:00Zjunk", &t), -1);
	assert_int_equal(isotime_parse("", &t), -1);
	assert_int_equal(isotime_parse("20250301", &t), -1);
	assert_int_equal(t, 42);
}

/* The sentinels of unreadable validity (pki_chain.c) and times outside
 * four-digit years print as out-of-range, without overflow (UBSan). */
static void
formats_out_of_range(void **state)
{
	char buf[ISOTIME_LEN];

	(void)state;
	isotime_format(INT64_MIN, buf);
	assert_string_equal(buf, "out-of-range");
	isotime_format(INT64_MAX, buf);
	assert_string_equal(buf, "out-of-range");
	isotime_format(ISOTIME_MIN - 1, buf);
	assert_string_equal(buf, "out-of-range");
	isotime_format(ISOTIME_MIN, buf);
	assert_string_equal(buf, "0000-01-01T00:00:00Z");
	isotime_format(ISOTIME_MAX, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	isotime_format(ISOTIME_MAX + 1, buf);
	assert_string_equal(buf, "out-of-range");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_known_instants),
		cmocka_unit_test(parses_zones_and_dates),
		cmocka_unit_test(refuses_bad_times),
		cmocka_unit_test(formats_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
