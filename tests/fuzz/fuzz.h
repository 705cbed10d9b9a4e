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

/*
 * Nonzero when data holds the DER of the policyConstraints extension's
 * OID (2.5.29.36). OpenSSL 3.0's X509_policy_check leaks that extension
 * for a certificate without certificatePolicies (tests/lsan.supp). The
 * suppression only matches full stacks, which cost libFuzzer 60 times
 * its speed (32 executions a second instead of 2,000), so harnesses that
 * build chains skip such inputs (returning -1: not kept in the corpus).
 * Replays (make test) run them with full stacks and the suppression, so
 * tests/fuzz/regress/cms_tst still exercises that path.
 */
#if defined(__clang__)
__attribute__((no_sanitize("coverage")))
#endif
static inline int
fuzz_reaches_openssl_leak(const uint8_t *data, size_t size)
{
	static const uint8_t oid[] = {0x06, 0x03, 0x55, 0x1d, 0x24};

#ifdef FUZZ_REPLAY
	(void)oid;
	return 0;
#endif
	/* By hand and without coverage: libFuzzer would record every
	 * comparison of this scan, at a cost of most of its speed. */
	for (size_t i = 0; i + sizeof(oid) <= size; i++) {
		size_t k = 0;

		while (k < sizeof(oid) && data[i + k] == oid[k])
			k++;
		if (k == sizeof(oid))
			return 1;
	}
	return 0;
}

/* Defines libFuzzer's entry point over fn (a harness's own
 * int fn(const uint8_t *, size_t)), skipping the inputs that reach the
 * OpenSSL leak above. */
#define FUZZ_ENTRY_SKIPPING_OPENSSL_LEAK(fn)                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
	{                                                                      \
		if (fuzz_reaches_openssl_leak(data, size))                     \
			return -1;                                             \
		return fn(data, size);                                         \
	}

/* libFuzzer's entry point; returns 0, or -1 for an input it skipped. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
