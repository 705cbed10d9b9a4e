/*
 * fuzz.h - what every harness in tests/fuzz shares. Each harness is
 * linked either with libFuzzer (make fuzz) or with replay.c (make test),
 * and must be deterministic: same input, same path through the code.
 */
#ifndef TTE_FUZZ_H
#define TTE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "../../verifier/err.h"

/* A harness keeps going after an error: the error is the outcome under
 * test. (gcc ignores a (void) cast of a warn_unused_result call.) */
#define IGNORE(call)                                                           \
	do {                                                                   \
		if ((call) != TTE_OK) {                                        \
		}                                                              \
	} while (0)

/* libFuzzer's entry point; always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
