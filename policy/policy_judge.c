/*
 * policy_judge.c - the policy's pass over a judged document: one outcome
 * per constraint, findings for compliance, and the verdict a failed FAIL
 * constraint sets (see policy.h). Reads only facts and the verdict.
 */
#include "policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../verifier/base/isotime.h"
#include "../verifier/pki/pki_ossl.h"

/* What a failed FAIL constraint does to a signature (EN 319 102-1
 * §5.2.6 X.509 validation constraints, §5.2.9 signature acceptance). */
struct effect {
	enum tte_ind ind;
	enum tte_sub sub;
};

static const struct effect chain_effect = {
	TTE_IND_INDETERMINATE, TTE_SUB_CHAIN_CONSTRAINTS_FAILURE};
static const struct effect sig_effect = {
	TTE_IND_INDETERMINATE, TTE_SUB_SIG_CONSTRAINTS_FAILURE};

struct pass {
	const struct policy *p;
	struct tte_doc *doc;
};

/* Records one outcome on list; a failure at FAIL changes sig (when not
 * NULL) if that is worse than what it has. */
static void outcome(struct pass *ps, struct tte_sig *sig,
		    struct tte_constraints *list, const char *id,
		    const struct pol_level *lv, enum tte_cstatus st,
		    const struct effect *fx, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static void
outcome(struct pass *ps, struct tte_sig *sig, struct tte_constraints *list,
	const char *id, const struct pol_level *lv, enum tte_cstatus st,
	const struct effect *fx, const char *fmt, ...)
{
	char buf[768];
	va_list ap;

	if (lv->level == TTE_LEVEL_IGNORE)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tte_constraint_add(list, &ps->doc->arena, id, lv->level, st, "%s", buf);
	if (st != TTE_CST_FAILED || lv->level != TTE_LEVEL_FAIL ||
	    sig == NULL || fx == NULL)
		return;
	tte_notes_add(&sig->reasons, &ps->doc->arena, "the policy '%s' "
		      "requires it (%s): %s", ps->p->name, id, buf);
	if (verdict_worse(fx->ind, fx->sub, sig->indication, sig->sub)) {
		sig->indication = fx->ind;
		sig->sub = fx->sub;
	}
}

static int
has_str(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s != NULL && i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

/* The first of have[0..n) that want[0..m) lists, or NULL. */
static const char *
first_listed(const char *const *have, size_t n, const char *const *want,
	     size_t m)
{
	for (size_t i = 0; i < n; i++) {
		if (has_str(want, m, have[i]))
			return have[i];
	}
	return NULL;
}

/* a and b equal ignoring ASCII case and all white space. */
static int
same_words(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

/*
 * The value of attribute attr ("CN", "O", ...) in an RFC 2253 name, into
 * buf with escapes removed; NULL when absent. The first one counts.
 */
static const char *
dn_value(const char *dn, const char *attr, char *buf, size_t len)
{
	size_t k = strlen(attr), o = 0;
	const char *p = dn;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, attr, k) == 0 && p[k] == '=') {
			for (p += k + 1; *p != '\0' && *p != ',' && *p != '+' &&
					 o + 1 < len;
			     p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				buf[o++] = *p;
			}
			buf[o] = '\0';
			return buf;
		}
		/* Next component: past an unescaped ',' or '+'. */
		for (; *p != '\0' && *p != ',' && *p != '+'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
		}
		if (*p != '\0')
			p++;
	}
	return NULL;
}

static const char *
subject_attr(const struct tte_cert *c, const char *attr, char *buf,
	     size_t len)
{
	if (strcasecmp(attr, "O") == 0)
		return c->organization;
	if (strcasecmp(attr, "OU") == 0)
		return c->unit;
	return c->subject != NULL ? dn_value(c->subject, attr, buf, len) : NULL;
}

