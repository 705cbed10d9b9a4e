/*
 * engine.c - walk → sniff → format verifier → verdict, one document at a
 * time. Each document's memory is its own arena, freed when it is done.
 */
#include <stdlib.h>
#include <string.h>

#include "../policy/policy.h"
#include "cms/cms_verify.h"
#include "pdf/pdf_sig.h"
#include "pki/pki_ossl.h"
#include "pki/pki_store.h"
#include "tteaudit.h"
#include "verdict.h"

#define DETACHED_SUFFIX ".p7s"

struct tte_engine {
	struct pki_store *store;
	struct tte_config cfg;
	struct tte_wordings wordings; /* the policy's statement, if any */
	char wordings_id[65];         /* policy_wordings_id of them */
};

/* see tteaudit.h */
tte_err
tte_engine_new(const struct tte_config *cfg, struct tte_engine **out,
	       struct diag *d)
{
	struct tte_engine *e = NULL;
	tte_err rc = TTE_OK;

	e = calloc(1, sizeof(*e));
	ENSURE(e != NULL, TTE_E_NOMEM, d, "engine");
	e->cfg = *cfg;
	e->store = pki_store_new();
	ENSURE(e->store != NULL, TTE_E_NOMEM, d, "trust store");
	for (size_t i = 0; i < cfg->n_trust; i++)
		TRY(pki_store_add_trust(e->store, cfg->trust[i], d));
	if (cfg->policy != NULL) {
		const struct policy *p = cfg->policy;

		for (size_t i = 0; i < p->n_anchor_files; i++)
			TRY(pki_store_add_trust(e->store, p->anchor_files[i], d));
		for (size_t i = 0; i < p->n_anchor_pins; i++)
			TRY(pki_store_add_pin(e->store, p->anchor_pins[i], d));
		e->wordings.exact = p->statement_exact;
		e->wordings.variants = p->statement_variants;
		e->wordings.n_variants = p->n_statement_variants;
		e->wordings.clause_rule = p->statement_clause_rule;
	}
	policy_wordings_id(cfg->policy, e->wordings_id);
	for (size_t i = 0; i < cfg->n_crl; i++)
		TRY(pki_store_add_revocation(e->store, cfg->crl[i], d));
	*out = e;
	e = NULL;
out:
	tte_engine_free(e);
	return rc;
}

/* see tteaudit.h */
void
tte_engine_free(struct tte_engine *e)
{
	if (e == NULL)
		return;
	pki_store_free(e->store);
	free(e);
}

/* see tteaudit.h */
size_t
tte_engine_anchor_count(const struct tte_engine *e)
{
	return pki_store_anchor_count(e->store) + e->store->n_pins;
}

struct sibling {
	const struct walk_doc *doc;
	const char *name; /* the signature's own name */
};

/* "x.p7s" signs "x" in the same folder (issue 2). */
static tte_err
load_sibling(void *arg, uint8_t **data, size_t *len, struct diag *d)
{
	const struct sibling *sb = arg;
	const char *base = strrchr(sb->name, '/');
	const char *bang = strrchr(sb->name, '!');
	char *want = NULL;
	size_t n;
	tte_err rc = TTE_OK;

	if (bang != NULL && (base == NULL || bang > base))
		base = bang;
	base = base == NULL ? sb->name : base + 1;
	n = strlen(base);
	ENSURE(sb->doc != NULL && n > strlen(DETACHED_SUFFIX) &&
		       strcmp(base + n - strlen(DETACHED_SUFFIX),
			      DETACHED_SUFFIX) == 0,
	       TTE_E_IO, d,
	       "detached signature: its content is found only as 'x' next "
	       "to 'x%s'", DETACHED_SUFFIX);
	want = strndup(base, n - strlen(DETACHED_SUFFIX));
	ENSURE(want != NULL, TTE_E_NOMEM, d, "sibling name");
	TRY(walk_sibling_load(sb->doc, want, data, len, d));
out:
	free(want);
	return rc;
}

/* A document that ran out of its time or memory budget was not fully
 * checked (issue 6): the reason becomes a fact (doc->stopped), which the
 * verdict turns into INDETERMINATE for anything that passed. */
