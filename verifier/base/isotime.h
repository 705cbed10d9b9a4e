/*
 * isotime.h - UTC times as seconds since the epoch (int64_t, no time_t
 * limits) and their ISO 8601 form "2025-03-01T08:00:00Z".
 */
#ifndef TTE_ISOTIME_H
#define TTE_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define ISOTIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */

/* Writes t as ISO 8601 UTC into out (at least ISOTIME_LEN bytes). */
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
