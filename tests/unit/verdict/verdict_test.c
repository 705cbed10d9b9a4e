/*
 * Tests for verifier/verdict.c: facts in, ETSI verdicts out. The facts
 * are made by hand so that each rule is tested alone, including the time
 * rules of past signature validation (EN 319 102-1 §5.6.2.4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/base/isotime.h"
#include "../../../verifier/verdict.h"

#define DAY 86400

static int64_t T0; /* signing: 2025-03-01 */

/* A CRL issued after signing that does not list the certificate. */
static struct tte_rev_ev good_crl;

static struct tte_rev_ev *
revoked_crl(int64_t when)
{
	static struct tte_rev_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TTE_REVK_CRL;
	ev.status = TTE_RS_REVOKED;
	ev.revoked_at = when;
	ev.issued = T0 + 20;
	ev.source = "CRL of test";
	return &ev;
}

struct fx {
	struct tte_doc *doc;
	struct tte_sig *sig;
	struct tte_cert signer, ca, root;
	struct tte_sig ts;
	struct tte_cert tsa;
};

static void
good_cert(struct tte_cert *c, const char *subject)
{
	memset(c, 0, sizeof(*c));
	c->subject = subject;
	c->not_before = T0 - 365 * DAY;
	c->not_after = T0 + 365 * DAY;
	c->key_type = "RSA";
	c->key_bits = 2048;
	c->sig_alg = "sha256WithRSAEncryption";
	c->sig_digest = "SHA256";
	c->ku_allows_signing = 1;
	c->rev_ev = &good_crl;
}

/* A signature whose every fact is good; tests then spoil one. */
static int
setup(void **state)
{
	static struct fx f;

	T0 = isotime_from_fields(2025, 3, 1, 8, 0, 0);
	memset(&f, 0, sizeof(f));
	memset(&good_crl, 0, sizeof(good_crl));
	good_crl.kind = TTE_REVK_CRL;
	good_crl.status = TTE_RS_GOOD;
	good_crl.issued = T0 + 60;
	good_crl.next_update = T0 + 3650 * DAY;
	good_crl.source = "CRL of test";
	f.doc = tte_doc_new("x.p7s", TTE_FMT_CMS);
	f.sig = tte_doc_add_sig(f.doc, TTE_KIND_SIGNATURE);
	good_cert(&f.signer, "CN=signer");
	good_cert(&f.ca, "CN=ca");
	good_cert(&f.root, "CN=root");
	f.root.is_anchor = 1;
	f.root.rev_ev = NULL;
	f.signer.next = &f.ca;
	f.ca.next = &f.root;
	f.sig->chain = &f.signer;
	f.sig->chain_status = TTE_CHAIN_FOUND;
	f.sig->hash = TTE_CHECK_OK;
	f.sig->signature = TTE_CHECK_OK;
	f.sig->signer_found = TTE_CHECK_OK;
	f.sig->ess = TTE_CHECK_OK;
	f.sig->content_type = TTE_CHECK_OK;
	f.sig->digest_alg = "SHA256";
	f.sig->sig_alg = "RSA";
	/* a good timestamp at T0 */
	f.ts.kind = TTE_KIND_TIMESTAMP;
	f.ts.hash = f.ts.signature = f.ts.signer_found = TTE_CHECK_OK;
	f.ts.imprint = TTE_CHECK_OK;
	f.ts.chain_status = TTE_CHAIN_FOUND;
	f.ts.digest_alg = "SHA256";
	f.ts.ts_time = T0;
	good_cert(&f.tsa, "CN=tsa");
	f.tsa.eku_timestamping = f.tsa.eku_critical = 1;
	f.tsa.not_after = T0 + 3650 * DAY;
	f.tsa.next = &f.root;
	f.ts.chain = &f.tsa;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	tte_doc_free(f->doc);
	return 0;
}

