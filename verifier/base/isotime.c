#include "isotime.h"

#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* see isotime.h */
int64_t
isotime_from_fields(int year, int mon, int day, int hour, int min, int sec)
{
	return days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	       min * 60 + sec;
}

/* see isotime.h */
void
isotime_format(int64_t t, char out[ISOTIME_LEN])
{
	int64_t z, era, doe, yoe, y, doy, mp, d, m, secs;

	/* Before any arithmetic: t - 86399 overflows for INT64_MIN. */
	if (t < ISOTIME_MIN || t > ISOTIME_MAX) {
		snprintf(out, ISOTIME_LEN, "out-of-range");
		return;
	}
	z = (t >= 0 ? t : t - 86399) / 86400;
	secs = t - z * 86400;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	if (y < 0 || y > 9999) {
		snprintf(out, ISOTIME_LEN, "out-of-range");
		return;
	}
	/* The fields are in range here; the wide buffer only keeps the
	 * compiler's truncation check quiet. */
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y,
		 (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60));
	memcpy(out, tmp, ISOTIME_LEN - 1);
	out[ISOTIME_LEN - 1] = '\0';
}

/* Reads exactly n digits at *s into *v. */
static int
digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 0;
}

/* see isotime.h */
int
isotime_parse(const char *s, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) ||
	    *s++ != '-' || digits(&s, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return -1;
	if (*s == '\0') {
		*t = isotime_from_fields(y, mo, d, 0, 0, 0);
		return 0;
	}
	if ((*s != 'T' && *s != ' ') || (s++, digits(&s, 2, &h)) ||
	    *s++ != ':' || digits(&s, 2, &mi))
		return -1;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, &se))
			return -1;
	}
	if (h > 23 || mi > 59 || se > 60)
		return -1;
	if (*s == 'Z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		s++;
		if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om))
			return -1;
	} else {
		return -1; /* a time without zone is ambiguous: refuse it */
	}
	if (*s != '\0')
		return -1;
	*t = isotime_from_fields(y, mo, d, h, mi, se) -
	     sign * (oh * 3600 + om * 60);
	return 0;
}
