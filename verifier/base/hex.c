#include "hex.h"

/* see hex.h */
int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* see hex.h */
int
hex_decode(const char *hex, uint8_t *out, size_t n)
{
	if (hex == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)hex[2 * i]);
		int lo = hi < 0 ? -1 : hex_digit((unsigned char)hex[2 * i + 1]);

		if (lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return hex[2 * n] == '\0' ? 0 : -1;
}