static void
expect(struct fx *f, int64_t at, enum tte_ind ind, enum tte_sub sub)
{
	verdict_judge_doc(f->doc, at, NULL);
	assert_string_equal(tte_ind_name(f->sig->indication),
			    tte_ind_name(ind));
	if (sub == TTE_SUB_NONE)
		assert_null(tte_sub_name(f->sig->sub));
	else
		assert_string_equal(tte_sub_name(f->sig->sub),
				    tte_sub_name(sub));
	assert_true(f->sig->reasons.count > 0); /* every verdict says why */
	assert_int_equal(f->doc->indication, f->sig->indication);
}

static void
all_good_passes(void **state)
{
	expect(*state, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
}

static void
hash_failure_is_total_failed(void **state)
{
	struct fx *f = *state;

	f->sig->hash = TTE_CHECK_FAILED;
	expect(f, T0, TTE_IND_TOTAL_FAILED, TTE_SUB_HASH_FAILURE);
}

static void
failure_beats_indeterminate(void **state)
{
	struct fx *f = *state;

	f->sig->signature = TTE_CHECK_FAILED;
	f->sig->chain_status = TTE_CHAIN_NO_ANCHOR;
	expect(f, T0, TTE_IND_TOTAL_FAILED, TTE_SUB_SIG_CRYPTO_FAILURE);
	assert_int_equal(f->sig->reasons.count, 2);
}

static void
unfinished_check_is_never_passed(void **state)
{
	struct fx *f = *state;

	f->sig->signature = TTE_CHECK_NOT_DONE;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE);
}

static void
no_anchor(void **state)
{
	struct fx *f = *state;

	f->sig->chain_status = TTE_CHAIN_NO_ANCHOR;
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_NO_CERTIFICATE_CHAIN_FOUND);
}

static void
expired_without_poe(void **state)
{
	expect(*state, T0 + 400 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_OUT_OF_BOUNDS_NO_POE);
}

static void
expired_with_timestamp_in_validity_passes(void **state)
{
	struct fx *f = *state;

	f->sig->timestamp = &f->ts;
	expect(f, T0 + 400 * DAY, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(f->sig->best_signature_time, T0);
}

static void
bad_timestamp_gives_no_poe(void **state)
{
	struct fx *f = *state;

	f->ts.imprint = TTE_CHECK_FAILED;
	f->ts.imprint_msg = "stamps other data";
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 400 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_OUT_OF_BOUNDS_NO_POE);
	assert_int_equal(f->ts.indication, TTE_IND_TOTAL_FAILED);
}

static void
tsa_without_critical_eku_gives_no_poe(void **state)
{
	struct fx *f = *state;

	f->tsa.eku_critical = 0;
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 400 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_OUT_OF_BOUNDS_NO_POE);
	assert_int_equal(f->ts.sub, TTE_SUB_CHAIN_CONSTRAINTS_FAILURE);
}

static void
timestamp_before_not_before_is_not_yet_valid(void **state)
{
	struct fx *f = *state;

	f->signer.not_before = T0 + DAY;
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 30 * DAY, TTE_IND_TOTAL_FAILED, TTE_SUB_NOT_YET_VALID);
}

static void
revoked_before_poe(void **state)
{
	struct fx *f = *state;

	f->signer.rev_ev = revoked_crl(T0 - 10);
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 30 * DAY, TTE_IND_TOTAL_FAILED, TTE_SUB_REVOKED);
}

static void
revoked_after_poe_passes(void **state)
{
	struct fx *f = *state;

	f->signer.rev_ev = revoked_crl(T0 + 10);
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 30 * DAY, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
}

static void
revoked_without_poe(void **state)
{
	struct fx *f = *state;

	f->signer.rev_ev = revoked_crl(T0 + 10);
	expect(f, T0 + 30 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_REVOKED_NO_POE);
}

static void
revoked_ca(void **state)
{
	struct fx *f = *state;

	f->ca.rev_ev = revoked_crl(T0 - 10);
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_REVOKED_CA_NO_POE);
}

static void
no_revocation_data_is_try_later(void **state)
{
	struct fx *f = *state;

	f->signer.rev_ev = NULL;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER);
}

