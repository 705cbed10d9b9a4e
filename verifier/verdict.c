#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/isotime.h"

struct judge {
	struct tte_sig *s;
	const struct tte_rules *r;
	struct arena *a;
	int any;                 /* something was raised */
	const char *rev_problem; /* first revocation-data shortfall */
	size_t rev_checked;      /* certificates weighed */
};

/* Epoch seconds of 2004-01-01 and 2016-01-01 (UTC). */
#define T_2004 1072915200LL
#define T_2016 1451606400LL

static const struct tte_algo_rule default_digests[] = {
	{"MD5", 0, T_2004},      {"SHA1", 0, T_2016},
	{"SHA224", 0, 0},        {"SHA256", 0, 0},
	{"SHA384", 0, 0},        {"SHA512", 0, 0},
	{"SHA512-224", 0, 0},    {"SHA512-256", 0, 0},
	{"SHA3-224", 0, 0},      {"SHA3-256", 0, 0},
	{"SHA3-384", 0, 0},      {"SHA3-512", 0, 0},
};

static const struct tte_algo_rule default_keys[] = {
	{"RSA", 2048, 0},     {"RSA", 1024, T_2016},
	{"RSA-PSS", 2048, 0}, {"RSA-PSS", 1024, T_2016},
	{"EC", 256, 0},       {"EC", 160, T_2016},
	{"DSA", 2048, 0},     {"DSA", 1024, T_2016},
	{"Ed25519", 0, 0},    {"Ed448", 0, 0},
};

static const struct tte_rules default_rules = {
	TTE_LEVEL_FAIL,
	default_digests,
	sizeof(default_digests) / sizeof(default_digests[0]),
	default_keys,
	sizeof(default_keys) / sizeof(default_keys[0]),
	TTE_LEVEL_FAIL,
	0,
};

/* see verdict.h */
const struct tte_rules *
verdict_rules_default(void)
{
	return &default_rules;
}

static int
ind_rank(enum tte_ind ind)
{
	switch (ind) {
	case TTE_IND_TOTAL_FAILED:
		return 2;
	case TTE_IND_INDETERMINATE:
		return 1;
	case TTE_IND_TOTAL_PASSED:
		return 0;
	}
	return 1;
}

/* see verdict.h */
int
verdict_worse(enum tte_ind i1, enum tte_sub s1, enum tte_ind i2,
	      enum tte_sub s2)
{
	if (ind_rank(i1) != ind_rank(i2))
		return ind_rank(i1) > ind_rank(i2);
	/* Earlier in subind.def is worse; NONE (0) is best. */
	if (s1 == TTE_SUB_NONE || s2 == TTE_SUB_NONE)
		return s2 == TTE_SUB_NONE && s1 != TTE_SUB_NONE;
	return s1 < s2;
}

/* Records one failed check: the reason always, the outcome if worse. */
static void
flag(struct judge *j, enum tte_ind ind, enum tte_sub sub, const char *fmt,
      ...) __attribute__((format(printf, 4, 5)));

static void
flag(struct judge *j, enum tte_ind ind, enum tte_sub sub, const char *fmt,
      ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tte_notes_add(&j->s->reasons, j->a, "%s", buf);
	if (!j->any || verdict_worse(ind, sub, j->s->indication, j->s->sub)) {
		j->s->indication = ind;
		j->s->sub = sub;
	}
	j->any = 1;
}

static const char *
fmt_time(int64_t t, char buf[ISOTIME_LEN])
{
	isotime_format(t, buf);
	return buf;
}

/*
 * Whether name (with bits, for a key) is acceptable at t: 1 yes, 0 it was
 * acceptable only before *until, -1 the catalogue does not know it.
 */
static int
algo_ok(const struct tte_algo_rule *v, size_t n, const char *name, int bits,
	int64_t t, int64_t *until)
{
	int known = 0;

	*until = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(v[i].name, name) != 0 || bits < v[i].min_bits)
			continue;
		if (v[i].until == 0 || t < v[i].until)
			return 1;
		known = 1;
		if (v[i].until > *until)
			*until = v[i].until;
	}
	return known ? 0 : -1;
}

/* Nonzero when hay contains needle, ignoring ASCII case. */
static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	}
	return 0;
}

/* A certificate signature algorithm with no separate digest (EdDSA). */
static int
pure_signature(const char *sig_alg)
{
	return sig_alg != NULL && (strcasecmp(sig_alg, "ED25519") == 0 ||
				   strcasecmp(sig_alg, "ED448") == 0);
}

/* The digest a signature algorithm name implies ("sha1WithRSA..."), or
 * NULL when it names none. */
