/*
 * Tests for verifier/facts.c: a facts line written, read back and written
 * again gives the same bytes, and the rebuilt document is judged as the
 * original was; synthetic documents with every field set (sentinel
 * times, unnamed keyUsage bits, long notes, odd strings), then every
 * fixture document (TTE_FIXTURES, `make fixtures`) through the engine.
 * Malformed lines are refused with the field named, and nothing missing
 * is ever defaulted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../../policy/policy.h"
#include "../../../verifier/base/isotime.h"
#include "../../../verifier/facts.h"
#include "../../../verifier/tteaudit.h"
#include "../../../verifier/verdict.h"

#define DAY 86400

static int64_t T0;

/* ---- helpers ---- */

/* The facts line of doc (malloc'd, NUL-terminated). */
static char *
line_of(const struct tte_doc *doc, int64_t vt, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	facts_write_doc(f, doc, vt);
	assert_int_equal(fclose(f), 0);
	if (len != NULL)
		*len = n;
	return out;
}

/* Reads line or fails the test with the message. */
static struct tte_doc *
read_ok(const char *line, int64_t *vt)
{
	struct tte_doc *doc = NULL;
	int64_t t = 0;
	struct diag d;

	diag_clear(&d);
	if (facts_read_doc(line, strlen(line), &doc, &t, &d) != TTE_OK)
		fail_msg("facts_read_doc: %s\nline: %.600s", d.msg, line);
	if (vt != NULL)
		*vt = t;
	return doc;
}

/* Write, read, write: the same bytes; returns the rebuilt document. */
static struct tte_doc *
round_trip(const struct tte_doc *doc, int64_t vt)
{
	char *a = line_of(doc, vt, NULL), *b;
	struct tte_doc *back;
	int64_t vt2 = 0;

	back = read_ok(a, &vt2);
	assert_true(vt2 == vt);
	b = line_of(back, vt2, NULL);
	if (strcmp(a, b) != 0)
		fail_msg("round trip differs:\n%s\n%s", a, b);
	free(a);
	free(b);
	return back;
}

static struct tte_rev_ev *
rev(struct arena *a, enum tte_rev_kind kind, enum tte_rev_status st)
{
	struct tte_rev_ev *ev = arena_alloc(a, sizeof(*ev));

	assert_non_null(ev);
	ev->kind = kind;
	ev->status = st;
	ev->issued = T0 + 60;
	ev->next_update = T0 + 30 * DAY;
	ev->source = "CRL of \"CN=ca\"";
	return ev;
}

static struct tte_cert *
cert(struct arena *a, const char *subject, const char *issuer,
     const char *sha)
{
	struct tte_cert *c = arena_alloc(a, sizeof(*c));

	assert_non_null(c);
	c->subject = subject;
	c->issuer = issuer;
	c->serial = "0a1b";
	c->sha256 = sha;
	c->not_before = T0 - 365 * DAY;
	c->not_after = T0 + 365 * DAY;
	c->key_type = "RSA";
	c->key_bits = 2048;
	c->sig_alg = "sha256WithRSAEncryption";
	c->sig_digest = "SHA256";
	c->ku_allows_signing = 1;
	return c;
}

/*
 * A CMS-like document with one signature, its timestamp and a three
 * certificate chain, every fact good: verdict TOTAL-PASSED at T0 + 1 day
 * under the built-in rules.
 */
static struct tte_doc *
good_doc(void)
{
	static const char *oids[] = {"2.16.360.1.2.1.1", "1.2.3"};
	static const char *ekus[] = {"1.3.6.1.5.5.7.3.4"};
	static const char *ts_eku[] = {"1.3.6.1.5.5.7.3.8"};
	struct tte_doc *doc = tte_doc_new("dir/a b\"c.txt.p7s", TTE_FMT_CMS);
	struct arena *a;
	struct tte_sig *s, *ts;
	struct tte_cert *signer, *ca, *root, *tsa, *root2;

	assert_non_null(doc);
	a = &doc->arena;
	memset(doc->sha256, 'a', 64);
	s = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
	assert_non_null(s);
	s->hash = s->signature = s->signer_found = TTE_CHECK_OK;
	s->ess = s->content_type = TTE_CHECK_OK;
	s->digest_alg = "SHA256";
	s->sig_alg = "RSA";
	s->has_signing_time = 1;
	s->signing_time = T0 - 5;
	signer = cert(a, "CN=signer,O=Pemerintah", "CN=ca", "11");
	signer->policy_oids = oids;
	signer->n_policy_oids = 2;
	signer->eku_oids = ekus;
	signer->n_eku_oids = 1;
	signer->has_key_usage = 1;
	signer->key_usage = TTE_KU_DIGITAL_SIGNATURE | TTE_KU_NON_REPUDIATION;
	signer->organization = "Pemerintah";
	signer->unit = "Dinas";
	ca = cert(a, "CN=ca", "CN=root", "22");
	tte_cert_add_rev(signer, rev(a, TTE_REVK_CRL, TTE_RS_GOOD));
	tte_cert_add_rev(ca, rev(a, TTE_REVK_CRL, TTE_RS_GOOD));
	root = cert(a, "CN=root", "CN=root", "33");
	root->is_anchor = 1;
	signer->next = ca;
	ca->next = root;
	s->chain = signer;
	s->chain_status = TTE_CHAIN_FOUND;
	ts = arena_alloc(a, sizeof(*ts));
	assert_non_null(ts);
	ts->kind = TTE_KIND_TIMESTAMP;
	ts->id = "S1-TS";
	ts->hash = ts->signature = ts->signer_found = TTE_CHECK_OK;
	ts->imprint = TTE_CHECK_OK;
	ts->digest_alg = "SHA256";
	ts->sig_alg = "RSA";
	ts->ts_time = T0;
	tsa = cert(a, "CN=tsa", "CN=root", "44");
	tsa->eku_timestamping = tsa->eku_critical = 1;
	tsa->eku_oids = ts_eku;
	tsa->n_eku_oids = 1;
	tte_cert_add_rev(tsa, rev(a, TTE_REVK_OCSP, TTE_RS_GOOD));
	root2 = cert(a, "CN=root", "CN=root", "33");
	root2->is_anchor = 1;
	tsa->next = root2;
	ts->chain = tsa;
	ts->chain_status = TTE_CHAIN_FOUND;
	s->timestamp = ts;
	return doc;
}

