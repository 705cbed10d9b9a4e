/*
 * hex.h - hexadecimal digits in, bytes out: PDF hex strings, JSON \u
 * escapes, ToUnicode CMaps, SHA-256 fingerprints. (Bytes to hex for
 * display: pki_ossl_hex.)
 */
#ifndef TTE_HEX_H
#define TTE_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The value of hex digit c (either case), or -1. */
int hex_digit(int c);

/*
 * Decodes hex, exactly 2 * n digits and nothing after them, into out[n].
 * Returns 0, or -1 (out unspecified) when hex is NULL or anything else.
 */
int hex_decode(const char *hex, uint8_t *out, size_t n);

#endif
