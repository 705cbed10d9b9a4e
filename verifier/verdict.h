/*
 * verdict.h - from facts to an ETSI EN 319 102-1 verdict.
 *
 * The facts (result.h) say what was found; this module decides, at a
 * validation time, what that means: basic validation (§5.3), then the
 * time checks against the best signature time (past signature validation,
 * §5.6.2.4), with proof of existence from a valid signature timestamp.
 * Where a check was not completed, the verdict is INDETERMINATE: only a
 * complete set of passing facts gives TOTAL-PASSED.
 *
 * The algorithm catalogue is built in until the policy engine (issue 5)
 * takes it over: MD5 unacceptable from 2004-01-01, SHA-1 for signatures
 * and RSA or EC keys under 2048 / 256 bits from 2016-01-01.
 */
#ifndef TTE_VERDICT_H
#define TTE_VERDICT_H

#include <stdint.h>

#include "result.h"

/* Judges sig (and its timestamp first) at validation time `at`. */
void verdict_judge_sig(struct tte_sig *sig, int64_t at, struct arena *a);

/* Judges every signature of doc at `at`, then the document: its worst
 * signature, FORMAT_FAILURE when it could not be read, and
 * SIGNED_DATA_NOT_FOUND when it holds no signature. */
void verdict_judge_doc(struct tte_doc *doc, int64_t at);

/* Nonzero when (i1, s1) is a worse outcome than (i2, s2). */
int verdict_worse(enum tte_ind i1, enum tte_sub s1, enum tte_ind i2,
		  enum tte_sub s2);

#endif