/* ---- round trips of synthetic documents ---- */

static void
good_round_trip(void **state)
{
	struct tte_doc *doc = good_doc(), *back;
	const struct tte_sig *s;

	(void)state;
	back = round_trip(doc, T0 + DAY);
	/* The fields came back, not only the bytes. */
	assert_string_equal(back->path, "dir/a b\"c.txt.p7s");
	assert_int_equal(back->format, TTE_FMT_CMS);
	assert_int_equal(back->n_sigs, 1);
	s = back->sigs;
	assert_string_equal(s->id, "S1");
	assert_int_equal(s->hash, TTE_CHECK_OK);
	assert_int_equal(s->has_signing_time, 1);
	assert_true(s->signing_time == T0 - 5);
	assert_string_equal(s->chain->next->next->subject, "CN=root");
	assert_int_equal(s->chain->next->next->is_anchor, 1);
	assert_int_equal(s->chain->key_usage,
			 TTE_KU_DIGITAL_SIGNATURE | TTE_KU_NON_REPUDIATION);
	assert_int_equal(s->chain->n_policy_oids, 2);
	assert_string_equal(s->chain->policy_oids[1], "1.2.3");
	assert_string_equal(s->chain->rev_ev->source, "CRL of \"CN=ca\"");
	assert_string_equal(s->timestamp->id, "S1-TS");
	assert_int_equal(s->timestamp->kind, TTE_KIND_TIMESTAMP);
	assert_true(s->timestamp->ts_time == T0);
	assert_int_equal(s->timestamp->chain->rev_ev->kind, TTE_REVK_OCSP);
	/* Nothing judged comes back. */
	assert_int_equal(s->indication, TTE_IND_INDETERMINATE);
	assert_int_equal(s->reasons.count, 0);
	tte_doc_free(back);
	tte_doc_free(doc);
}

