/* utf8.h - writing Unicode code points as UTF-8. */
#ifndef TTE_UTF8_H
#define TTE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX 4 /* bytes one code point takes at most */

/* Writes cp as UTF-8 into b (room for UTF8_MAX bytes) and returns the
 * length. Surrogates and values past U+10FFFF become U+FFFD: the output
 * is always valid UTF-8. */
size_t utf8_put(uint32_t cp, char *b);

#endif
