#include "utf8.h"

/* see utf8.h */
size_t
utf8_put(uint32_t cp, char *b)
{
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