static const char *
implied_digest(const char *sig_alg)
{
	if (sig_alg == NULL)
		return NULL;
	if (contains_ci(sig_alg, "SHA1") || contains_ci(sig_alg, "SHA-1"))
		return "SHA1";
	if (contains_ci(sig_alg, "MD5"))
		return "MD5";
	return NULL;
}

/*
 * Checks one algorithm use; on failure writes why into buf and returns
 * -1 (unknown to the catalogue) or 0 (no longer acceptable at t).
 */
static int
check_algo(const struct tte_rules *r, int is_key, const char *name, int bits,
	   const char *what, int64_t t, char *buf, size_t len)
{
	char b1[ISOTIME_LEN];
	int64_t until;
	int ok;

	ok = is_key ? algo_ok(r->keys, r->n_keys, name, bits, t, &until) :
		      algo_ok(r->digests, r->n_digests, name, 0, t, &until);
	if (ok == 1)
		return 1;
	if (ok < 0 && is_key)
		snprintf(buf, len, "%s: a %d-bit %s key is not in the "
			 "policy's algorithm catalogue", what, bits, name);
	else if (ok < 0)
		snprintf(buf, len, "%s: the %s digest is not in the policy's "
			 "algorithm catalogue", what, name);
	else if (is_key)
		snprintf(buf, len, "%s: a %d-bit %s key is not acceptable "
			 "after %s", what, bits, name, fmt_time(until, b1));
	else
		snprintf(buf, len, "%s: the %s digest is not acceptable after "
			 "%s", what, name, fmt_time(until, b1));
	return ok;
}

/*
 * The policy's algorithm catalogue ("crypto.algorithms", EN 319 102-1
 * §5.2.8) at the best signature time t: the signature's digest, and the
 * key and signature digest of every certificate below the anchor.
 */
static void
crypto_constraints(struct judge *j, int64_t t, int has_poe)
{
	const struct tte_rules *r = j->r;
	const struct tte_sig *s = j->s;
	char why[512], b1[ISOTIME_LEN];
	int ok = 1, depth = 0;
	size_t n = 0;

	if (r->crypto_level == TTE_LEVEL_IGNORE)
		return;
	/* A signature that could not be read fails for that already (see
	 * structure_checks); its algorithms are not known. */
	if (s->format_error != NULL || s->byterange_error != NULL) {
		tte_constraint_add(&j->s->constraints, j->a,
				   "crypto.algorithms", r->crypto_level,
				   TTE_CST_SKIPPED, "the signature could not be "
				   "read");
		return;
	}
	/* A use whose algorithm is not known cannot be found acceptable. */
	ok = check_algo(r, 0, s->digest_alg != NULL ? s->digest_alg :
						      "(not known)",
			0, "the signed data", t, why, sizeof(why));
	n++;
	if (ok == 1 && implied_digest(s->sig_alg) != NULL) {
		ok = check_algo(r, 0, implied_digest(s->sig_alg), 0,
				"the signature algorithm", t, why, sizeof(why));
		n++;
	}
	for (const struct tte_cert *c = s->chain; ok == 1 && c != NULL;
	     c = c->next, depth++) {
		const char *who = depth == 0 ? "the signer certificate" :
					       "a CA certificate";

		if (c->is_anchor)
			break; /* trusted as it is */
		ok = check_algo(r, 1, c->key_type != NULL ? c->key_type :
							    "(not known)",
				c->key_bits, who, t, why, sizeof(why));
		n++;
		/* EdDSA names no separate digest; any other signature
		 * whose digest is not known fails. */
		if (ok == 1 && (c->sig_digest != NULL ||
				!pure_signature(c->sig_alg))) {
			ok = check_algo(r, 0, c->sig_digest != NULL ?
						      c->sig_digest :
						      "(not known)",
					0, who, t, why, sizeof(why));
			n++;
		}
	}
	if (ok == 1) {
		tte_constraint_add(&j->s->constraints, j->a,
				   "crypto.algorithms", r->crypto_level,
				   TTE_CST_PASSED, "%zu algorithm use%s "
				   "acceptable at %s", n, n == 1 ? "" : "s",
				   fmt_time(t, b1));
		return;
	}
	tte_constraint_add(&j->s->constraints, j->a, "crypto.algorithms",
			   r->crypto_level, TTE_CST_FAILED, "%s", why);
	if (r->crypto_level != TTE_LEVEL_FAIL)
		return;
	if (ok < 0)
		flag(j, TTE_IND_INDETERMINATE,
		     TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE, "%s", why);
	else
		flag(j, TTE_IND_INDETERMINATE,
		     TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE, "%s, and %s",
		     why, has_poe ? "the signature's proof of existence is "
				    "later" :
				    "nothing proves the signature existed "
				    "before");
}

