/*
 * isotime.h - UTC times as seconds since the epoch (int64_t, no time_t
 * limits) and their ISO 8601 form "2025-03-01T08:00:00Z".
 */
#ifndef TTE_ISOTIME_H
#define TTE_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define ISOTIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */

/* The times ISO 8601's four-digit years can write: 0000-01-01T00:00:00Z
 * to 9999-12-31T23:59:59Z. */
#define ISOTIME_MIN (-62167219200LL)
#define ISOTIME_MAX 253402300799LL

/* Writes t as ISO 8601 UTC into out (at least ISOTIME_LEN bytes);
 * "out-of-range" outside [ISOTIME_MIN, ISOTIME_MAX] (the INT64_MIN /
 * INT64_MAX sentinels of unreadable times included). */
void isotime_format(int64_t t, char out[ISOTIME_LEN]);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with "Z" or "+HH:MM" /
 * "-HH:MM". Returns 0 and sets *t, or -1 when s is not such a time.
 */
int isotime_parse(const char *s, int64_t *t);

/* Seconds since the epoch of a UTC calendar date (proleptic Gregorian). */
int64_t isotime_from_fields(int year, int mon, int day, int hour, int min,
			    int sec);

#endif