/* Every field away from its zero value, odd values included. */
static void
odd_values_round_trip(void **state)
{
	struct tte_doc *doc = good_doc(), *back;
	struct tte_sig *s = doc->sigs, *dts;
	struct tte_cert *c = s->chain;
	struct tte_rev_ev *ev;
	char *longnote = malloc(5000);

	(void)state;
	assert_non_null(longnote);
	memset(longnote, 'n', 4999);
	longnote[4999] = '\0';
	doc->format = TTE_FMT_PDF;
	doc->statement = TTE_STMT_VARIANT;
	tte_doc_error(doc, "first error");
	tte_doc_error(doc, "second \"error\"\n\t\x01 \xc3\xa9");
	s->format_error = "format \\ error";
	s->content_missing = 1;
	s->hash = TTE_CHECK_FAILED;
	s->hash_msg = "digest mismatch";
	s->signature_msg = "sig msg";
	s->signer_found = TTE_CHECK_NOT_DONE;
	s->ess = TTE_CHECK_FAILED;
	s->signer_msg = "signer msg";
	s->content_type = TTE_CHECK_FAILED;
	s->chain_status = TTE_CHAIN_CONSTRAINTS;
	s->chain_msg = "path length";
	s->imprint = TTE_CHECK_FAILED;
	s->imprint_msg = "imprint";
	s->ts_time = -1;
	tte_notes_add(&s->notes, &doc->arena, "a note");
	/* A note longer than tte_notes_add keeps (1 KiB): whole. */
	{
		struct tte_note *n = arena_alloc(&doc->arena, sizeof(*n));

		assert_non_null(n);
		n->text = arena_strdup(&doc->arena, longnote);
		s->notes.tail->next = n;
		s->notes.tail = n;
		s->notes.count++;
	}
	s->in_pdf = 1;
	s->field_name = "Signature1 \xe2\x82\xac";
	s->sub_filter = "ETSI.CAdES.detached";
	s->revision = -1;
	s->covers_whole_document = 1;
	s->byterange_error = "gap";
	s->docmdp_p = 2;
	s->mods = TTE_MODS_DISALLOWED;
	tte_notes_add(&s->changes, &doc->arena, "page 1 content changed");
	s->annots_added = 3;
	s->level = "PAdES-B-T";
	/* Sentinel validity (unreadable dates) and far years. */
	c->not_before = INT64_MIN;
	c->not_after = INT64_MAX;
	c->next->not_before = isotime_from_fields(0, 1, 1, 0, 0, 0);
	c->next->not_after = isotime_from_fields(9999, 12, 31, 23, 59, 59);
	c->next->next->not_before = isotime_from_fields(0, 1, 1, 0, 0, 0) - 1;
	c->next->next->not_after =
		isotime_from_fields(9999, 12, 31, 23, 59, 59) + 1;
	c->key_usage |= TTE_KU_DECIPHER_ONLY | 1U << 12 | 1U << 31;
	c->key_bits = -7;
	c->subject = NULL;
	c->serial = "";
	c->eku_critical = 1;
	ev = rev(&doc->arena, TTE_REVK_OCSP, TTE_RS_REVOKED);
	ev->produced = T0 + 61;
	ev->revoked_at = T0 - DAY;
	ev->reason = "keyCompromise";
	ev->hold = 1;
	ev->reasons = 0x1fe;
	ev->next_update = 0;
	tte_cert_add_rev(c, ev);
	ev = rev(&doc->arena, TTE_REVK_CRL, TTE_RS_INVALID);
	ev->problem = "bad signature";
	ev->source = NULL;
	tte_cert_add_rev(c, ev);
	ev = rev(&doc->arena, TTE_REVK_OCSP, TTE_RS_UNKNOWN);
	tte_cert_add_rev(c, ev);
	s->timestamp->has_signing_time = 0;
	s->timestamp->notes.count = 0;
	/* A document timestamp with no chain at all, and its own
	 * timestamp (the shape allows nesting). */
	dts = tte_doc_add_sig(doc, TTE_KIND_DOC_TIMESTAMP);
	assert_non_null(dts);
	dts->id = NULL;
	dts->revision = 7;
	dts->ts_time = T0 + 2 * DAY;
	dts->timestamp = arena_alloc(&doc->arena, sizeof(*dts->timestamp));
	assert_non_null(dts->timestamp);
	dts->timestamp->kind = TTE_KIND_TIMESTAMP;
	dts->timestamp->timestamp =
		arena_alloc(&doc->arena, sizeof(*dts->timestamp));
	assert_non_null(dts->timestamp->timestamp);
	dts->timestamp->timestamp->kind = TTE_KIND_TIMESTAMP;

	back = round_trip(doc, INT64_MIN);
	s = back->sigs;
	c = s->chain;
	assert_true(c->not_before == INT64_MIN);
	assert_true(c->not_after == INT64_MAX);
	assert_true(c->next->next->not_before ==
		    isotime_from_fields(0, 1, 1, 0, 0, 0) - 1);
	assert_int_equal(c->key_usage, TTE_KU_DIGITAL_SIGNATURE |
						TTE_KU_NON_REPUDIATION |
						TTE_KU_DECIPHER_ONLY |
						1U << 12 | 1U << 31);
	assert_null(c->subject);
	assert_string_equal(c->serial, "");
	assert_int_equal(c->key_bits, -7);
	assert_string_equal(s->notes.tail->text, longnote);
	assert_int_equal(s->notes.count, 2);
	assert_int_equal(s->revision, -1);
	assert_int_equal(s->annots_added, 3);
	assert_int_equal(s->mods, TTE_MODS_DISALLOWED);
	assert_string_equal(back->errors.tail->text,
			    "second \"error\"\n\t\x01 \xc3\xa9");
	assert_int_equal(back->statement, TTE_STMT_VARIANT);
	assert_null(back->sigs->next->id);
	assert_int_equal(back->sigs->next->kind, TTE_KIND_DOC_TIMESTAMP);
	assert_non_null(back->sigs->next->timestamp->timestamp);
	ev = c->rev_ev->next;
	assert_int_equal(ev->status, TTE_RS_REVOKED);
	assert_int_equal(ev->hold, 1);
	assert_int_equal(ev->reasons, 0x1fe);
	assert_true(ev->revoked_at == T0 - DAY);
	assert_null(ev->next->source);
	assert_int_equal(ev->next->next->status, TTE_RS_UNKNOWN);
	free(longnote);
	tte_doc_free(back);
	tte_doc_free(doc);
}

static void
empty_doc_round_trip(void **state)
{
	struct tte_doc *doc = tte_doc_new("x", TTE_FMT_UNKNOWN), *back;

	(void)state;
	assert_non_null(doc);
	tte_doc_error(doc, "not a signed document format");
	back = round_trip(doc, 0);
	assert_int_equal(back->n_sigs, 0);
	assert_null(back->sigs);
	assert_int_equal(back->sha256[0], '\0');
	assert_int_equal(back->errors.count, 1);
	tte_doc_free(back);
	tte_doc_free(doc);
}

/* Both judged at `at` with `rules`: the same verdicts everywhere. */
static void
same_verdicts(struct tte_doc *a, struct tte_doc *b, int64_t at,
	      const struct tte_rules *rules)
{
	const struct tte_sig *x, *y;

	verdict_judge_doc(a, at, rules);
	verdict_judge_doc(b, at, rules);
	assert_int_equal(a->indication, b->indication);
	assert_int_equal(a->sub, b->sub);
	for (x = a->sigs, y = b->sigs; x != NULL && y != NULL;
	     x = x->next, y = y->next) {
		assert_int_equal(x->indication, y->indication);
		assert_int_equal(x->sub, y->sub);
		assert_int_equal(x->reasons.count, y->reasons.count);
		assert_true(x->best_signature_time == y->best_signature_time);
	}
	assert_null(x);
	assert_null(y);
}