/*
 * EN 319 102-1 §5.2.5.4: revocation data is fresh for time t when it was
 * issued after t, or when t is before its next update (with no
 * maximum-age constraint the freshness window is nextUpdate - thisUpdate;
 * the policy engine will supply one).
 */
#define TTE_ALL_REASONS 0x1feU /* ReasonFlags bits 1-8 */

static int
fresh(const struct tte_rev_ev *ev, int64_t t, int64_t max_age)
{
	if (max_age > 0) /* the policy's maximum age instead; t - max_age
			    without overflow (times come from documents) */
		return ev->issued >= t ||
		       ev->issued >= (t < INT64_MIN + max_age ? INT64_MIN :
								 t - max_age);
	return ev->issued >= t || (ev->next_update != 0 && t <= ev->next_update);
}

/* Missing or unusable revocation data ("revocation.fresh"): a verdict
 * at FAIL, else only the constraint's outcome (recorded once, by
 * time_checks). */
static void
rev_shortfall(struct judge *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
rev_shortfall(struct judge *j, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (j->rev_problem == NULL)
		j->rev_problem = arena_strdup(j->a, buf);
	if (j->r->revocation_level == TTE_LEVEL_FAIL)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER, "%s", buf);
}

static const char *
rev_kind(const struct tte_rev_ev *ev)
{
	switch (ev->kind) {
	case TTE_REVK_CRL:
		return "CRL";
	case TTE_REVK_OCSP:
		return "OCSP response";
	}
	return "revocation data";
}

