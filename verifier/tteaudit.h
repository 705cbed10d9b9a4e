/*
 * tteaudit.h - the engine's public API, the only header the CLI (and
 * later the reports) include. The engine walks paths, verifies each
 * document and hands its result to a callback, one document at a time.
 */
#ifndef TTEAUDIT_H
#define TTEAUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "result.h"
#include "walk/walk.h"

struct policy; /* policy/policy.h */

struct tte_config {
	const char *const *trust; /* --trust paths (files or folders) */
	size_t n_trust;
	const char *const *crl;   /* --crl paths (files or folders) */
	size_t n_crl;
	int64_t at;               /* validation time, epoch seconds */
	const struct policy *policy; /* its anchors are added to --trust;
					NULL: built-in rules, no policy
					pass (tests, fuzzing) */
	struct walk_opts walk;    /* limits, and the stop flag */
	size_t doc_memory_limit;  /* bytes one document may use, 0 none */
	double doc_time_limit;    /* seconds one document may take, 0 none */
};

#define TTE_DOC_MEMORY_DEFAULT (2048UL << 20) /* far above any real PDF */
#define TTE_DOC_TIME_DEFAULT 120.0            /* seconds */

struct tte_engine;

/* Called once per document; doc is freed when the callback returns. */
typedef void (*tte_doc_fn)(const struct tte_doc *doc, void *arg);

/*
 * Loads the trust anchors and revocation data of cfg. On success *out is
 * an engine the caller frees with tte_engine_free. TTE_E_IO /
 * TTE_E_MALFORMED with d filled when a --trust or --crl path is unusable.
 */
TTE_MUST_USE tte_err tte_engine_new(const struct tte_config *cfg,
				    struct tte_engine **out, struct diag *d);
void tte_engine_free(struct tte_engine *e);

/* Number of trust anchors loaded. */
size_t tte_engine_anchor_count(const struct tte_engine *e);

/*
 * Verifies every document under path and calls fn with each result.
 * Returns TTE_OK when path could be walked (documents that fail get their
 * own result), or an error with d filled when path cannot be opened.
 */
TTE_MUST_USE tte_err tte_engine_verify_path(struct tte_engine *e,
					    const char *path, tte_doc_fn fn,
					    void *arg, struct diag *d);

/* Verifies one in-memory document named name (tests, fuzzers). */
void tte_engine_verify_buffer(struct tte_engine *e, const char *name,
			      const uint8_t *data, size_t len, tte_doc_fn fn,
			      void *arg);

#endif