static void
stale_revocation_data_is_try_later(void **state)
{
	struct fx *f = *state;
	struct tte_rev_ev old = good_crl;

	/* Issued before the best signature time, next update before it
	 * too: it cannot speak for that time. */
	old.issued = T0 - 2 * DAY;
	old.next_update = T0 - DAY;
	f->signer.rev_ev = &old;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER);
	/* Within its next update it is fresh enough (EN 319 102-1
	 * §5.2.5.4 without a maximum-age constraint). */
	f->sig->reasons = (struct tte_notes){0};
	old.next_update = T0 + DAY;
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
}

static void
rejected_revocation_data_is_named(void **state)
{
	struct fx *f = *state;
	struct tte_rev_ev bad = good_crl;

	bad.status = TTE_RS_INVALID;
	bad.problem = "its signature does not verify with the issuer's key";
	f->signer.rev_ev = &bad;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER);
	assert_non_null(strstr(f->sig->reasons.head->text, "does not verify"));
}

static void
key_usage(void **state)
{
	struct fx *f = *state;

	f->signer.ku_allows_signing = 0;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_CHAIN_CONSTRAINTS_FAILURE);
}

static void
sha1_after_2016_without_poe(void **state)
{
	struct fx *f = *state;

	f->sig->digest_alg = "SHA1";
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
}

static void
rsa1024_with_poe_before_2016_passes(void **state)
{
	struct fx *f = *state;
	int64_t old = isotime_from_fields(2014, 6, 1, 0, 0, 0);

	f->signer.key_bits = 1024;
	f->signer.not_before = old - DAY;
	f->ca.not_before = old - DAY;
	f->ts.ts_time = old;
	f->sig->timestamp = &f->ts;
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	f->ts.ts_time = T0;
	f->sig->reasons = (struct tte_notes){0};
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
}

static void
substituted_certificate(void **state)
{
	struct fx *f = *state;

	f->sig->ess = TTE_CHECK_FAILED;
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_NO_SIGNING_CERTIFICATE_FOUND);
}

static void
missing_content(void **state)
{
	struct fx *f = *state;

	f->sig->content_missing = 1;
	f->sig->hash = TTE_CHECK_NOT_DONE;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_SIGNED_DATA_NOT_FOUND);
}

static void
pdf_byterange_failure(void **state)
{
	struct fx *f = *state;

	f->sig->in_pdf = 1;
	f->sig->mods = TTE_MODS_NONE;
	f->sig->byterange_error = "gap is not /Contents";
	expect(f, T0, TTE_IND_TOTAL_FAILED, TTE_SUB_FORMAT_FAILURE);
}

static void
pdf_disallowed_changes_fail_and_unanalysed_is_indeterminate(void **state)
{
	struct fx *f = *state;

	f->sig->in_pdf = 1;
	f->sig->mods = TTE_MODS_DISALLOWED;
	expect(f, T0, TTE_IND_TOTAL_FAILED, TTE_SUB_FORMAT_FAILURE);
	f->sig->reasons = (struct tte_notes){0};
	f->sig->mods = TTE_MODS_NOT_DONE;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE);
	f->sig->reasons = (struct tte_notes){0};
	f->sig->mods = TTE_MODS_ALLOWED;
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
}