/* Weighs the revocation evidence of one certificate at time t. */
static void
revocation_check(struct judge *j, const struct tte_cert *c, int depth,
		 int64_t t, int has_poe)
{
	const char *who = depth == 0 ? "signer certificate" : "CA certificate";
	const struct tte_rev_ev *revoked = NULL, *good = NULL, *stale = NULL;
	const struct tte_rev_ev *bad = NULL, *unknown = NULL;
	const struct tte_rev_ev *after_expiry = NULL;
	unsigned covered = 0; /* reasons covered by fresh partitioned CRLs */
	const int64_t max_age = j->r->revocation_max_age;
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN], b3[ISOTIME_LEN];

	/* A self-signed top of an untrusted chain has no issuer to ask;
	 * the missing anchor is the reason already given. */
	if (c->next == NULL && c->subject != NULL && c->issuer != NULL &&
	    strcmp(c->subject, c->issuer) == 0)
		return;
	j->rev_checked++;
	for (const struct tte_rev_ev *ev = c->rev_ev; ev != NULL; ev = ev->next) {
		switch (ev->status) {
		case TTE_RS_INVALID:
			if (bad == NULL)
				bad = ev;
			break;
		case TTE_RS_UNKNOWN:
			if (unknown == NULL)
				unknown = ev;
			break;
		case TTE_RS_REVOKED:
			if (revoked == NULL || ev->revoked_at < revoked->revoked_at)
				revoked = ev;
			break;
		case TTE_RS_GOOD:
			/* RFC 5280 §3.3: a CA may drop a certificate from its
			 * CRLs once it expired, so "not listed" after that
			 * says nothing (no expiredCertsOnCRL or OCSP
			 * archiveCutoff is read). */
			if (ev->issued > c->not_after) {
				if (after_expiry == NULL)
					after_expiry = ev;
				break;
			}
			if (fresh(ev, t, max_age) && ev->reasons != 0) {
				/* RFC 5280 §6.3.3 (d): only with the rest of
				 * the reasons covered too. */
				covered |= ev->reasons;
				if (covered == TTE_ALL_REASONS && good == NULL)
					good = ev;
			} else if (fresh(ev, t, max_age)) {
				if (good == NULL)
					good = ev;
			} else if (stale == NULL || ev->issued > stale->issued) {
				stale = ev;
			}
			break;
		}
	}
	/* RFC 5280 §5.3.1: a hold is lifted by a later CRL (a delta with
	 * removeFromCRL) issued no later than t. */
	if (revoked != NULL && revoked->hold) {
		for (const struct tte_rev_ev *ev = c->rev_ev; ev != NULL;
		     ev = ev->next) {
			if (ev->status == TTE_RS_GOOD && ev->reason != NULL &&
			    strcmp(ev->reason, "removeFromCRL") == 0 &&
			    ev->issued >= revoked->issued && ev->issued <= t) {
				revoked = NULL;
				good = ev;
				break;
			}
		}
	}
	if (revoked != NULL && revoked->revoked_at <= t) {
		const char *how = revoked->hold ? "suspended (certificateHold)" :
						  "revoked";

		if (depth > 0)
			flag(j, TTE_IND_INDETERMINATE, TTE_SUB_REVOKED_CA_NO_POE,
			      "the %s '%s' was %s on %s (%s, %s), before the "
			      "best signature time %s", who, c->subject, how,
			      fmt_time(revoked->revoked_at, b1),
			      revoked->reason ? revoked->reason : "no reason",
			      revoked->source, fmt_time(t, b2));
		else
			flag(j, has_poe ? TTE_IND_TOTAL_FAILED :
					   TTE_IND_INDETERMINATE,
			      has_poe ? TTE_SUB_REVOKED : TTE_SUB_REVOKED_NO_POE,
			      "the signer certificate was %s on %s (%s, %s), %s "
			      "(%s)", how, fmt_time(revoked->revoked_at, b1),
			      revoked->reason ? revoked->reason : "no reason",
			      revoked->source,
			      has_poe ? "before its proof of existence" :
					"and nothing proves the signature "
					"existed before",
			      fmt_time(t, b2));
		return;
	}
	if (revoked != NULL) {
		/* Revoked after t: that revocation is itself fresh news. */
		tte_notes_add(&j->s->reasons, j->a, "the %s '%s' was revoked on "
			      "%s, after the best signature time %s", who,
			      c->subject, fmt_time(revoked->revoked_at, b1),
			      fmt_time(t, b2));
		return;
	}
	if (good != NULL)
		return;
	if (stale != NULL && max_age > 0) {
		rev_shortfall(j, "the newest %s for the %s '%s' was issued on "
			      "%s, more than the policy's maximum age (%lld "
			      "days) before the best signature time %s",
			      rev_kind(stale), who, c->subject,
			      fmt_time(stale->issued, b1),
			      (long long)(max_age / 86400), fmt_time(t, b2));
		return;
	}
	if (stale != NULL) {
		rev_shortfall(j, "the newest %s for the %s '%s' was issued on %s (next "
		      "update %s), before the best signature time %s: it "
		      "cannot show the certificate was not revoked then",
		      rev_kind(stale), who, c->subject,
		      fmt_time(stale->issued, b1),
		      stale->next_update ? fmt_time(stale->next_update, b3) :
					   "none",
		      fmt_time(t, b2));
		return;
	}
	if (after_expiry != NULL) {
		rev_shortfall(j, "the only %s for the %s '%s' not listing it "
			      "was issued on %s, after the certificate expired "
			      "(%s): a CA may drop expired certificates from "
			      "its revocation data, so it cannot show the "
			      "certificate was not revoked", rev_kind(after_expiry),
			      who, c->subject, fmt_time(after_expiry->issued, b1),
			      fmt_time(c->not_after, b2));
		return;
	}
	if (unknown != NULL) {
		rev_shortfall(j, "the %s (%s) does not know the %s '%s'", rev_kind(unknown),
		      unknown->source, who, c->subject);
		return;
	}
	if (bad != NULL) {
		rev_shortfall(j, "the only revocation data for the %s '%s' was rejected: "
		      "%s: %s", who, c->subject, bad->source, bad->problem);
		return;
	}
	rev_shortfall(j, "no revocation data for the %s '%s' (give its "
		      "issuer's CRL or an OCSP response with --crl)", who,
		      c->subject);
}

/* Validity and revocation of every certificate at time t (EN 319 102-1
 * §5.2.6, §5.6.2.4). */