static void
synthetic_verdicts(void **state)
{
	static const int64_t ats[] = {DAY, 400 * DAY, 4000 * DAY};

	(void)state;
	for (size_t i = 0; i < sizeof(ats) / sizeof(ats[0]); i++) {
		/* good, then spoiled one fact at a time */
		for (int spoil = 0; spoil < 6; spoil++) {
			struct tte_doc *doc = good_doc(), *back;
			struct tte_sig *s = doc->sigs;

			switch (spoil) {
			case 1:
				s->hash = TTE_CHECK_FAILED;
				break;
			case 2:
				s->chain->rev_ev->status = TTE_RS_REVOKED;
				s->chain->rev_ev->revoked_at = T0 - 10;
				break;
			case 3:
				s->timestamp->imprint = TTE_CHECK_FAILED;
				s->timestamp->imprint_msg = "imprint";
				break;
			case 4:
				s->chain->key_bits = 1024;
				break;
			case 5:
				s->chain_status = TTE_CHAIN_NO_ANCHOR;
				break;
			default:
				break;
			}
			back = round_trip(doc, T0 + ats[i]);
			same_verdicts(doc, back, T0 + ats[i], NULL);
			if (spoil == 0 && i == 0)
				assert_int_equal(back->indication,
						 TTE_IND_TOTAL_PASSED);
			tte_doc_free(back);
			tte_doc_free(doc);
		}
	}
}

/* ---- malformed lines ---- */

/* line with the first `from` replaced by `to` (malloc'd). */
static char *
replaced(const char *line, const char *from, const char *to)
{
	const char *at = strstr(line, from);
	size_t n;
	char *out;

	if (at == NULL)
		fail_msg("'%s' not in the line", from);
	n = strlen(line) - strlen(from) + strlen(to);
	out = malloc(n + 1);
	assert_non_null(out);
	memcpy(out, line, (size_t)(at - line));
	memcpy(out + (at - line), to, strlen(to));
	memcpy(out + (at - line) + strlen(to), at + strlen(from),
	       strlen(at + strlen(from)) + 1);
	return out;
}

static void
refused(const char *line, tte_err code, const char *msg_part)
{
	struct tte_doc *doc = (struct tte_doc *)&doc;
	int64_t vt = 0;
	struct diag d;
	tte_err rc;

	diag_clear(&d);
	rc = facts_read_doc(line, strlen(line), &doc, &vt, &d);
	if (rc != code)
		fail_msg("got %s (%s), want %s for:\n%.400s", tte_err_str(rc),
			 d.msg, tte_err_str(code), line);
	assert_null(doc);
	if (strstr(d.msg, msg_part) == NULL)
		fail_msg("message '%s' lacks '%s'", d.msg, msg_part);
}

/* The good line with from → to must be refused so. */
static void
mutant(const char *line, const char *from, const char *to, tte_err code,
       const char *msg_part)
{
	char *m = replaced(line, from, to);

	refused(m, code, msg_part);
	free(m);
}

/* A copy of the good signature timestamp as an archive timestamp. */
static struct tte_sig *
archive_of(struct tte_doc *doc, int64_t when, enum tte_ats_form form)
{
	struct tte_sig *ats = arena_alloc(&doc->arena, sizeof(*ats));

	assert_non_null(ats);
	*ats = *doc->sigs->timestamp;
	ats->next = NULL;
	ats->kind = TTE_KIND_ARCHIVE_TIMESTAMP;
	ats->ats_form = form;
	ats->ts_time = when;
	return ats;
}

/* The good document with two archive timestamps: the second covers the
 * first and the signature timestamp; the first's index names something
 * that is gone. */
static struct tte_doc *
archived_doc(void)
{
	struct tte_doc *doc = good_doc();
	struct tte_sig *s = doc->sigs, *a1, *a2;

	a1 = archive_of(doc, T0 + 10, TTE_ATS_V3);
	a1->id = "S1-ATS1";
	a1->hash_index = TTE_CHECK_FAILED;
	a1->hash_index_msg = "its ats-hash-index-v3 names 1 certificate";
	a1->covers = TTE_COVERS_TS;
	a2 = archive_of(doc, T0 + 20 * DAY, TTE_ATS_V3_OLD_INDEX);
	a2->id = "S1-ATS2";
	/* A later TSA certificate, valid long after the first expired. */
	a2->chain = cert(&doc->arena, "CN=tsa2", "CN=root", "55");
	a2->chain->eku_timestamping = a2->chain->eku_critical = 1;
	a2->chain->not_after = T0 + 3650 * DAY;
	a2->chain->next = cert(&doc->arena, "CN=root", "CN=root", "33");
	a2->chain->next->is_anchor = 1;
	tte_cert_add_rev(a2->chain, rev(&doc->arena, TTE_REVK_CRL,
					TTE_RS_GOOD));
	a2->chain->rev_ev->next_update = T0 + 3650 * DAY;
	a2->hash_index = TTE_CHECK_OK;
	a2->covers = TTE_COVERS_TS | TTE_COVERS_ATS(0);
	tte_notes_add(&a2->notes, &doc->arena, "an archive note");
	a1->next = a2;
	s->archive = a1;
	return doc;
}

static void
archive_round_trip(void **state)
{
	struct tte_doc *doc = archived_doc(), *back;
	const struct tte_sig *a1, *a2;
	static const enum tte_ats_form forms[] = {TTE_ATS_V2, TTE_ATS_V1};

	(void)state;
	back = round_trip(doc, T0 + DAY);
	a1 = back->sigs->archive;
	assert_non_null(a1);
	a2 = a1->next;
	assert_non_null(a2);
	assert_null(a2->next);
	assert_string_equal(a1->id, "S1-ATS1");
	assert_int_equal(a1->kind, TTE_KIND_ARCHIVE_TIMESTAMP);
	assert_int_equal(a1->ats_form, TTE_ATS_V3);
	assert_int_equal(a1->hash_index, TTE_CHECK_FAILED);
	assert_string_equal(a1->hash_index_msg,
			    "its ats-hash-index-v3 names 1 certificate");
	assert_int_equal(a1->covers, TTE_COVERS_TS);
	assert_true(a1->ts_time == T0 + 10);
	assert_int_equal(a2->ats_form, TTE_ATS_V3_OLD_INDEX);
	assert_int_equal(a2->covers, TTE_COVERS_TS | TTE_COVERS_ATS(0));
	assert_string_equal(a2->notes.head->text, "an archive note");
	assert_string_equal(a2->chain->subject, "CN=tsa2");
	/* The other forms and every position come back too. */
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct tte_doc *b2;

		doc->sigs->archive->ats_form = forms[i];
		doc->sigs->archive->covers = ~0u >> 1;
		b2 = round_trip(doc, T0);
		assert_int_equal(b2->sigs->archive->ats_form, forms[i]);
		assert_int_equal(b2->sigs->archive->covers,
				 TTE_COVERS_TS | (TTE_COVERS_ATS(TTE_ATS_MAX) -
						  2u));
		tte_doc_free(b2);
	}
	tte_doc_free(back);
	tte_doc_free(doc);
}

