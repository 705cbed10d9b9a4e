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
 * The validation constraints it applies come from the policy (struct
 * tte_rules, filled by policy/): the algorithm catalogue and what
 * revocation data must show. Each is recorded on the signature as a
 * constraint outcome ("crypto.algorithms", "revocation.fresh"); at level
 * FAIL a failure sets the ETSI verdict, at WARN or INFORM it is only
 * recorded. A certificate revoked before the best signature time fails
 * whatever the level: that is a fact, not a rule.
 */
#ifndef TTE_VERDICT_H
#define TTE_VERDICT_H

#include <stdint.h>

#include "result.h"

/* One entry of the algorithm catalogue: `name` is acceptable (for a key:
 * with at least min_bits) before `until` (0: no end). Names are those of
 * the facts: digests "SHA256", "SHA1", ...; key types "RSA", "RSA-PSS",
 * "EC", "DSA", "Ed25519", "Ed448". */
struct tte_algo_rule {
	const char *name;
	int min_bits;
	int64_t until;
};

struct tte_rules {
	/* "crypto.algorithms": every digest and key of the signature and
	 * its chain must match an entry at the best signature time. */
	enum tte_level crypto_level;
	const struct tte_algo_rule *digests;
	size_t n_digests;
	const struct tte_algo_rule *keys;
	size_t n_keys;
	/* "revocation.fresh": every certificate below the anchor has
	 * revocation data fresh at the best signature time. */
	enum tte_level revocation_level;
	int64_t revocation_max_age; /* seconds; 0: fresh while before the
				       data's nextUpdate (EN 319 102-1
				       §5.2.5.4 without a constraint) */
};

/* The built-in rules (static storage): the catalogue of README.md (MD5
 * until 2004, SHA-1 and RSA-1024 / EC-160 until 2016, SHA-2/SHA-3, RSA
 * and RSA-PSS from 2048, EC from 256, EdDSA) and revocation at FAIL. */
const struct tte_rules *verdict_rules_default(void);

/* Judges sig (and its timestamp first) at validation time `at`. */
void verdict_judge_sig(struct tte_sig *sig, int64_t at,
		       const struct tte_rules *rules, struct arena *a);

/* Judges every signature of doc at `at`, then the document: its worst
 * signature, FORMAT_FAILURE when it could not be read, and
 * SIGNED_DATA_NOT_FOUND when it holds no signature. rules NULL: the
 * built-in rules. */
void verdict_judge_doc(struct tte_doc *doc, int64_t at,
		       const struct tte_rules *rules);

/* The worst signature's verdict as doc's (used again after the policy
 * pass changed a signature's). */
void verdict_doc_from_sigs(struct tte_doc *doc);

/* Nonzero when (i1, s1) is a worse outcome than (i2, s2). */
int verdict_worse(enum tte_ind i1, enum tte_sub s1, enum tte_ind i2,
		  enum tte_sub s2);

#endif