static void
time_checks(struct judge *j, int64_t t, int has_poe)
{
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN];
	int depth = 0;

	for (const struct tte_cert *c = j->s->chain; c != NULL;
	     c = c->next, depth++) {
		const char *who = depth == 0 ? "signer certificate" :
					       "CA certificate";

		if (c->is_anchor)
			continue; /* the user trusts it as it is */
		if (t < c->not_before) {
			if (depth == 0 && has_poe)
				flag(j, TTE_IND_TOTAL_FAILED,
				      TTE_SUB_NOT_YET_VALID,
				      "the %s '%s' was not yet valid (from %s) "
				      "when the signature is proven to exist "
				      "(%s)", who, c->subject,
				      fmt_time(c->not_before, b1),
				      fmt_time(t, b2));
			else
				flag(j, TTE_IND_INDETERMINATE,
				      TTE_SUB_OUT_OF_BOUNDS_NO_POE,
				      "the %s '%s' is not valid before %s, "
				      "after the best signature time %s",
				      who, c->subject,
				      fmt_time(c->not_before, b1),
				      fmt_time(t, b2));
		} else if (t > c->not_after) {
			flag(j, TTE_IND_INDETERMINATE,
			      TTE_SUB_OUT_OF_BOUNDS_NO_POE,
			      "the %s '%s' expired on %s and nothing proves "
			      "the signature existed before (best signature "
			      "time %s)", who, c->subject,
			      fmt_time(c->not_after, b1), fmt_time(t, b2));
		}
		if (!c->is_anchor)
			revocation_check(j, c, depth, t, has_poe);
	}
	if (j->r->revocation_level == TTE_LEVEL_IGNORE || j->rev_checked == 0)
		return;
	if (j->rev_problem != NULL)
		tte_constraint_add(&j->s->constraints, j->a, "revocation.fresh",
				   j->r->revocation_level, TTE_CST_FAILED, "%s",
				   j->rev_problem);
	else
		tte_constraint_add(&j->s->constraints, j->a, "revocation.fresh",
				   j->r->revocation_level, TTE_CST_PASSED,
				   "revocation data fresh at %s for %zu "
				   "certificate%s", fmt_time(t, b1),
				   j->rev_checked,
				   j->rev_checked == 1 ? "" : "s");
}

static void
structure_checks(struct judge *j)
{
	struct tte_sig *s = j->s;
	const struct tte_cert *signer = s->chain;

	if (s->format_error != NULL)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE, "%s",
		      s->format_error);
	if (s->byterange_error != NULL)
		flag(j, TTE_IND_TOTAL_FAILED, TTE_SUB_FORMAT_FAILURE,
		      "the /ByteRange is not acceptable: %s", s->byterange_error);
	if (s->in_pdf && s->mods == TTE_MODS_DISALLOWED)
		flag(j, TTE_IND_TOTAL_FAILED, TTE_SUB_FORMAT_FAILURE,
		      "the document was changed after this signature in ways "
		      "a signature does not allow (%zu change%s listed)",
		      s->changes.count, s->changes.count == 1 ? "" : "s");
	if (s->in_pdf && s->mods == TTE_MODS_NOT_DONE &&
	    s->byterange_error == NULL && s->format_error == NULL)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE,
		      "what the document's later revisions changed could not "
		      "be analysed");
	if (s->content_missing)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_SIGNED_DATA_NOT_FOUND,
		      "the signed content was not found next to the "
		      "detached signature");
	if (s->content_type == TTE_CHECK_FAILED)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE,
		      "the contentType attribute is missing or does not "
		      "match the encapsulated content type");
	if (s->hash == TTE_CHECK_FAILED)
		flag(j, TTE_IND_TOTAL_FAILED, TTE_SUB_HASH_FAILURE, "%s",
		      s->hash_msg ? s->hash_msg : "digest mismatch");
	if (s->imprint == TTE_CHECK_FAILED)
		flag(j, TTE_IND_TOTAL_FAILED, TTE_SUB_HASH_FAILURE, "%s",
		      s->imprint_msg);
	if (s->signature == TTE_CHECK_FAILED)
		flag(j, TTE_IND_TOTAL_FAILED, TTE_SUB_SIG_CRYPTO_FAILURE, "%s",
		      s->signature_msg ? s->signature_msg :
					 "the signature value does not verify");
	/* EN 319 102-1 §5.2.3: an unidentifiable or substituted signer. */
	if (s->signer_found == TTE_CHECK_FAILED || s->ess == TTE_CHECK_FAILED)
		flag(j, TTE_IND_INDETERMINATE,
		      TTE_SUB_NO_SIGNING_CERTIFICATE_FOUND, "%s",
		      s->signer_msg ? s->signer_msg : "signer not identified");
	switch (s->chain_status) {
	case TTE_CHAIN_FOUND:
		break;
	case TTE_CHAIN_NOT_DONE:
		if (s->signer_found == TTE_CHECK_OK)
			flag(j, TTE_IND_INDETERMINATE,
			      TTE_SUB_CERTIFICATE_CHAIN_GENERAL_FAILURE,
			      "the certificate chain was not checked");
		break;
	case TTE_CHAIN_NO_ANCHOR:
		flag(j, TTE_IND_INDETERMINATE,
		      TTE_SUB_NO_CERTIFICATE_CHAIN_FOUND,
		      "no chain from the signer certificate to a trust anchor "
		      "(%s)", s->chain_msg ? s->chain_msg : "");
		break;
	case TTE_CHAIN_BROKEN:
		flag(j, TTE_IND_INDETERMINATE,
		      TTE_SUB_CERTIFICATE_CHAIN_GENERAL_FAILURE,
		      "a certificate in the chain has a bad signature (%s)",
		      s->chain_msg ? s->chain_msg : "");
		break;
	case TTE_CHAIN_CONSTRAINTS:
		flag(j, TTE_IND_INDETERMINATE,
		      TTE_SUB_CHAIN_CONSTRAINTS_FAILURE,
		      "the chain breaks a constraint (%s)",
		      s->chain_msg ? s->chain_msg : "");
		break;
	}
	/* An archive timestamp of a form or shape not verified: it proves
	 * nothing, and says why (never valid by default). */
	if (s->kind == TTE_KIND_ARCHIVE_TIMESTAMP &&
	    s->imprint == TTE_CHECK_NOT_DONE)
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE,
		     "the archive timestamp was not verified: %s",
		     s->imprint_msg != NULL ? s->imprint_msg :
					      "its message imprint was not "
					      "checked");
	if (signer == NULL)
		return;
	if (s->kind == TTE_KIND_TIMESTAMP || s->kind == TTE_KIND_DOC_TIMESTAMP ||
	    s->kind == TTE_KIND_ARCHIVE_TIMESTAMP) {
		/* RFC 3161 §2.3: a critical EKU with timeStamping only. */
		if (!signer->eku_timestamping || !signer->eku_critical)
			flag(j, TTE_IND_INDETERMINATE,
			      TTE_SUB_CHAIN_CONSTRAINTS_FAILURE,
			      "the TSA certificate '%s' lacks a critical "
			      "extendedKeyUsage of id-kp-timeStamping only",
			      signer->subject);
	} else if (!signer->ku_allows_signing) {
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_CHAIN_CONSTRAINTS_FAILURE,
		      "the signer certificate's keyUsage allows neither "
		      "digitalSignature nor nonRepudiation");
	}
}