static void
archive_verdicts(void **state)
{
	(void)state;
	/* The signer expired (T0 + 100 days), and so did the first TSA
	 * (T0 + 365 days); no signature timestamp: the archive timestamps
	 * are the only proof (the first, at T0 + 10 s, through the second,
	 * at T0 + 20 days, or the second alone), the same after the round
	 * trip, spoiled or not. */
	for (int spoil = 0; spoil < 4; spoil++) {
		struct tte_doc *doc = archived_doc(), *back;
		struct tte_sig *s = doc->sigs;
		int64_t at = T0 + 400 * DAY;

		s->timestamp = NULL;
		s->chain->not_after = T0 + 100 * DAY;
		switch (spoil) {
		case 1:
			s->archive->imprint = TTE_CHECK_FAILED;
			s->archive->imprint_msg = "imprint";
			break;
		case 2:
			s->archive->imprint = TTE_CHECK_NOT_DONE;
			s->archive->imprint_msg = "not verified";
			s->archive->next->imprint = TTE_CHECK_FAILED;
			break;
		case 3:
			s->archive->next->covers = 0;
			break;
		default:
			break;
		}
		back = round_trip(doc, at);
		same_verdicts(doc, back, at, NULL);
		assert_int_equal(back->indication, spoil == 2 ?
				 TTE_IND_INDETERMINATE : TTE_IND_TOTAL_PASSED);
		for (const struct tte_sig *x = doc->sigs->archive,
					  *y = back->sigs->archive;
		     x != NULL; x = x->next, y = y->next) {
			assert_non_null(y);
			assert_int_equal(x->indication, y->indication);
			assert_int_equal(x->sub, y->sub);
		}
		tte_doc_free(back);
		tte_doc_free(doc);
	}
}

/* Lines of facts_version 1 (before archive timestamps) still read. */
static void
reads_version_1(void **state)
{
	static const char v2_tail[] =
		",\"archive_timestamps\":[],\"ats_form\":\"v3\","
		"\"hash_index\":\"not-done\",\"hash_index_msg\":null,"
		"\"covers_timestamp\":false,\"covers_archive\":[]";
	struct tte_doc *doc = good_doc(), *back;
	char *line = line_of(doc, T0, NULL), *v1, *m;

	(void)state;
	v1 = replaced(line, "\"facts_version\":2", "\"facts_version\":1");
	for (int i = 0; i < 2; i++) { /* the signature and its timestamp */
		m = replaced(v1, v2_tail, "");
		free(v1);
		v1 = m;
	}
	/* The document's version 2 field, last on the line. */
	m = strstr(v1, ",\"statement_wordings\":");
	assert_non_null(m);
	assert_non_null(strchr(m + 1, '}'));
	memmove(m, strrchr(m, '}'), strlen(strrchr(m, '}')) + 1);
	assert_null(strstr(v1, "archive"));
	assert_null(strstr(v1, "wordings"));
	back = read_ok(v1, NULL);
	assert_null(back->wordings_id); /* a match rescore cannot reuse */
	assert_null(back->sigs->archive);
	same_verdicts(doc, back, T0 + DAY, NULL);
	tte_doc_free(back);
	/* A version 1 line has no version 2 field... */
	m = replaced(v1, "\"level\":null}", "\"level\":null,"
		     "\"archive_timestamps\":[]}");
	refused(m, TTE_E_MALFORMED, "unknown field 'archive_timestamps' in "
		"'signatures[0].timestamp'");
	free(m);
	/* ...and a version 2 line lacks none. */
	m = replaced(line, v2_tail, "");
	refused(m, TTE_E_MALFORMED, "'signatures[0].timestamp.archive_"
		"timestamps' is missing");
	free(m);
	free(v1);
	free(line);
	tte_doc_free(doc);
}