static void
signer_profile(struct pass *ps, struct tte_sig *s)
{
	const struct policy *p = ps->p;
	const struct tte_cert *c = s->chain;
	struct tte_constraints *l = &s->constraints;
	char buf[256];

	if (c == NULL) {
		/* Nothing to judge; the verdict already says why. */
		outcome(ps, s, l, "signer.policy-oids", &p->policy_oids,
			TTE_CST_SKIPPED, NULL, "no signer certificate");
		outcome(ps, s, l, "signer.key-usage", &p->key_usage,
			TTE_CST_SKIPPED, NULL, "no signer certificate");
		outcome(ps, s, l, "signer.ext-key-usage", &p->ext_key_usage,
			TTE_CST_SKIPPED, NULL, "no signer certificate");
		outcome(ps, s, l, "signer.subject", &p->subject,
			TTE_CST_SKIPPED, NULL, "no signer certificate");
		return;
	}
	if (p->policy_oids.level != TTE_LEVEL_IGNORE) {
		const char *hit = first_listed(c->policy_oids, c->n_policy_oids,
					       p->oids, p->n_oids);

		if (hit != NULL)
			outcome(ps, s, l, "signer.policy-oids", &p->policy_oids,
				TTE_CST_PASSED, NULL, "the signer certificate "
				"holds the certificate policy %s", hit);
		else
			outcome(ps, s, l, "signer.policy-oids", &p->policy_oids,
				TTE_CST_FAILED, &chain_effect, "the signer "
				"certificate holds none of the %zu certificate "
				"policies this policy accepts (it has %zu)",
				p->n_oids, c->n_policy_oids);
	}
	if (p->key_usage.level != TTE_LEVEL_IGNORE) {
		unsigned missing = p->key_usage_bits &
				   (c->has_key_usage ? ~c->key_usage : ~0U);

		if (missing == 0)
			outcome(ps, s, l, "signer.key-usage", &p->key_usage,
				TTE_CST_PASSED, NULL, "the signer certificate's "
				"keyUsage has every bit required");
		else
			outcome(ps, s, l, "signer.key-usage", &p->key_usage,
				TTE_CST_FAILED, &chain_effect, "the signer "
				"certificate's keyUsage %s %s",
				c->has_key_usage ? "lacks" :
						   "is absent, so it lacks",
				tte_ku_name(missing & -missing) ?
					tte_ku_name(missing & -missing) :
					"a required bit");
	}
	if (p->ext_key_usage.level != TTE_LEVEL_IGNORE) {
		const char *hit = first_listed(c->eku_oids, c->n_eku_oids,
					       p->eku_oids, p->n_eku_oids);

		if (hit != NULL)
			outcome(ps, s, l, "signer.ext-key-usage",
				&p->ext_key_usage, TTE_CST_PASSED, NULL,
				"the signer certificate's extKeyUsage has %s",
				hit);
		else
			outcome(ps, s, l, "signer.ext-key-usage",
				&p->ext_key_usage, TTE_CST_FAILED,
				&chain_effect, "the signer certificate's "
				"extKeyUsage %s none of the purposes this "
				"policy requires",
				c->n_eku_oids > 0 ? "has" : "is absent: it has");
	}
	if (p->subject.level != TTE_LEVEL_IGNORE) {
		const struct pol_subject_rule *bad = NULL;
		const char *got = NULL;

		for (size_t i = 0; i < p->n_subject_rules && bad == NULL; i++) {
			const struct pol_subject_rule *r = &p->subject_rules[i];
			int ok = 0;

			got = subject_attr(c, r->attribute, buf, sizeof(buf));
			for (size_t k = 0; got != NULL && k < r->n_values; k++)
				ok |= same_words(got, r->values[k]);
			if (!ok)
				bad = r;
		}
		if (bad == NULL)
			outcome(ps, s, l, "signer.subject", &p->subject,
				TTE_CST_PASSED, NULL, "the signer's subject "
				"meets %zu rule%s", p->n_subject_rules,
				p->n_subject_rules == 1 ? "" : "s");
		else
			outcome(ps, s, l, "signer.subject", &p->subject,
				TTE_CST_FAILED, &chain_effect, "the signer's "
				"%s is '%s', not one this policy accepts",
				bad->attribute, got != NULL ? got : "(absent)");
	}
}