/* Fail closed: TOTAL-PASSED needs every essential check done and OK. */
static int
complete(const struct tte_sig *s)
{
	return s->hash == TTE_CHECK_OK && s->signature == TTE_CHECK_OK &&
	       s->signer_found == TTE_CHECK_OK &&
	       s->chain_status == TTE_CHAIN_FOUND && s->chain != NULL &&
	       (s->kind == TTE_KIND_SIGNATURE || s->imprint == TTE_CHECK_OK) &&
	       (!s->in_pdf || s->mods == TTE_MODS_NONE ||
		s->mods == TTE_MODS_ALLOWED);
}

static int64_t
earliest(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	return b != 0 && b < a ? b : a;
}

/* Whether archive timestamp k of v[0..n) is covered by one not judged
 * yet (that one must be judged first: it may be k's proof). */
static int
covered_by_unjudged(struct tte_sig *const *v, const int *judged, size_t n,
		    size_t k)
{
	for (size_t j = 0; j < n; j++) {
		if (j != k && !judged[j] && (v[j]->covers & TTE_COVERS_ATS(k)))
			return 1;
	}
	return 0;
}

/*
 * Judges the archive timestamps of s. Each is validated at the time of
 * the earliest passing archive timestamp whose imprint covers it, else
 * at the time a later document timestamp proves (s->external_poe), else
 * at the validation time: a chain of proofs, as PAdES-LTA document
 * timestamps (EN 319 102-1 §5.6.2.4, EN 319 122-1 §5.5.3). So the
 * covering ones are judged first. Returns the earliest genTime of those
 * that passed: each imprint covers the signature value, so that is a
 * proof that s existed then. *ts_poe is the earliest genTime of a
 * passing one that covers the signature timestamp, or 0.
 */
static int64_t
judge_archive(struct tte_sig *s, int64_t at, const struct tte_rules *rules,
	      struct arena *a, int64_t *ts_poe)
{
	struct tte_sig *v[TTE_ATS_MAX];
	int judged[TTE_ATS_MAX] = {0};
	size_t n = 0;
	int64_t poe = 0;