static void
refuses_malformed_archive(void **state)
{
	struct tte_doc *doc = archived_doc();
	char *line = line_of(doc, T0, NULL);

	(void)state;
	tte_doc_free(read_ok(line, NULL));
	mutant(line, "\"kind\":\"archive-timestamp\"",
	       "\"kind\":\"timestamp\"", TTE_E_MALFORMED,
	       "'signatures[0].archive_timestamps[0].kind' is not "
	       "archive-timestamp");
	mutant(line, "\"ats_form\":\"v3-ats-hash-index\"",
	       "\"ats_form\":\"v4\"", TTE_E_MALFORMED,
	       "'signatures[0].archive_timestamps[1].ats_form' is not one of "
	       "v3, v3-ats-hash-index, v2, v1");
	mutant(line, "\"covers_archive\":[0]", "\"covers_archive\":[16]",
	       TTE_E_MALFORMED, "covers_archive[0]' is not a position 0..15");
	mutant(line, "\"covers_archive\":[0]", "\"covers_archive\":[0,0]",
	       TTE_E_MALFORMED, "covers_archive' lists 0 twice");
	mutant(line, "\"covers_archive\":[0]", "\"covers_archive\":[\"0\"]",
	       TTE_E_MALFORMED, "is not a position");
	mutant(line, "\"covers_timestamp\":true", "\"covers_timestamp\":1",
	       TTE_E_MALFORMED, "covers_timestamp' is a number");
	mutant(line, "\"hash_index\":\"failed\"", "\"hash_index\":\"bad\"",
	       TTE_E_MALFORMED, "hash_index' is not one of not-done");
	{
		/* More archive timestamps than verify ever records. */
		const char *at = strstr(line, "\"archive_timestamps\":[{");
		const char *end;
		char *one, *many, *m;
		size_t n;

		assert_non_null(at);
		at += strlen("\"archive_timestamps\":[");
		end = strstr(at, "},{\"id\":\"S1-ATS2\"");
		assert_non_null(end);
		n = (size_t)(end - at) + 1;
		one = strndup(at, n);
		assert_non_null(one);
		/* one, then TTE_ATS_MAX times ",one": with S1-ATS2, 18. */
		many = malloc((n + 1) * (TTE_ATS_MAX + 1) + 1);
		assert_non_null(many);
		memcpy(many, one, n);
		for (int i = 1; i <= TTE_ATS_MAX; i++) {
			many[i * (n + 1) - 1] = ',';
			memcpy(many + i * (n + 1), one, n);
		}
		many[(TTE_ATS_MAX + 1) * (n + 1) - 1] = '\0';
		m = replaced(line, one, many);
		refused(m, TTE_E_MALFORMED, "more than verify records (16)");
		free(m);
		free(many);
		free(one);
	}
	free(line);
	tte_doc_free(doc);
}