static const char *
fmt_time(int64_t t, char buf[ISOTIME_LEN])
{
	isotime_format(t, buf);
	return buf;
}

static const char *const level_names[] = {"none", "B-B", "B-T", "B-LT",
					  "B-LTA"};

/* The level a signature reached: the PDF structure found, or for CMS a
 * signature timestamp (B-T) or not (B-B). */
static enum pol_sig_level
sig_level(const struct tte_sig *s)
{
	const char *lv = s->level;

	if (lv != NULL) {
		const char *dash = strchr(lv, '-'); /* "PAdES-B-LT" */

		lv = dash != NULL ? dash + 1 : lv;
		for (int i = POL_LEVEL_B_LTA; i > POL_LEVEL_NONE; i--) {
			if (strcmp(lv, level_names[i]) == 0)
				return (enum pol_sig_level)i;
		}
		return POL_LEVEL_NONE;
	}
	return s->timestamp != NULL ? POL_LEVEL_B_T : POL_LEVEL_B_B;
}

/* |a - b|, INT64_MAX when that does not fit (times from documents or
 * facts may be anything). */
static int64_t
time_gap(int64_t a, int64_t b)
{
	if ((b > 0 && a < INT64_MIN + b) || (b < 0 && a > INT64_MAX + b))
		return INT64_MAX;
	a -= b;
	return a >= 0 ? a : a == INT64_MIN ? INT64_MAX : -a;
}

static void
signature_rules(struct pass *ps, struct tte_sig *s)
{
	const struct policy *p = ps->p;
	struct tte_constraints *l = &s->constraints;
	enum pol_sig_level got = sig_level(s);
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN], b3[ISOTIME_LEN];
	int64_t t;

	if (got < p->min_level)
		outcome(ps, s, l, "signature.level", &p->sig_level,
			TTE_CST_FAILED, &sig_effect, "the signature reaches "
			"%s; this policy requires %s", level_names[got],
			level_names[p->min_level]);
	else if (p->min_level >= POL_LEVEL_B_T && !s->has_poe)
		outcome(ps, s, l, "signature.level", &p->sig_level,
			TTE_CST_FAILED, &sig_effect, "the signature reaches %s "
			"but no valid timestamp proves its time; this policy "
			"requires %s", level_names[got],
			level_names[p->min_level]);
	else
		outcome(ps, s, l, "signature.level", &p->sig_level,
			TTE_CST_PASSED, NULL, "the signature reaches %s "
			"(required: %s)", level_names[got],
			level_names[p->min_level]);

	/* The agreement's window, at the proven time, else the claim. */
	t = s->has_poe ? s->best_signature_time :
	    s->has_signing_time ? s->signing_time : 0;
	if (!s->has_poe && !s->has_signing_time)
		outcome(ps, s, l, "agreement.window", &p->window,
			TTE_CST_FAILED, &sig_effect, "no time is known for the "
			"signature (no timestamp, no claimed signing time): "
			"it cannot be shown inside the agreement's window");
	else if (t < p->window_start || t >= p->window_end)
		outcome(ps, s, l, "agreement.window", &p->window,
			TTE_CST_FAILED, &sig_effect, "signed at %s (%s), outside "
			"the agreement's window %s to %s",
			fmt_time(t, b1), s->has_poe ? "proven" : "claimed",
			fmt_time(p->window_start, b2),
			fmt_time(p->window_end, b3));
	else
		outcome(ps, s, l, "agreement.window", &p->window,
			TTE_CST_PASSED, NULL, "signed at %s (%s), inside the "
			"agreement's window", fmt_time(t, b1),
			s->has_poe ? "proven" : "claimed");

	if (s->timestamp == NULL || !s->has_signing_time) {
		outcome(ps, s, l, "agreement.timestamp-gap", &p->timestamp_gap,
			TTE_CST_SKIPPED, NULL, "needs both a claimed signing "
			"time and a signature timestamp");
	} else {
		int64_t gap = time_gap(s->timestamp->ts_time, s->signing_time);

		outcome(ps, s, l, "agreement.timestamp-gap", &p->timestamp_gap,
			gap > p->max_gap ? TTE_CST_FAILED : TTE_CST_PASSED,
			&sig_effect, "the claimed signing time and the "
			"timestamp are %lld min %lld s apart (allowed: %lld "
			"min)", (long long)(gap / 60), (long long)(gap % 60),
			(long long)(p->max_gap / 60));
	}
	if (s->in_pdf)
		outcome(ps, s, l, "document.annotations-after-signing",
			&p->later_annotations,
			s->annots_added > 0 ? TTE_CST_FAILED : TTE_CST_PASSED,
			&sig_effect, s->annots_added > 0 ?
				"%d annotation(s) were added after this "
				"signature; one may cover signed content" :
				"%d annotations were added after this signature",
			s->annots_added);
}