	*ts_poe = 0;
	for (struct tte_sig *x = s->archive; x != NULL && n < TTE_ATS_MAX;
	     x = x->next)
		v[n++] = x;
	for (size_t round = 0; round < n; round++) {
		size_t k = n;
		int64_t ext = s->external_poe;

		/* The latest that nothing unjudged covers; with a cycle
		 * (possible only in forged data) the latest. */
		for (int free_only = 1; free_only >= 0 && k == n; free_only--) {
			for (size_t i = 0; i < n; i++) {
				if (judged[i] ||
				    (free_only &&
				     covered_by_unjudged(v, judged, n, i)))
					continue;
				if (k == n || v[i]->ts_time > v[k]->ts_time)
					k = i;
			}
		}
		for (size_t i = 0; i < n; i++) {
			if (judged[i] && v[i]->indication == TTE_IND_TOTAL_PASSED &&
			    (v[i]->covers & TTE_COVERS_ATS(k)))
				ext = earliest(ext, v[i]->ts_time);
		}
		v[k]->external_poe = ext;
		verdict_judge_sig(v[k], at, rules, a);
		judged[k] = 1;
		if (v[k]->indication != TTE_IND_TOTAL_PASSED) {
			tte_notes_add(&s->reasons, a, "the archive timestamp "
				      "%s gives no proof of existence: %s/%s: "
				      "%s", v[k]->id ? v[k]->id : "",
				      tte_ind_name(v[k]->indication),
				      tte_sub_name(v[k]->sub) ?
					      tte_sub_name(v[k]->sub) : "-",
				      v[k]->reasons.head ?
					      v[k]->reasons.head->text :
					      "not valid");
			continue;
		}
		poe = earliest(poe, v[k]->ts_time);
		if (v[k]->covers & TTE_COVERS_TS)
			*ts_poe = earliest(*ts_poe, v[k]->ts_time);
	}
	return poe;
}

/* see verdict.h */
void
verdict_judge_sig(struct tte_sig *s, int64_t at, const struct tte_rules *rules,
		  struct arena *a)
{
	struct judge j = {s, rules != NULL ? rules : &default_rules, a, 0,
			  NULL, 0};
	struct tte_sig *ts = s->timestamp;
	int has_poe = 0;
	int64_t t = at, ats_poe = 0, ts_ats_poe = 0;
	char b1[ISOTIME_LEN];

	s->indication = TTE_IND_INDETERMINATE;
	s->sub = TTE_SUB_NONE;
	s->reasons = (struct tte_notes){0};
	s->constraints = (struct tte_constraints){0};
	if (s->archive != NULL)
		ats_poe = judge_archive(s, at, rules, a, &ts_ats_poe);
	if (ts != NULL) {
		/* A timestamp is validated at the time of the next
		 * timestamp over it (a later document timestamp, or an
		 * archive timestamp whose imprint covers it), else at the
		 * validation time (EN 319 102-1 §5.6.2.4). */
		ts->external_poe = earliest(s->external_poe, ts_ats_poe);
		verdict_judge_sig(ts, at, rules, a);
		if (ts->indication == TTE_IND_TOTAL_PASSED) {
			has_poe = 1;
			t = ts->ts_time;
		} else {
			tte_notes_add(&s->reasons, a,
				      "the signature timestamp gives no proof of "
				      "existence: %s/%s: %s",
				      tte_ind_name(ts->indication),
				      tte_sub_name(ts->sub) ? tte_sub_name(ts->sub) : "-",
				      ts->reasons.head ? ts->reasons.head->text :
							 "not valid");
		}
	}
	/* A passing archive timestamp proves the signature existed at its
	 * genTime: its imprint covers the signature value (EN 319 122-1
	 * §5.5.3; TS 101 733 §6.4.1 for v2). A failing one only loses its
	 * proof: anyone can append an unsigned attribute. */
	if (ats_poe != 0 && (!has_poe || ats_poe < t)) {
		has_poe = 3;
		t = ats_poe;
	}
	if (s->external_poe != 0 && (!has_poe || s->external_poe < t)) {
		has_poe = 2;
		t = s->external_poe;
	}
	s->best_signature_time = t;
	s->has_poe = has_poe != 0;
	s->best_signature_time_source =
		has_poe == 1 ? "from the signature timestamp" :
		has_poe == 2 && (s->kind == TTE_KIND_TIMESTAMP ||
				 s->kind == TTE_KIND_ARCHIVE_TIMESTAMP) ?
			"from a later timestamp over it" :
		has_poe == 2 ? "from a later document timestamp" :
		has_poe == 3 ? "from an archive timestamp" :
			       "the validation time: no proof of existence";
	structure_checks(&j);
	if (s->chain != NULL)
		time_checks(&j, t, has_poe);
	crypto_constraints(&j, t, has_poe);
	if (!j.any && !complete(s))
		flag(&j, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE,
		      "verification could not be completed");
	if (!j.any) {
		const struct tte_cert *top = s->chain;

		while (top->next != NULL)
			top = top->next;
		s->indication = TTE_IND_TOTAL_PASSED;
		tte_notes_add(&s->reasons, a, "%s verifies and its chain to "
			      "the trust anchor '%s' is valid at %s (%s)",
			      s->kind == TTE_KIND_SIGNATURE ? "the signature" :
			      s->kind == TTE_KIND_ARCHIVE_TIMESTAMP ?
				      "the archive timestamp" :
				      "the timestamp",
			      top->subject != NULL && top->subject[0] != '\0' ?
				      top->subject : "(no subject name)",
			      fmt_time(t, b1),
			      s->best_signature_time_source);
	}
	/* EN 319 122-1 §5.5.2: the index names what the archive timestamp
	 * protected besides the signature; entries naming nothing present
	 * mean that was removed or altered since. The imprint covers the
	 * signature itself, so its proof for the signature stands. */
	if (s->kind == TTE_KIND_ARCHIVE_TIMESTAMP &&
	    s->hash_index == TTE_CHECK_FAILED)
		tte_notes_add(&s->reasons, a, "%s: what it protected besides "
			      "the signature was removed or altered after it",
			      s->hash_index_msg != NULL ? s->hash_index_msg :
			      "its hash index names elements not present");
	else if (s->kind == TTE_KIND_ARCHIVE_TIMESTAMP &&
		 s->hash_index == TTE_CHECK_NOT_DONE &&
		 s->hash_index_msg != NULL)
		tte_notes_add(&s->reasons, a, "%s: what it protects besides "
			      "the signature is not known",
			      s->hash_index_msg);
}

