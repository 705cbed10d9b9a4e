/* Tests for verifier/base/arena.c: alignment, zeroing, big requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/base/arena.h"

static void
allocations_are_aligned_zeroed_and_distinct(void **state)
{
	struct arena a;
	char *p, *q;

	(void)state;
	arena_init(&a);
	p = arena_alloc(&a, 3);
	q = arena_alloc(&a, 5);
	assert_non_null(p);
	assert_non_null(q);
	assert_true(p != q);
	assert_int_equal((uintptr_t)q % _Alignof(max_align_t), 0);
	assert_int_equal(q[0] | q[4], 0);
	arena_release(&a);
	assert_null(a.head);
}

static void
big_requests_keep_the_head_chunk(void **state)
{
	struct arena a;
	char *small1, *big, *small2;

	(void)state;
	arena_init(&a);
	small1 = arena_alloc(&a, 16);
	big = arena_alloc(&a, 3 * ARENA_CHUNK);
	small2 = arena_alloc(&a, 16);
	assert_non_null(big);
	memset(big, 0xab, 3 * ARENA_CHUNK);
	/* The second small block follows the first in the same chunk. */
	assert_ptr_equal(small2, small1 + 16);
	assert_true(a.total >= 3 * ARENA_CHUNK + 32);
	arena_release(&a);
}

static void
strings(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_string_equal(arena_strdup(&a, "sah"), "sah");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "tidak sah", 5), "tidak");
	assert_string_equal(arena_printf(&a, "%d/%s", 7, "x"), "7/x");
	assert_null(arena_alloc(&a, SIZE_MAX));
	arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_are_aligned_zeroed_and_distinct),
		cmocka_unit_test(big_requests_keep_the_head_chunk),
		cmocka_unit_test(strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