static void
document_rules(struct pass *ps)
{
	const struct policy *p = ps->p;
	struct tte_doc *doc = ps->doc;
	struct tte_constraints *l = &doc->constraints;

	if (doc->sigs == NULL && doc->errors.count > 0)
		outcome(ps, NULL, l, "document.signed", &p->unsigned_doc,
			TTE_CST_SKIPPED, NULL, "the document could not be read");
	else
		outcome(ps, NULL, l, "document.signed", &p->unsigned_doc,
			doc->sigs != NULL ? TTE_CST_PASSED : TTE_CST_FAILED,
			NULL, doc->sigs != NULL ? "the document is signed" :
						  "the document holds no "
						  "signature");
	if (doc->format != TTE_FMT_PDF || doc->sigs == NULL)
		return;
	switch (doc->statement) {
	case TTE_STMT_EXACT:
		outcome(ps, NULL, l, "agreement.statement", &p->statement,
			TTE_CST_PASSED, NULL, "the statement is there in the "
			"policy's exact wording");
		break;
	case TTE_STMT_VARIANT:
		outcome(ps, NULL, l, "agreement.statement", &p->statement,
			TTE_CST_PASSED, NULL, "the statement is there in an "
			"accepted variant wording");
		break;
	case TTE_STMT_MISSING:
		outcome(ps, NULL, l, "agreement.statement", &p->statement,
			TTE_CST_FAILED, NULL, "no accepted wording of the "
			"statement is in the document's text");
		break;
	case TTE_STMT_NO_TEXT:
		outcome(ps, NULL, l, "agreement.statement", &p->statement,
			TTE_CST_FAILED, NULL, "the document has no text layer "
			"(a scan?): the statement cannot be found; check it "
			"by eye");
		break;
	case TTE_STMT_UNKNOWN:
	case TTE_STMT_NA:
		outcome(ps, NULL, l, "agreement.statement", &p->statement,
			TTE_CST_FAILED, NULL, "the document's text could not "
			"all be read: the statement cannot be confirmed");
		break;
	}
}

/* Failed FAIL and WARN outcomes of list become findings of doc. */
static void
collect(struct tte_doc *doc, const char *who,
	const struct tte_constraints *list)
{
	for (const struct tte_constraint *c = list->head; c != NULL;
	     c = c->next) {
		if (c->status != TTE_CST_FAILED ||
		    (c->level != TTE_LEVEL_FAIL && c->level != TTE_LEVEL_WARN))
			continue;
		doc->has_findings = 1;
		tte_notes_add(&doc->findings, &doc->arena, "%s%s%s: %s",
			      who != NULL ? who : "", who != NULL ? " " : "",
			      c->id, c->message);
	}
}