/* The earliest time a passing document timestamp in a revision after
 * rev proves, or 0. */
static int64_t
later_poe(const struct tte_doc *doc, long rev)
{
	int64_t poe = 0;

	for (const struct tte_sig *ts = doc->sigs; ts != NULL; ts = ts->next) {
		if (ts->kind == TTE_KIND_DOC_TIMESTAMP && ts->judged &&
		    ts->indication == TTE_IND_TOTAL_PASSED &&
		    ts->revision > rev && (poe == 0 || ts->ts_time < poe))
			poe = ts->ts_time;
	}
	return poe;
}

/* see verdict.h */
void
verdict_judge_doc(struct tte_doc *doc, int64_t at,
		  const struct tte_rules *rules)
{
	doc->indication = TTE_IND_INDETERMINATE;
	doc->sub = TTE_SUB_NONE;
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next)
		s->judged = 0; /* judged again (rescoring) */
	/* PDF document timestamps first, newest revision first: a passing
	 * one is proof of existence for everything in the revisions it
	 * covers, earlier document timestamps included (PAdES-LTA). */
	for (;;) {
		struct tte_sig *next = NULL;

		for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
			if (s->kind == TTE_KIND_DOC_TIMESTAMP && !s->judged &&
			    (next == NULL || s->revision > next->revision))
				next = s;
		}
		if (next == NULL)
			break;
		next->external_poe = later_poe(doc, next->revision);
		verdict_judge_sig(next, at, rules, &doc->arena);
		next->judged = 1;
	}
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		if (s->kind == TTE_KIND_DOC_TIMESTAMP)
			continue;
		s->external_poe = later_poe(doc, s->revision);
		verdict_judge_sig(s, at, rules, &doc->arena);
	}
	verdict_doc_from_sigs(doc);
}

/* see verdict.h */
void
verdict_doc_from_sigs(struct tte_doc *doc)
{
	int first = 1;

	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		/* Not fully checked: whatever it showed, not a pass. */
		if (doc->stopped != NULL &&
		    s->indication == TTE_IND_TOTAL_PASSED) {
			s->indication = TTE_IND_INDETERMINATE;
			s->sub = TTE_SUB_FORMAT_FAILURE;
			tte_notes_add(&s->reasons, &doc->arena, "verification "
				      "stopped: %s", doc->stopped);
		}
		if (first || verdict_worse(s->indication, s->sub,
					   doc->indication, doc->sub)) {
			doc->indication = s->indication;
			doc->sub = s->sub;
		}
		first = 0;
	}
	if (doc->sigs == NULL) {
		doc->indication = TTE_IND_INDETERMINATE;
		doc->sub = doc->errors.count > 0 ? TTE_SUB_FORMAT_FAILURE :
						   TTE_SUB_SIGNED_DATA_NOT_FOUND;
	}
	if (doc->stopped != NULL &&
	    verdict_worse(TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE,
			  doc->indication, doc->sub)) {
		doc->indication = TTE_IND_INDETERMINATE;
		doc->sub = TTE_SUB_FORMAT_FAILURE;
	}
}
