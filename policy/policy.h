/*
 * policy.h - a validation policy: the rules an assessor sets in an XML
 * file (policy/tteaudit-policy.xsd), loaded once, then applied to the
 * facts of every document (issue 5).
 *
 * Two passes use it, both after verification:
 *  - verdict.c takes the validation constraints EN 319 102-1 puts inside
 *    the validation itself (the algorithm catalogue, revocation
 *    freshness) through struct tte_rules (policy_rules);
 *  - policy_judge_doc takes the rest (certificate profile, signature
 *    level, the agreement's clauses) and records one outcome per
 *    constraint, the compliance findings and, for FAIL, the verdict.
 * Nothing here reads a document: rescoring saved facts (`tteaudit
 * rescore`) runs the same two passes.
 *
 * A struct policy owns all its strings; it is read-only after loading and
 * may be shared by threads.
 */
#ifndef TTE_POLICY_H
#define TTE_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../verifier/diag.h"
#include "../verifier/result.h"
#include "../verifier/verdict.h"

/* The shipped policies (`--policy NAME`), found in TTE_POLICY_DIR. */
#ifndef TTE_POLICY_DIR
#define TTE_POLICY_DIR "policy"
#endif
#define POLICY_DEFAULT_NAME "bsre-default"

/* One constraint's setting: its level, and whether the file set it. */
struct pol_level {
	enum tte_level level; /* TTE_LEVEL_IGNORE when the file lacks it */
	int set;              /* the file has the element */
};

/* A signer subject rule: a subject attribute must be one of values
 * (compared ignoring case and spacing). */
struct pol_subject_rule {
	const char *attribute; /* "O", "OU", "CN", "C" or a dotted OID */
	const char **values;
	size_t n_values;
};

/* Signature levels, weakest first (B-B < B-T < B-LT < B-LTA). */
enum pol_sig_level {
	POL_LEVEL_NONE = 0,
	POL_LEVEL_B_B,
	POL_LEVEL_B_T,
	POL_LEVEL_B_LT,
	POL_LEVEL_B_LTA,
};

struct policy {
	struct arena arena;      /* owns everything below */
	const char *name;        /* the file's name attribute */
	const char *description; /* NULL when the file has none */
	const char *path;        /* where it was loaded from (absolute for
				    a file; the name given for a buffer) */

	/* Trust anchors: certificate files (absolute paths, resolved
	 * against the policy file's folder) and SHA-256 pins (64 lowercase
	 * hex digits) matched against certificates found in documents. */
	const char **anchor_files;
	size_t n_anchor_files;
	const char **anchor_pins;
	const char **anchor_pin_names; /* for messages, may be "" */
	size_t n_anchor_pins;
	/* Every anchor's SHA-256 (lowercase hex): each certificate of the
	 * files, then the pins. Rescoring decides trust with it. */
	const char **anchor_sha256;
	size_t n_anchor_sha256;
	/* Parallel to anchor_sha256: the subject (RFC 2253) of each file
	 * certificate, NULL for a pin. */
	const char **anchor_subjects;
	/* How many certificates each anchor file gave (anchor_sha256 holds
	 * those of anchor_files[0] first, then of [1], ...). */
	size_t *anchor_file_n_certs;

	/* Validation constraints verdict.c applies (see struct tte_rules):
	 * the algorithm catalogue and revocation. The arrays are the
	 * policy's, or verdict_rules_default()'s static ones when the file
	 * has no <Algorithms> (algorithms_builtin). Without <Revocation>,
	 * revocation is FAIL with no maximum age (revocation_builtin): both
	 * fail safe. */
	struct tte_rules rules;
	int algorithms_builtin;
	int revocation_builtin;

	/* "signer.policy-oids": the signer certificate holds at least one
	 * of these certificatePolicies OIDs. */
	struct pol_level policy_oids;
	const char **oids;
	size_t n_oids;

	/* "signer.key-usage": every bit of key_usage set (enum tte_ku). */
	struct pol_level key_usage;
	unsigned key_usage_bits;

	/* "signer.ext-key-usage": at least one of these purposes. */
	struct pol_level ext_key_usage;
	const char **eku_oids;
	size_t n_eku_oids;

	/* "signer.subject": every rule holds. */
	struct pol_level subject;
	struct pol_subject_rule *subject_rules;
	size_t n_subject_rules;

	/* "signature.level": at least min_level (B-T needs a timestamp). */
	struct pol_level sig_level;
	enum pol_sig_level min_level;

	/* "agreement.window": the best signature time (else the claimed
	 * signing time) in [window_start, window_end). */
	struct pol_level window;
	int64_t window_start, window_end;
	int window_years, window_extension_years; /* as the file says */