static void
refuses_malformed(void **state)
{
	struct tte_doc *doc = good_doc();
	char *line = line_of(doc, T0, NULL);

	(void)state;
	/* The line itself reads (the mutants below are the only change). */
	tte_doc_free(read_ok(line, NULL));

	refused("", TTE_E_TRUNCATED, "json: the text ends");
	refused("not json", TTE_E_MALFORMED, "json: unexpected 'o'");
	refused("[1]", TTE_E_MALFORMED, "the line is an array, not an object");
	refused("{}", TTE_E_MALFORMED, "'facts_version' is missing");
	mutant(line, "\"facts_version\":2", "\"facts_version\":3",
	       TTE_E_UNSUPPORTED, "facts_version is not one this tteaudit "
	       "reads (1 to 2)");
	mutant(line, "\"facts_version\":2", "\"facts_version\":0",
	       TTE_E_UNSUPPORTED, "facts_version is not one");
	mutant(line, "\"facts_version\":2", "\"facts_version\":\"2\"",
	       TTE_E_UNSUPPORTED, "facts_version is not one");
	/* A missing fact is an error, never a default: a missing "hash"
	 * must not read as "not done" (or worse, "ok"). */
	mutant(line, "\"hash\":\"ok\",", "", TTE_E_MALFORMED,
	       "'signatures[0].hash' is missing");
	mutant(line, "\"chain_status\":\"found\",", "", TTE_E_MALFORMED,
	       "'signatures[0].chain_status' is missing");
	mutant(line, "\"is_anchor\":false,", "", TTE_E_MALFORMED,
	       "'signatures[0].chain[0].is_anchor' is missing");
	mutant(line, "\"revoked_at\":", "\"revoked\":", TTE_E_MALFORMED,
	       "unknown field 'revoked' in "
	       "'signatures[0].chain[0].revocation[0]'");
	mutant(line, "\"path\":", "\"paths\":", TTE_E_MALFORMED,
	       "unknown field 'paths' in 'doc'");
	/* Invariants verify keeps: only a chain's top is its anchor (one
	 * below would end the verdict's checks early); a signature's
	 * timestamp is of kind timestamp (judged with its imprint). */
	mutant(line, "\"is_anchor\":false", "\"is_anchor\":true",
	       TTE_E_MALFORMED, "marks a certificate below its top as the "
	       "anchor");
	mutant(line, "\"kind\":\"timestamp\"", "\"kind\":\"signature\"",
	       TTE_E_MALFORMED, "'signatures[0].timestamp' is not of kind "
	       "timestamp");
	/* Judgement fields have no place in a facts line. */
	mutant(line, "\"hash\":\"ok\",", "\"hash\":\"ok\",\"indication\":"
	       "\"TOTAL-PASSED\",", TTE_E_MALFORMED,
	       "unknown field 'indication' in 'signatures[0]'");
	mutant(line, "\"hash\":\"ok\",", "\"hash\":\"ok\",\"hash\":\"ok\",",
	       TTE_E_MALFORMED, "field 'hash' repeated in 'signatures[0]'");
	mutant(line, "\"hash\":\"ok\"", "\"hash\":\"passed\"", TTE_E_MALFORMED,
	       "'signatures[0].hash' is not one of not-done, ok, failed");
	mutant(line, "\"hash\":\"ok\"", "\"hash\":true", TTE_E_MALFORMED,
	       "'signatures[0].hash' is not one of");
	mutant(line, "\"kind\":\"signature\"", "\"kind\":null", TTE_E_MALFORMED,
	       "'signatures[0].kind' is not one of signature, timestamp, "
	       "doc-timestamp");
	mutant(line, "\"content_missing\":false", "\"content_missing\":0",
	       TTE_E_MALFORMED, "'signatures[0].content_missing' is a number, "
	       "not true or false");
	mutant(line, "\"key_bits\":2048", "\"key_bits\":2048.0",
	       TTE_E_MALFORMED, "'signatures[0].chain[0].key_bits' is not an "
	       "integer");
	mutant(line, "\"key_bits\":2048", "\"key_bits\":4294967296",
	       TTE_E_MALFORMED, "'signatures[0].chain[0].key_bits' is "
	       "4294967296, outside");
	mutant(line, "\"path\":\"dir", "\"path\":null,\"x\":\"", TTE_E_MALFORMED,
	       "unknown field 'x'");
	mutant(line, "\"path\":\"dir/a b\\\"c.txt.p7s\"", "\"path\":null",
	       TTE_E_MALFORMED, "'doc.path' is null, not a string");
	mutant(line, "\"subject\":\"CN=ca\"", "\"subject\":1", TTE_E_MALFORMED,
	       "'signatures[0].chain[1].subject' is a number, not a string or "
	       "null");
	mutant(line, "\"policy_oids\":[\"2.16", "\"policy_oids\":[1,\"2.16",
	       TTE_E_MALFORMED, "'signatures[0].chain[0].policy_oids[0]' is a "
	       "number, not a string");
	mutant(line, "\"notes\":[]", "\"notes\":{}", TTE_E_MALFORMED,
	       "'signatures[0].timestamp.notes' is an object, not "
	       "an array");
	mutant(line, "\"chain\":[{", "\"chain\":[3,{", TTE_E_MALFORMED,
	       "'signatures[0].chain[0]' is a number, not an object");
	mutant(line, "\"signatures\":[{", "\"signatures\":[{}, {",
	       TTE_E_MALFORMED, "'signatures[0].id' is missing");
	mutant(line, "\"timestamp\":{\"id\":\"S1-TS\",",
	       "\"timestamp\":{\"id\":\"S1-TS\",\"extra\":1,", TTE_E_MALFORMED,
	       "unknown field 'extra' in 'signatures[0].timestamp'");
	/* "found" needs a chain ending in its anchor (the verdict names
	 * it). */
	mutant(line, "\"is_anchor\":true", "\"is_anchor\":false",
	       TTE_E_MALFORMED, "'signatures[0].chain_status' is "
	       "found, but the chain does not end in an anchor certificate");
	/* Times: canonical UTC or an integer, nothing else. */
	mutant(line, "\"validation_time\":\"", "\"validation_time\":\"x",
	       TTE_E_MALFORMED, "'doc.validation_time' is 'x");
	{
		char t[ISOTIME_LEN], from[64], to[64];

		isotime_format(T0, t);
		snprintf(from, sizeof(from), "\"ts_time\":\"%s\"", t);
		snprintf(to, sizeof(to), "\"ts_time\":\"%.16s+07:00\"", t);
		mutant(line, from, to, TTE_E_MALFORMED,
		       "'signatures[0].timestamp.ts_time' is");
		snprintf(to, sizeof(to), "\"ts_time\":\"%.10s\"", t);
		mutant(line, from, to, TTE_E_MALFORMED, "not in the form");
		snprintf(to, sizeof(to), "\"ts_time\":1.5");
		mutant(line, from, to, TTE_E_MALFORMED, "is a number, not a "
							"time");
	}
	mutant(line, "\"signing_time\":\"", "\"signing_time\":\"2025-02-30",
	       TTE_E_MALFORMED, "'signatures[0].signing_time' is '2025-02-30");
	mutant(line, "\"sha256\":\"aaaa", "\"sha256\":\"AAAA", TTE_E_MALFORMED,
	       "'doc.sha256' is not 64 lowercase hex digits");
	mutant(line, "\"digitalSignature\"", "\"digitalsignature\"",
	       TTE_E_MALFORMED, "key_usage[0]' is 'digitalsignature', not a "
	       "keyUsage name");
	mutant(line, "\"digitalSignature\"", "\"nonRepudiation\"",
	       TTE_E_MALFORMED, "key_usage' lists a bit twice");
	mutant(line, "\"digitalSignature\"", "1", TTE_E_MALFORMED,
	       "key_usage[0]' is neither a keyUsage name nor the value of an "
	       "unnamed bit");
	{
		/* 4096 (bit 12) has no name: it is written as a number. */
		char *m = replaced(line, "\"digitalSignature\"", "4096");
		struct tte_doc *b = read_ok(m, NULL);

		assert_int_equal(b->sigs->chain->key_usage,
				 TTE_KU_NON_REPUDIATION | 1U << 12);
		tte_doc_free(b);
		free(m);
	}
	mutant(line, "\"digitalSignature\"", "4097", TTE_E_MALFORMED,
	       "neither a keyUsage name");
	mutant(line, "\"reasons\":0", "\"reasons\":-1", TTE_E_MALFORMED,
	       "revocation[0].reasons' is -1, outside 0..4294967295");
	mutant(line, "\"status\":\"good\"", "\"status\":\"invalid\"",
	       TTE_E_MALFORMED, "is not one of good, revoked, unknown, "
	       "rejected");
	mutant(line, "\"statement\":\"n/a\"", "\"statement\":\"none\"",
	       TTE_E_MALFORMED, "'doc.statement' is not one of n/a, exact");
	mutant(line, "\"format\":\"cms\"", "\"format\":\"CMS\"",
	       TTE_E_MALFORMED, "'doc.format' is not one of unknown, pdf, cms");
	/* A line cut short, or with something after it. */
	{
		char *cut = strdup(line);

		assert_non_null(cut);
		cut[strlen(cut) / 2] = '\0';
		refused(cut, TTE_E_TRUNCATED, "json:");
		free(cut);
	}
	mutant(line, "}\n", "} {}\n", TTE_E_TRAILING,
	       "json: 2 unexpected bytes after the value at byte");
	/* A line without its newline, or with CRLF, reads. */
	{
		char *m = replaced(line, "}\n", "}\r\n");

		tte_doc_free(read_ok(m, NULL));
		free(m);
		m = replaced(line, "}\n", "}");
		tte_doc_free(read_ok(m, NULL));
		free(m);
	}
	free(line);
	tte_doc_free(doc);
}