static void
over_budget(const struct tte_engine *e, struct tte_doc *doc)
{
	enum arena_over why = doc->arena.over;

	arena_set_budget(&doc->arena, 0, 0); /* room for the reason */
	doc->stopped = why == ARENA_OVER_TIME ?
		arena_printf(&doc->arena, "over the per-document time budget "
			     "(%.0f s)", e->cfg.doc_time_limit) :
		arena_printf(&doc->arena, "over the per-document memory "
			     "budget (%zu MiB)", e->cfg.doc_memory_limit >> 20);
	if (doc->stopped == NULL)
		doc->stopped = "over the per-document budget";
	tte_doc_error(doc, "verification stopped: %s", doc->stopped);
}

static void
verify_doc(struct tte_engine *e, const struct walk_doc *wd, const char *name,
	   const uint8_t *data, size_t len, enum tte_format fmt,
	   tte_doc_fn fn, void *arg)
{
	struct tte_doc *doc = tte_doc_new(name, fmt);
	struct sibling sb = {wd, name};
	struct cms_content_src src = {load_sibling, &sb};
	struct diag d;

	if (doc == NULL)
		return; /* out of memory: nothing sensible can be said */
	arena_set_budget(&doc->arena, e->cfg.doc_memory_limit,
			 e->cfg.doc_time_limit);
	if (e->cfg.policy != NULL && e->wordings.exact != NULL)
		doc->wordings = &e->wordings;
	doc->wordings_id = e->wordings_id;
	diag_clear(&d);
	if (data != NULL)
		pki_ossl_sha256_hex(data, len, doc->sha256);
	if (wd != NULL && wd->error != TTE_OK) {
		tte_doc_error(doc, "%s", wd->error_msg != NULL ?
					 wd->error_msg : tte_err_str(wd->error));
	} else {
		switch (fmt) {
		case TTE_FMT_CMS:
			if (cms_verify(doc, e->store, data, len, &src, &d) !=
			    TTE_OK)
				tte_doc_error(doc, "%s", d.msg);
			break;
		case TTE_FMT_PDF:
			doc->statement = TTE_STMT_UNKNOWN;
			if (pdf_sig_verify(doc, e->store, data, len, &d) !=
			    TTE_OK)
				tte_doc_error(doc, "%s", d.msg);
			break;
		case TTE_FMT_XML:
			tte_doc_error(doc, "XML signatures are not verified "
				      "yet");
			break;
		case TTE_FMT_ASIC:
			tte_doc_error(doc, "ASiC containers are not verified "
				      "yet");
			break;
		case TTE_FMT_ZIP:
			tte_doc_error(doc, "zip archive not descended");
			break;
		case TTE_FMT_UNKNOWN:
			tte_doc_error(doc, "not a signed document format that "
				      "tteaudit reads (CMS/CAdES, PDF, XML, "
				      "ASiC)");
			break;
		}
	}
	if (doc->arena.over != ARENA_OK)
		over_budget(e, doc);
	verdict_judge_doc(doc, e->cfg.at, e->cfg.policy != NULL ?
						  &e->cfg.policy->rules : NULL);
	if (e->cfg.policy != NULL)
		policy_judge_doc(e->cfg.policy, doc);
	if (doc->arena.over != ARENA_OK && doc->stopped == NULL) {
		over_budget(e, doc); /* ran out while judging */
		verdict_doc_from_sigs(doc);
		if (e->cfg.policy != NULL) { /* judged compliant before */
			doc->has_findings = 1;
			tte_notes_add(&doc->findings, &doc->arena,
				      "verification stopped: %s", doc->stopped);
		}
	}
	fn(doc, arg);
	tte_doc_free(doc);
}

struct walk_arg {
	struct tte_engine *e;
	tte_doc_fn fn;
	void *arg;
};

static void
on_walk_doc(const struct walk_doc *wd, void *arg)
{
	struct walk_arg *wa = arg;

	/* Content next to its detached signature is reported through the
	 * signature, not as a document of its own. */
	if (wd->is_detached_content && wd->error == TTE_OK)
		return;
	verify_doc(wa->e, wd, wd->name, wd->data, wd->len, wd->format,
		   wa->fn, wa->arg);
}

/* see tteaudit.h */
tte_err
tte_engine_verify_path(struct tte_engine *e, const char *path, tte_doc_fn fn,
		       void *arg, struct diag *d)
{
	struct walk_arg wa = {e, fn, arg};

	return walk_path(path, &e->cfg.walk, on_walk_doc, &wa, d);
}

/* see tteaudit.h */
void
tte_engine_verify_buffer(struct tte_engine *e, const char *name,
			 const uint8_t *data, size_t len, tte_doc_fn fn,
			 void *arg)
{
	verify_doc(e, NULL, name, data, len, sniff_format(data, len, name),
		   fn, arg);
}