	/* "agreement.statement": a signed PDF shows the exact wording or an
	 * accepted variant (matching: pdf_statement.c). */
	struct pol_level statement;
	const char *statement_exact;
	const char **statement_variants;
	size_t n_statement_variants;
	int statement_clause_rule; /* the BSrE clause counts as a variant
				      (clauseRule, default 1) */

	/* "agreement.timestamp-gap": claimed signing time within
	 * max_gap seconds of the signature timestamp. */
	struct pol_level timestamp_gap;
	int64_t max_gap;

	/* "document.signed": a document holds at least one signature. */
	struct pol_level unsigned_doc;

	/* "document.annotations-after-signing": no annotation added after
	 * an approval signature (it may cover signed content). */
	struct pol_level later_annotations;
};

/* Limits on what a policy file may hold (policy_load.c): a real policy
 * is a few KiB with tens of entries. */
#define POLICY_MAX_FILE (1UL << 20) /* bytes of the XML */
#define POLICY_MAX_LIST 1000        /* entries of any one list */
#define POLICY_MAX_ANCHORS 256      /* certificates and pins together */
#define POLICY_MAX_WORDING 1000     /* bytes of a statement wording:
				       pdf_statement.c normalises one on
				       the stack (WORDING_MAX 1024) */

/*
 * Loads and checks the policy in the XML file at path: well-formed XML
 * without a DOCTYPE (no DTD, no entities, no network), valid against
 * tteaudit-policy.xsd (in $TTEAUDIT_POLICY_DIR when set, else
 * TTE_POLICY_DIR), and meaningful (calendar dates, OIDs, pins, no
 * duplicates, anchor files that hold certificates, resolved against the
 * folder of path). On success *out is a policy the caller frees with
 * policy_free. Otherwise *out is untouched and d says what went wrong
 * with the first problem as "FILE:LINE: message": TTE_E_IO (cannot read
 * it), TTE_E_TOO_BIG (over POLICY_MAX_FILE), TTE_E_MALFORMED (any
 * problem policy_lint would report), TTE_E_NOMEM.
 */
TTE_MUST_USE tte_err policy_load(const char *path, struct policy **out,
				 struct diag *d);

/*
 * policy_load of a shipped policy's name ("bsre-default",
 * "crypto-only"): NAME.xml in $TTEAUDIT_POLICY_DIR when set, else
 * TTE_POLICY_DIR. When name contains '/' or ends in ".xml" it is a path.
 */
TTE_MUST_USE tte_err policy_load_named(const char *name, struct policy **out,
				       struct diag *d);

/*
 * policy_load of len bytes of XML in memory (tests, fuzzing). name is
 * used in messages and as p->path; relative anchor files are resolved
 * against base_dir (NULL: the current folder). xml may be NULL only
 * when len is 0.
 */
TTE_MUST_USE tte_err policy_load_buffer(const char *name, const uint8_t *xml,
					size_t len, const char *base_dir,
					struct policy **out, struct diag *d);

/* Frees p and everything it owns; NULL is a no-op. */
void policy_free(struct policy *p);

/*
 * Checks the file at path as policy_load does and writes every problem
 * found, one per line as "FILE:LINE: message" ("FILE: message" when it
 * has no line: the file cannot be read), to out. Returns the number of
 * problems (0: the policy is good). A policy without trust anchors is
 * good: --trust supplies them.
 */
size_t policy_lint(const char *path, FILE *out);

/* policy_lint of XML in memory, with policy_load_buffer's arguments. */
size_t policy_lint_buffer(const char *name, const uint8_t *xml, size_t len,
			  const char *base_dir, FILE *out);

/* Writes the effective rules of p readably (English) to out. */
void policy_show(const struct policy *p, FILE *out);

/*
 * The policy's pass over a judged document (verdict_judge_doc first):
 * records each constraint outcome on doc and its signatures, lowers a
 * TOTAL-PASSED signature for a failed FAIL constraint (with the reason),
 * recomputes doc's verdict, and lists the findings.
 */
void policy_judge_doc(const struct policy *p, struct tte_doc *doc);

/*
 * The identity of the statement wordings p gives (or the built-in ones
 * when p is NULL or has no Statement): "builtin", or the SHA-256 (hex) of
 * the exact wording and the variants. Verification records it with the
 * statement it matched (struct tte_doc.wordings_id); rescoring under
 * other wordings cannot reuse that match.
 */
void policy_wordings_id(const struct policy *p, char out[65]);

/* Nonzero when doc has compliance findings ("compliance": "findings"). */
int policy_doc_has_findings(const struct tte_doc *doc);

#endif