/* ---- the fixtures, through the engine ---- */

struct fx_run {
	int64_t at;
	const struct policy *pol;
	size_t n_docs;
	size_t n_passed;
};

static void
on_fixture(const struct tte_doc *doc, void *arg)
{
	struct fx_run *r = arg;
	struct tte_doc *back;
	const struct tte_sig *x, *y;

	back = round_trip(doc, r->at);
	verdict_judge_doc(back, r->at, r->pol != NULL ? &r->pol->rules : NULL);
	if (r->pol != NULL)
		policy_judge_doc(r->pol, back);
	if (back->indication != doc->indication || back->sub != doc->sub)
		fail_msg("%s: verified %s/%s, rescored %s/%s", doc->path,
			 tte_ind_name(doc->indication),
			 tte_sub_name(doc->sub) ? tte_sub_name(doc->sub) : "-",
			 tte_ind_name(back->indication),
			 tte_sub_name(back->sub) ? tte_sub_name(back->sub) : "-");
	for (x = doc->sigs, y = back->sigs; x != NULL && y != NULL;
	     x = x->next, y = y->next) {
		assert_int_equal(x->indication, y->indication);
		assert_int_equal(x->sub, y->sub);
		assert_int_equal(x->constraints.count, y->constraints.count);
	}
	assert_null(x);
	assert_null(y);
	if (r->pol != NULL)
		assert_int_equal(policy_doc_has_findings(doc),
				 policy_doc_has_findings(back));
	r->n_docs++;
	if (doc->indication == TTE_IND_TOTAL_PASSED)
		r->n_passed++;
	tte_doc_free(back);
}

static void
fixtures_with(const char *policy_file)
{
	const char *env = getenv("TTE_FIXTURES");
	char fx[4096], trust[4200], crl[4200], docs[4200], atf[4200], at[64];
	const char *trusts[1], *crls[1];
	struct tte_config cfg;
	struct tte_engine *e = NULL;
	struct policy *pol = NULL;
	struct fx_run r = {0};
	struct stat st;
	struct diag d;
	FILE *f;

	snprintf(fx, sizeof(fx), "%s", env != NULL ? env : "build/fixtures");
	snprintf(docs, sizeof(docs), "%s/docs", fx);
	snprintf(atf, sizeof(atf), "%s/AT", fx);
	if (stat(docs, &st) != 0) {
		print_message("no fixtures in %s (make fixtures): skipped\n",
			      fx);
		skip();
	}
	f = fopen(atf, "r");
	assert_non_null(f);
	assert_non_null(fgets(at, sizeof(at), f));
	fclose(f);
	at[strcspn(at, "\n")] = '\0';
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(isotime_parse(at, &cfg.at), 0);
	snprintf(trust, sizeof(trust), "%s/pki/trust/root.pem", fx);
	snprintf(crl, sizeof(crl), "%s/pki/crl", fx);
	trusts[0] = trust;
	crls[0] = crl;
	cfg.trust = trusts;
	cfg.n_trust = 1;
	cfg.crl = crls;
	cfg.n_crl = 1;
	walk_opts_default(&cfg.walk);
	diag_clear(&d);
	if (policy_file != NULL) {
		char pf[4300];

		snprintf(pf, sizeof(pf), "%s/%s", fx, policy_file);
		if (stat(pf, &st) != 0) {
			print_message("no %s: skipped\n", pf);
			skip();
		}
		if (policy_load(pf, &pol, &d) != TTE_OK)
			fail_msg("%s: %s", pf, d.msg);
		cfg.policy = pol;
	}
	if (tte_engine_new(&cfg, &e, &d) != TTE_OK)
		fail_msg("engine: %s", d.msg);
	r.at = cfg.at;
	r.pol = pol;
	if (tte_engine_verify_path(e, docs, on_fixture, &r, &d) != TTE_OK)
		fail_msg("%s: %s", docs, d.msg);
	tte_engine_free(e);
	policy_free(pol);
	print_message("%zu fixture documents (%zu TOTAL-PASSED) round trip "
		      "with the same verdicts\n", r.n_docs, r.n_passed);
	assert_true(r.n_docs >= 20);
	assert_true(r.n_passed >= 5);
}

static void
fixtures_builtin_rules(void **state)
{
	(void)state;
	fixtures_with(NULL);
}

static void
fixtures_test_policy(void **state)
{
	(void)state;
	fixtures_with("policy/test-bsre.xml");
}

static int
group_setup(void **state)
{
	(void)state;
	T0 = isotime_from_fields(2025, 3, 1, 8, 0, 0);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_round_trip),
		cmocka_unit_test(odd_values_round_trip),
		cmocka_unit_test(empty_doc_round_trip),
		cmocka_unit_test(synthetic_verdicts),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(archive_round_trip),
		cmocka_unit_test(archive_verdicts),
		cmocka_unit_test(reads_version_1),
		cmocka_unit_test(refuses_malformed_archive),
		cmocka_unit_test(fixtures_builtin_rules),
		cmocka_unit_test(fixtures_test_policy),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
