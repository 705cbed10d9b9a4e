#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/isotime.h"

struct judge {
	struct tte_sig *s;
	struct arena *a;
	int any; /* something was raised */
};

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

/* The built-in algorithm catalogue (see verdict.h). */
static void
crypto_constraints(struct judge *j, int64_t t, int has_poe)
{
	const struct tte_sig *s = j->s;
	const struct tte_cert *c = s->chain;
	const int64_t md5_end = isotime_from_fields(2004, 1, 1, 0, 0, 0);
	const int64_t weak_end = isotime_from_fields(2016, 1, 1, 0, 0, 0);
	const char *what = NULL;
	int64_t end = 0;
	char b1[ISOTIME_LEN];

	if (s->digest_alg != NULL && strcasecmp(s->digest_alg, "MD5") == 0) {
		what = "the MD5 digest";
		end = md5_end;
	} else if ((s->digest_alg != NULL &&
		    strcasecmp(s->digest_alg, "SHA1") == 0) ||
		   (s->sig_alg != NULL && strstr(s->sig_alg, "SHA1") != NULL)) {
		what = "the SHA-1 digest";
		end = weak_end;
	} else if (c != NULL && c->key_type != NULL &&
		   ((strncmp(c->key_type, "RSA", 3) == 0 && c->key_bits < 2048) ||
		    (strcmp(c->key_type, "EC") == 0 && c->key_bits < 256))) {
		what = strncmp(c->key_type, "RSA", 3) == 0 ?
			       "an RSA key under 2048 bits" :
			       "an EC key under 256 bits";
		end = weak_end;
	}
	if (what == NULL || t < end)
		return;
	flag(j, TTE_IND_INDETERMINATE, TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
	      "%s is not acceptable after %s and %s", what, fmt_time(end, b1),
	      has_poe ? "the signature's proof of existence is later" :
			"nothing proves the signature existed before");
}

/*
 * EN 319 102-1 §5.2.5.4: revocation data is fresh for time t when it was
 * issued after t, or when t is before its next update (with no
 * maximum-age constraint the freshness window is nextUpdate - thisUpdate;
 * the policy engine will supply one).
 */
#define TTE_ALL_REASONS 0x1feU /* ReasonFlags bits 1-8 */

static int
fresh(const struct tte_rev_ev *ev, int64_t t)
{
	return ev->issued >= t || (ev->next_update != 0 && t <= ev->next_update);
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
	unsigned covered = 0; /* reasons covered by fresh partitioned CRLs */
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN], b3[ISOTIME_LEN];

	/* A self-signed top of an untrusted chain has no issuer to ask;
	 * the missing anchor is the reason already given. */
	if (c->next == NULL && c->subject != NULL && c->issuer != NULL &&
	    strcmp(c->subject, c->issuer) == 0)
		return;
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
			if (fresh(ev, t) && ev->reasons != 0) {
				/* RFC 5280 §6.3.3 (d): only with the rest of
				 * the reasons covered too. */
				covered |= ev->reasons;
				if (covered == TTE_ALL_REASONS && good == NULL)
					good = ev;
			} else if (fresh(ev, t)) {
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
		tte_notes_add(&j->s->notes, j->a, "the %s '%s' was revoked on "
			      "%s, after the best signature time %s", who,
			      c->subject, fmt_time(revoked->revoked_at, b1),
			      fmt_time(t, b2));
		return;
	}
	if (good != NULL)
		return;
	if (stale != NULL) {
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER,
		      "the newest %s for the %s '%s' was issued on %s (next "
		      "update %s), before the best signature time %s: it "
		      "cannot show the certificate was not revoked then",
		      rev_kind(stale), who, c->subject,
		      fmt_time(stale->issued, b1),
		      stale->next_update ? fmt_time(stale->next_update, b3) :
					   "none",
		      fmt_time(t, b2));
		return;
	}
	if (unknown != NULL) {
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER,
		      "the %s (%s) does not know the %s '%s'", rev_kind(unknown),
		      unknown->source, who, c->subject);
		return;
	}
	if (bad != NULL) {
		flag(j, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER,
		      "the only revocation data for the %s '%s' was rejected: "
		      "%s: %s", who, c->subject, bad->source, bad->problem);
		return;
	}
	flag(j, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER,
	      "no revocation data for the %s '%s' (give its issuer's CRL or "
	      "an OCSP response with --crl)", who, c->subject);
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
	if (signer == NULL)
		return;
	if (s->kind == TTE_KIND_TIMESTAMP || s->kind == TTE_KIND_DOC_TIMESTAMP) {
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
	       s->chain_status == TTE_CHAIN_FOUND &&
	       (s->kind == TTE_KIND_SIGNATURE || s->imprint == TTE_CHECK_OK) &&
	       (!s->in_pdf || s->mods == TTE_MODS_NONE ||
		s->mods == TTE_MODS_ALLOWED);
}

/* see verdict.h */
void
verdict_judge_sig(struct tte_sig *s, int64_t at, struct arena *a)
{
	struct judge j = {s, a, 0};
	struct tte_sig *ts = s->timestamp;
	int has_poe = 0;
	int64_t t = at;
	char b1[ISOTIME_LEN];

	s->indication = TTE_IND_INDETERMINATE;
	s->sub = TTE_SUB_NONE;
	if (ts != NULL) {
		/* A timestamp is validated at the time of the next
		 * timestamp over it (a later document timestamp), else at
		 * the validation time (EN 319 102-1 §5.6.2.4). */
		ts->external_poe = s->external_poe;
		verdict_judge_sig(ts, at, a);
		if (ts->indication == TTE_IND_TOTAL_PASSED) {
			has_poe = 1;
			t = ts->ts_time;
		} else {
			tte_notes_add(&s->notes, a,
				      "the signature timestamp gives no proof of "
				      "existence: %s/%s: %s",
				      tte_ind_name(ts->indication),
				      tte_sub_name(ts->sub) ? tte_sub_name(ts->sub) : "-",
				      ts->reasons.head ? ts->reasons.head->text :
							 "not valid");
		}
	}
	if (s->external_poe != 0 && (!has_poe || s->external_poe < t)) {
		has_poe = 2;
		t = s->external_poe;
	}
	s->best_signature_time = t;
	s->best_signature_time_source =
		has_poe == 1 ? "from the signature timestamp" :
		has_poe == 2 ? "from a later document timestamp" :
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
							      "the timestamp",
			      top->subject != NULL && top->subject[0] != '\0' ?
				      top->subject : "(no subject name)",
			      fmt_time(t, b1),
			      s->best_signature_time_source);
	}
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
verdict_judge_doc(struct tte_doc *doc, int64_t at)
{
	int first = 1;

	doc->indication = TTE_IND_INDETERMINATE;
	doc->sub = TTE_SUB_NONE;
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
		verdict_judge_sig(next, at, &doc->arena);
		next->judged = 1;
	}
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		if (s->kind == TTE_KIND_DOC_TIMESTAMP)
			continue;
		s->external_poe = later_poe(doc, s->revision);
		verdict_judge_sig(s, at, &doc->arena);
	}
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
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
}