/* see policy.h */
void
policy_judge_doc(const struct policy *p, struct tte_doc *doc)
{
	struct pass ps = {p, doc};
	struct tte_ind_pair {
		enum tte_ind ind;
		enum tte_sub sub;
	} before = {doc->indication, doc->sub};

	doc->policy_name = p->name;
	doc->constraints = (struct tte_constraints){0};
	doc->findings = (struct tte_notes){0};
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		if (s->kind != TTE_KIND_SIGNATURE)
			continue; /* document timestamps: crypto and chain */
		signer_profile(&ps, s);
		signature_rules(&ps, s);
	}
	document_rules(&ps);
	/* A document-level FAIL (the statement) holds for each signature:
	 * every report of one (JSON, ETSI) says so. */
	for (const struct tte_constraint *c = doc->constraints.head; c != NULL;
	     c = c->next) {
		if (c->status != TTE_CST_FAILED || c->level != TTE_LEVEL_FAIL)
			continue;
		for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
			tte_notes_add(&s->reasons, &doc->arena, "the policy "
				      "'%s' requires it of the document (%s): "
				      "%s", p->name, c->id, c->message);
			if (verdict_worse(sig_effect.ind, sig_effect.sub,
					  s->indication, s->sub)) {
				s->indication = sig_effect.ind;
				s->sub = sig_effect.sub;
			}
		}
	}
	verdict_doc_from_sigs(doc);
	/* Never better than verification found (verdict_doc_from_sigs
	 * looks only at the signatures). */
	if (verdict_worse(before.ind, before.sub, doc->indication, doc->sub)) {
		doc->indication = before.ind;
		doc->sub = before.sub;
	}
	/* A document that is not valid is not compliant, whatever else
	 * it meets (a yearly report must never count a forgery). */
	doc->has_findings = doc->indication != TTE_IND_TOTAL_PASSED;
	if (doc->indication != TTE_IND_TOTAL_PASSED)
		tte_notes_add(&doc->findings, &doc->arena, "the document is "
			      "not valid: %s%s%s", tte_ind_name(doc->indication),
			      tte_sub_name(doc->sub) != NULL ? "/" : "",
			      tte_sub_name(doc->sub) != NULL ?
				      tte_sub_name(doc->sub) : "");
	collect(doc, NULL, &doc->constraints);
	for (const struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		char who[64];

		collect(doc, s->id, &s->constraints);
		if (s->timestamp != NULL) {
			snprintf(who, sizeof(who), "%s-TS", s->id);
			collect(doc, who, &s->timestamp->constraints);
		}
	}
}

/* see policy.h */
void
policy_wordings_id(const struct policy *p, char out[65])
{
	size_t len = 0, at = 0;
	unsigned char *buf;

	if (p == NULL || p->statement_exact == NULL) {
		snprintf(out, 65, "builtin");
		return;
	}
	len = strlen(p->statement_exact) + 1 + 2;
	for (size_t i = 0; i < p->n_statement_variants; i++)
		len += strlen(p->statement_variants[i]) + 1;
	buf = malloc(len);
	if (buf == NULL) {
		snprintf(out, 65, "unknown"); /* matches nothing recorded */
		return;
	}
	/* Each wording ends in '\n', which no wording holds. */
	memcpy(buf, p->statement_exact, strlen(p->statement_exact));
	at = strlen(p->statement_exact);
	buf[at++] = '\n';
	for (size_t i = 0; i < p->n_statement_variants; i++) {
		size_t k = strlen(p->statement_variants[i]);

		memcpy(buf + at, p->statement_variants[i], k);
		at += k;
		buf[at++] = '\n';
	}
	/* The clause rule is part of what matched. */
	buf[at++] = p->statement_clause_rule ? '1' : '0';
	buf[at++] = '\n';
	pki_ossl_sha256_hex(buf, at, out);
	free(buf);
}

/* see policy.h */
int
policy_doc_has_findings(const struct tte_doc *doc)
{
	return doc->has_findings || doc->findings.count > 0;
}