static void
later_document_timestamp_gives_poe(void **state)
{
	struct fx *f = *state;
	struct tte_sig *dts = tte_doc_add_sig(f->doc, TTE_KIND_DOC_TIMESTAMP);

	/* The signature's own certificate has expired at validation time;
	 * a document timestamp in a later revision proves it existed. */
	f->sig->in_pdf = 1;
	f->sig->mods = TTE_MODS_ALLOWED;
	f->sig->revision = 0;
	*dts = f->ts;
	dts->next = NULL;
	dts->kind = TTE_KIND_DOC_TIMESTAMP;
	dts->in_pdf = 1;
	dts->mods = TTE_MODS_NONE;
	dts->revision = 1;
	dts->ts_time = T0 + 10;
	expect(f, T0 + 400 * DAY, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(f->sig->best_signature_time, T0 + 10);
	/* The same timestamp in the same revision covers nothing. */
	f->sig->reasons = (struct tte_notes){0};
	f->sig->external_poe = 0;
	dts->revision = 0;
	expect(f, T0 + 400 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_OUT_OF_BOUNDS_NO_POE);
}

static void
document_timestamps_chain_their_proofs(void **state)
{
	struct fx *f = *state;
	struct tte_sig *ts1 = tte_doc_add_sig(f->doc, TTE_KIND_DOC_TIMESTAMP);
	struct tte_sig *ts2 = tte_doc_add_sig(f->doc, TTE_KIND_DOC_TIMESTAMP);
	static struct tte_cert old_tsa, new_tsa;
	int64_t at = T0 + 3000 * DAY;

	/* PAdES-LTA: the signature (revision 0, signer long expired), a
	 * document timestamp at T0+10 whose TSA certificate expired too,
	 * and a later one (revision 2) still valid. The later proves the
	 * earlier existed while its TSA was valid, which proves the
	 * signature existed while the signer was. */
	f->sig->in_pdf = 1;
	f->sig->mods = TTE_MODS_ALLOWED;
	f->sig->revision = 0;
	f->ca.not_after = at + DAY;
	old_tsa = f->tsa;
	old_tsa.not_after = T0 + 365 * DAY;
	new_tsa = f->tsa;
	new_tsa.not_after = at + DAY;
	*ts1 = f->ts;
	ts1->next = ts2;
	ts1->kind = TTE_KIND_DOC_TIMESTAMP;
	ts1->in_pdf = 1;
	ts1->mods = TTE_MODS_ALLOWED;
	ts1->revision = 1;
	ts1->ts_time = T0 + 10;
	ts1->chain = &old_tsa;
	*ts2 = f->ts;
	ts2->next = NULL;
	ts2->kind = TTE_KIND_DOC_TIMESTAMP;
	ts2->in_pdf = 1;
	ts2->mods = TTE_MODS_NONE;
	ts2->revision = 2;
	ts2->ts_time = T0 + 300 * DAY;
	ts2->chain = &new_tsa;
	expect(f, at, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(ts1->indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(ts1->best_signature_time, T0 + 300 * DAY);
	assert_int_equal(f->sig->best_signature_time, T0 + 10);
}

/* An archive timestamp at `when`, a copy of the good timestamp. */
static void
archive_ts(struct fx *f, struct tte_sig *ats, int64_t when)
{
	*ats = f->ts;
	ats->next = NULL;
	ats->kind = TTE_KIND_ARCHIVE_TIMESTAMP;
	ats->ats_form = TTE_ATS_V3;
	ats->hash_index = TTE_CHECK_OK;
	ats->ts_time = when;
}

static void
archive_timestamp_gives_poe(void **state)
{
	struct fx *f = *state;
	static struct tte_sig ats;

	/* No signature timestamp, the signer expired: a passing archive
	 * timestamp at T0 + 10 proves the signature existed then. */
	archive_ts(f, &ats, T0 + 10);
	f->sig->archive = &ats;
	expect(f, T0 + 400 * DAY, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(ats.indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(f->sig->best_signature_time, T0 + 10);
	assert_string_equal(f->sig->best_signature_time_source,
			    "from an archive timestamp");
	/* A signature timestamp earlier still is the best time. */
	f->sig->reasons = (struct tte_notes){0};
	f->sig->timestamp = &f->ts;
	expect(f, T0 + 400 * DAY, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(f->sig->best_signature_time, T0);
}

static void
failing_archive_timestamp_gives_no_poe(void **state)
{
	struct fx *f = *state;
	static struct tte_sig ats;

	archive_ts(f, &ats, T0 + 10);
	ats.imprint = TTE_CHECK_FAILED;
	ats.imprint_msg = "stamps other data";
	f->sig->archive = &ats;
	expect(f, T0 + 400 * DAY, TTE_IND_INDETERMINATE,
	       TTE_SUB_OUT_OF_BOUNDS_NO_POE);
	assert_int_equal(ats.indication, TTE_IND_TOTAL_FAILED);
	assert_int_equal(ats.sub, TTE_SUB_HASH_FAILURE);
	assert_non_null(strstr(f->sig->reasons.head->text,
			       "gives no proof of existence"));
	/* Not verified (an unsupported form): no proof either, and it says
	 * why. A failing archive timestamp does not fail a signature that
	 * passes otherwise (anyone can append an unsigned attribute). */
	f->sig->reasons = (struct tte_notes){0};
	ats.imprint = TTE_CHECK_NOT_DONE;
	ats.imprint_msg = "an archive-time-stamp of TS 101 733 v1";
	ats.ats_form = TTE_ATS_V1;
	expect(f, T0 + 10, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(ats.indication, TTE_IND_INDETERMINATE);
	assert_int_equal(ats.sub, TTE_SUB_FORMAT_FAILURE);
	assert_non_null(strstr(ats.reasons.head->text, "was not verified"));
}

static void
revoked_after_archive_timestamp_passes(void **state)
{
	struct fx *f = *state;
	static struct tte_sig ats;

	archive_ts(f, &ats, T0 + 10);
	f->sig->archive = &ats;
	f->signer.rev_ev = revoked_crl(T0 + 20);
	expect(f, T0 + 30, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	f->sig->reasons = (struct tte_notes){0};
	f->signer.rev_ev = revoked_crl(T0 + 5);
	expect(f, T0 + 30, TTE_IND_TOTAL_FAILED, TTE_SUB_REVOKED);
}

static void
archive_timestamps_chain_their_proofs(void **state)
{
	struct fx *f = *state;
	static struct tte_sig ats1, ats2;
	static struct tte_cert old_tsa, new_tsa;
	int64_t at = T0 + 3000 * DAY;

	/* CAdES-A renewed: the signature timestamp (T0) and the first
	 * archive timestamp (T0 + 10) have TSA certificates long expired;
	 * the second archive timestamp (T0 + 300 days) covers the first,
	 * which covers the signature timestamp. Listed out of time order
	 * on purpose: the covering one is judged first anyway. */
	f->ca.not_after = at + DAY;
	f->signer.not_after = T0 + 100 * DAY;
	old_tsa = f->tsa;
	old_tsa.not_after = T0 + 365 * DAY;
	new_tsa = f->tsa;
	new_tsa.not_after = at + DAY;
	f->ts.chain = &old_tsa;
	f->sig->timestamp = &f->ts;
	archive_ts(f, &ats1, T0 + 10);
	ats1.chain = &old_tsa;
	ats1.covers = TTE_COVERS_TS;
	archive_ts(f, &ats2, T0 + 300 * DAY);
	ats2.chain = &new_tsa;
	ats2.covers = TTE_COVERS_TS | TTE_COVERS_ATS(1);
	f->sig->archive = &ats2;
	ats2.next = &ats1;
	expect(f, at, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(ats1.indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(ats1.best_signature_time, T0 + 300 * DAY);
	assert_int_equal(f->ts.indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(f->ts.best_signature_time, T0 + 10);
	assert_int_equal(f->sig->best_signature_time, T0);
	/* Without the coverage the first has nothing to lean on. */
	f->sig->reasons = (struct tte_notes){0};
	ats2.covers = TTE_COVERS_TS;
	expect(f, at, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(ats1.indication, TTE_IND_INDETERMINATE);
	assert_int_equal(f->sig->best_signature_time, T0);
	/* Nor the signature timestamp: the second archive timestamp is
	 * then the only proof, after the signer expired. */
	f->sig->reasons = (struct tte_notes){0};
	ats2.covers = 0;
	expect(f, at, TTE_IND_INDETERMINATE, TTE_SUB_OUT_OF_BOUNDS_NO_POE);
	assert_int_equal(f->sig->best_signature_time, T0 + 300 * DAY);
}

static void
document_without_signature(void **state)
{
	struct tte_doc *doc = tte_doc_new("a.txt", TTE_FMT_UNKNOWN);

	(void)state;
	verdict_judge_doc(doc, T0, NULL);
	assert_int_equal(doc->indication, TTE_IND_INDETERMINATE);
	assert_int_equal(doc->sub, TTE_SUB_SIGNED_DATA_NOT_FOUND);
	tte_doc_error(doc, "unreadable");
	verdict_judge_doc(doc, T0, NULL);
	assert_int_equal(doc->sub, TTE_SUB_FORMAT_FAILURE);
	tte_doc_free(doc);
}

/* The outcome of constraint id on sig, or NULL. */
static const struct tte_constraint *
outcome(const struct tte_sig *s, const char *id)
{
	for (const struct tte_constraint *c = s->constraints.head; c != NULL;
	     c = c->next) {
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

/* The catalogue covers the chain too: a CA certificate signed with SHA-1
 * after 2016 has no proof of existence before SHA-1 ended. */
static void
chain_sha1_is_crypto_failure(void **state)
{
	struct fx *f = *state;

	f->ca.sig_digest = "SHA1";
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
	assert_int_equal(outcome(f->sig, "crypto.algorithms")->status,
			 TTE_CST_FAILED);
	/* The anchor's own signature is not judged. */
	f->ca.sig_digest = "SHA256";
	f->root.sig_digest = "MD5";
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	assert_int_equal(outcome(f->sig, "crypto.algorithms")->status,
			 TTE_CST_PASSED);
}

/* An algorithm the catalogue does not list is not acceptable. */
static void
unknown_algorithm_is_crypto_failure(void **state)
{
	struct fx *f = *state;

	f->sig->digest_alg = "md_gost12_256";
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE);
	f->sig->digest_alg = "SHA256";
	f->signer.key_type = "DSA";
	f->signer.key_bits = 1024;
	expect(f, T0, TTE_IND_INDETERMINATE,
	       TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
}

/* At WARN the catalogue only reports. */
static void
crypto_warn_keeps_verdict(void **state)
{
	struct fx *f = *state;
	struct tte_rules r = *verdict_rules_default();

	r.crypto_level = TTE_LEVEL_WARN;
	f->sig->digest_alg = "SHA1";
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(outcome(f->sig, "crypto.algorithms")->status,
			 TTE_CST_FAILED);
	assert_int_equal(outcome(f->sig, "crypto.algorithms")->level,
			 TTE_LEVEL_WARN);
}

/* A maximum age replaces the nextUpdate window (EN 319 102-1 §5.2.5.4). */
static void
revocation_max_age(void **state)
{
	struct fx *f = *state;
	struct tte_rules r = *verdict_rules_default();

	good_crl.issued = T0 - 40 * DAY; /* nextUpdate T0 + 10 years */
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	r.revocation_max_age = 30 * DAY;
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
	assert_int_equal(f->sig->sub, TTE_SUB_TRY_LATER);
	assert_non_null(strstr(f->sig->reasons.head->text, "maximum age"));
	r.revocation_max_age = 41 * DAY;
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
}

/* Below FAIL, missing revocation data is reported, not a verdict; a
 * revocation is a fact and fails whatever the level. */
static void
revocation_levels(void **state)
{
	struct fx *f = *state;
	struct tte_rules r = *verdict_rules_default();

	f->signer.rev_ev = NULL;
	f->ca.rev_ev = NULL;
	r.revocation_level = TTE_LEVEL_WARN;
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(outcome(f->sig, "revocation.fresh")->status,
			 TTE_CST_FAILED);
	r.revocation_level = TTE_LEVEL_IGNORE;
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_null(outcome(f->sig, "revocation.fresh"));
	f->signer.rev_ev = revoked_crl(T0 - DAY); /* no timestamp: no POE */
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
	assert_int_equal(f->sig->sub, TTE_SUB_REVOKED_NO_POE);
}

/* Facts that do not name an algorithm cannot be found acceptable: a
 * certificate signature whose digest is not known (RSASSA-PSS whose
 * parameters did not decode), a signature without a digest. EdDSA names
 * none and passes. */
static void
unknown_algorithm_facts_fail(void **state)
{
	struct fx *f = *state;

	f->ca.sig_digest = NULL;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE);
	f->ca.sig_alg = "ED25519";
	expect(f, T0, TTE_IND_TOTAL_PASSED, TTE_SUB_NONE);
	f->sig->digest_alg = NULL;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE);
	f->sig->digest_alg = "SHA256";
	f->signer.key_type = NULL;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_CRYPTO_CONSTRAINTS_FAILURE);
}

/* An unreadable signature fails for that; its unknown algorithms are
 * not a second reason. */
static void
unreadable_skips_catalogue(void **state)
{
	struct fx *f = *state;

	f->sig->format_error = "no /ByteRange";
	f->sig->digest_alg = NULL;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_FORMAT_FAILURE);
	assert_int_equal(outcome(f->sig, "crypto.algorithms")->status,
			 TTE_CST_SKIPPED);
	assert_int_equal(f->sig->reasons.count, 1);
}

/* RFC 5280 §3.3: a CRL issued after the certificate expired may omit
 * it; "not listed" then shows nothing. */
static void
good_crl_after_expiry_is_not_evidence(void **state)
{
	struct fx *f = *state;

	good_crl.issued = f->signer.not_after + DAY;
	expect(f, T0, TTE_IND_INDETERMINATE, TTE_SUB_TRY_LATER);
	assert_non_null(strstr(f->sig->reasons.head->text, "after the "
					"certificate expired"));
}

/* Times from hostile documents or facts at the int64 edges: no
 * overflow (UBSan), and no pass from them. */
static void
extreme_times(void **state)
{
	struct fx *f = *state;
	struct tte_rules r = *verdict_rules_default();

	r.revocation_max_age = 30 * DAY;
	good_crl.issued = INT64_MIN;
	verdict_judge_doc(f->doc, INT64_MIN + 10, &r);
	verdict_judge_doc(f->doc, T0, &r);
	assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
	f->signer.not_after = INT64_MIN;
	verdict_judge_doc(f->doc, INT64_MAX, &r);
	assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(chain_sha1_is_crypto_failure),
		T(unknown_algorithm_facts_fail),
		T(unreadable_skips_catalogue),
		T(good_crl_after_expiry_is_not_evidence),
		T(extreme_times),
		T(unknown_algorithm_is_crypto_failure),
		T(crypto_warn_keeps_verdict),
		T(revocation_max_age),
		T(revocation_levels),
		T(all_good_passes),
		T(hash_failure_is_total_failed),
		T(failure_beats_indeterminate),
		T(unfinished_check_is_never_passed),
		T(no_anchor),
		T(expired_without_poe),
		T(expired_with_timestamp_in_validity_passes),
		T(bad_timestamp_gives_no_poe),
		T(tsa_without_critical_eku_gives_no_poe),
		T(timestamp_before_not_before_is_not_yet_valid),
		T(revoked_before_poe),
		T(revoked_after_poe_passes),
		T(revoked_without_poe),
		T(revoked_ca),
		T(no_revocation_data_is_try_later),
		T(stale_revocation_data_is_try_later),
		T(rejected_revocation_data_is_named),
		T(key_usage),
		T(sha1_after_2016_without_poe),
		T(rsa1024_with_poe_before_2016_passes),
		T(substituted_certificate),
		T(pdf_byterange_failure),
		T(pdf_disallowed_changes_fail_and_unanalysed_is_indeterminate),
		T(later_document_timestamp_gives_poe),
		T(document_timestamps_chain_their_proofs),
		T(archive_timestamp_gives_poe),
		T(failing_archive_timestamp_gives_no_poe),
		T(revoked_after_archive_timestamp_passes),
		T(archive_timestamps_chain_their_proofs),
		T(missing_content),
		cmocka_unit_test(document_without_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
