/*
 * Tests for policy/policy_judge.c: judged facts and a policy made by hand
 * in, constraint outcomes, findings and verdicts out. Each constraint is
 * tested failing and passing, and each level for what it does: FAIL
 * changes the verdict, WARN makes a finding, INFORM only reports, IGNORE
 * records nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../policy/policy.h"
#include "../../../verifier/base/isotime.h"

#define DAY 86400
#define MIN 60

static int64_t T0; /* signing: 2025-03-01 08:00 */

static const char *const oids[] = {"2.16.360.1.1.1.5.1.4.3"};
static const char *const ekus[] = {"1.2.840.113583.1.1.5"};
static const char *const orgs[] = {"Pemerintah Provinsi Nusa Tenggara Timur"};
static const char *const cns[] = {"Budi, S.Kom"};
static const char *const cert_oids[] = {"2.16.360.1.1.1.3.11.2.0.1",
					"2.16.360.1.1.1.5.1.4.3"};
static const char *const cert_ekus[] = {"1.2.840.113583.1.1.5"};

struct fx {
	struct policy p;
	struct pol_subject_rule rules[2];
	struct tte_doc *doc;
	struct tte_sig *sig;
	struct tte_sig ts;
	struct tte_cert signer, root;
};

/* A policy with every constraint at `level`, and a TOTAL-PASSED PDF
 * signature (as verdict.c leaves it) that meets all of them. */
static void
make(struct fx *f, enum tte_level level)
{
	memset(f, 0, sizeof(*f));
	T0 = isotime_from_fields(2025, 3, 1, 8, 0, 0);
	f->p.name = "unit";
	f->p.policy_oids.level = level;
	f->p.oids = (const char **)oids;
	f->p.n_oids = 1;
	f->p.key_usage.level = level;
	f->p.key_usage_bits = TTE_KU_NON_REPUDIATION;
	f->p.ext_key_usage.level = level;
	f->p.eku_oids = (const char **)ekus;
	f->p.n_eku_oids = 1;
	f->p.subject.level = level;
	f->rules[0].attribute = "O";
	f->rules[0].values = (const char **)orgs;
	f->rules[0].n_values = 1;
	f->rules[1].attribute = "CN";
	f->rules[1].values = (const char **)cns;
	f->rules[1].n_values = 1;
	f->p.subject_rules = f->rules;
	f->p.n_subject_rules = 2;
	f->p.sig_level.level = level;
	f->p.min_level = POL_LEVEL_B_T;
	f->p.window.level = level;
	f->p.window_start = isotime_from_fields(2021, 9, 1, 0, 0, 0);
	f->p.window_end = isotime_from_fields(2025, 9, 1, 0, 0, 0);
	f->p.statement.level = level;
	f->p.timestamp_gap.level = level;
	f->p.max_gap = 15 * MIN;
	f->p.unsigned_doc.level = level;
	f->p.later_annotations.level = level;

	f->doc = tte_doc_new("x.pdf", TTE_FMT_PDF);
	f->doc->statement = TTE_STMT_EXACT;
	f->doc->indication = TTE_IND_TOTAL_PASSED;
	f->sig = tte_doc_add_sig(f->doc, TTE_KIND_SIGNATURE);
	f->sig->in_pdf = 1;
	f->sig->level = "PAdES-B-T";
	f->sig->indication = TTE_IND_TOTAL_PASSED;
	f->sig->has_signing_time = 1;
	f->sig->signing_time = T0 - 7 * MIN;
	f->sig->best_signature_time = T0;
	f->sig->best_signature_time_source = "from the signature timestamp";
	f->sig->has_poe = 1;
	f->ts.kind = TTE_KIND_TIMESTAMP;
	f->ts.ts_time = T0;
	f->sig->timestamp = &f->ts;
	f->signer.subject = "CN=Budi\\, S.Kom,OU=Diskominfo,"
			    "O=Pemerintah  Provinsi Nusa Tenggara Timur,C=ID";
	f->signer.organization = "Pemerintah  Provinsi Nusa Tenggara Timur";
	f->signer.policy_oids = (const char **)cert_oids;
	f->signer.n_policy_oids = 2;
	f->signer.eku_oids = (const char **)cert_ekus;
	f->signer.n_eku_oids = 1;
	f->signer.has_key_usage = 1;
	f->signer.key_usage = TTE_KU_DIGITAL_SIGNATURE | TTE_KU_NON_REPUDIATION;
	f->signer.next = &f->root;
	f->root.is_anchor = 1;
	f->sig->chain = &f->signer;
}

static struct fx *
setup_at(enum tte_level level)
{
	static struct fx f;

	make(&f, level);
	return &f;
}

static void
done(struct fx *f)
{
	tte_doc_free(f->doc);
}

/* The outcome of constraint id on list, or NULL. */
static const struct tte_constraint *
find(const struct tte_constraints *list, const char *id)
{
	for (const struct tte_constraint *c = list->head; c != NULL;
	     c = c->next) {
		if (strcmp(c->id, id) == 0)
			return c;
	}
	return NULL;
}

static int
has_finding(const struct tte_doc *doc, const char *needle)
{
	for (const struct tte_note *n = doc->findings.head; n != NULL;
	     n = n->next) {
		if (strstr(n->text, needle) != NULL)
			return 1;
	}
	return 0;
}

static void
assert_status(const struct tte_constraints *list, const char *id,
	      enum tte_cstatus st)
{
	const struct tte_constraint *c = find(list, id);

	if (c == NULL)
		fail_msg("no outcome for %s", id);
	if (c->status != st)
		fail_msg("%s: %s (%s), want %s", id, tte_cstatus_name(c->status),
			 c->message, tte_cstatus_name(st));
	assert_non_null(c->message);
	assert_true(c->message[0] != '\0');
}

static void
all_met_is_compliant(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_FAIL);
	static const char *const ids[] = {
		"signer.policy-oids", "signer.key-usage", "signer.ext-key-usage",
		"signer.subject", "signature.level", "agreement.window",
		"agreement.timestamp-gap", "document.annotations-after-signing",
	};

	(void)state;
	policy_judge_doc(&f->p, f->doc);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_status(&f->sig->constraints, ids[i], TTE_CST_PASSED);
	assert_status(&f->doc->constraints, "agreement.statement",
		      TTE_CST_PASSED);
	assert_status(&f->doc->constraints, "document.signed", TTE_CST_PASSED);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_int_equal(f->doc->indication, TTE_IND_TOTAL_PASSED);
	assert_false(policy_doc_has_findings(f->doc));
	assert_string_equal(f->doc->policy_name, "unit");
	done(f);
}

/* A FAIL constraint that fails: the verdict, the reason, the finding. */
static void
fail_level_sets_verdict(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_FAIL);
	static const char *const other[] = {"1.3.6.1.4.1.99999.1"};

	(void)state;
	f->signer.policy_oids = (const char **)other;
	f->signer.n_policy_oids = 1;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.policy-oids",
		      TTE_CST_FAILED);
	assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
	assert_int_equal(f->sig->sub, TTE_SUB_CHAIN_CONSTRAINTS_FAILURE);
	assert_int_equal(f->doc->indication, TTE_IND_INDETERMINATE);
	assert_non_null(f->sig->reasons.head);
	assert_non_null(strstr(f->sig->reasons.tail->text,
			       "signer.policy-oids"));
	assert_true(policy_doc_has_findings(f->doc));
	assert_true(has_finding(f->doc, "S1 signer.policy-oids"));
	/* Not valid: never compliant, and the verdict says why. */
	assert_true(has_finding(f->doc, "not valid: INDETERMINATE/"
					"CHAIN_CONSTRAINTS_FAILURE"));
	done(f);
}

/* WARN: a finding, the verdict stays. INFORM: neither. IGNORE: not even
 * an outcome. */
static void
warn_inform_ignore(void **state)
{
	static const enum tte_level lv[] = {TTE_LEVEL_WARN, TTE_LEVEL_INFORM,
					    TTE_LEVEL_IGNORE};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct fx *f = setup_at(lv[i]);

		f->signer.n_eku_oids = 0;
		policy_judge_doc(&f->p, f->doc);
		assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
		assert_int_equal(f->doc->indication, TTE_IND_TOTAL_PASSED);
		if (lv[i] == TTE_LEVEL_IGNORE) {
			assert_null(find(&f->sig->constraints,
					 "signer.ext-key-usage"));
		} else {
			assert_status(&f->sig->constraints,
				      "signer.ext-key-usage", TTE_CST_FAILED);
		}
		assert_int_equal(policy_doc_has_findings(f->doc),
				 lv[i] == TTE_LEVEL_WARN);
		done(f);
	}
}

/* The policy never makes a verdict better than verification's. */
static void
never_better(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_FAIL);

	(void)state;
	f->sig->indication = TTE_IND_TOTAL_FAILED;
	f->sig->sub = TTE_SUB_HASH_FAILURE;
	f->doc->indication = TTE_IND_TOTAL_FAILED;
	f->doc->sub = TTE_SUB_HASH_FAILURE;
	f->signer.key_usage = TTE_KU_DIGITAL_SIGNATURE;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.key-usage", TTE_CST_FAILED);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_FAILED);
	assert_int_equal(f->sig->sub, TTE_SUB_HASH_FAILURE);
	assert_int_equal(f->doc->sub, TTE_SUB_HASH_FAILURE);
	assert_true(has_finding(f->doc, "not valid: TOTAL-FAILED/HASH_FAILURE"));
	done(f);
}

static void
key_usage_absent_fails(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_FAIL);

	(void)state;
	f->signer.has_key_usage = 0;
	f->signer.key_usage = 0;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.key-usage", TTE_CST_FAILED);
	done(f);
}

/* Subject rules ignore case and spacing; CN comes from the RFC 2253
 * subject with its escaped comma. */
static void
subject_rules(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_WARN);

	(void)state;
	f->signer.organization = "pemerintah provinsi nusa tenggara timur";
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.subject", TTE_CST_PASSED);
	done(f);

	f = setup_at(TTE_LEVEL_WARN);
	f->signer.subject = "CN=Budi,O=Pemerintah Provinsi Nusa Tenggara Timur";
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.subject", TTE_CST_FAILED);
	assert_non_null(strstr(find(&f->sig->constraints,
				    "signer.subject")->message, "'Budi'"));
	done(f);

	f = setup_at(TTE_LEVEL_WARN);
	f->signer.organization = NULL;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signer.subject", TTE_CST_FAILED);
	done(f);
}

/* B-T needs a timestamp, and one that proved the time. */
static void
signature_level(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_FAIL);

	(void)state;
	f->sig->level = "PAdES-B-B";
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signature.level", TTE_CST_FAILED);
	assert_int_equal(f->sig->sub, TTE_SUB_SIG_CONSTRAINTS_FAILURE);
	done(f);

	f = setup_at(TTE_LEVEL_FAIL);
	f->sig->best_signature_time_source =
		"the validation time: no proof of existence";
	f->sig->has_poe = 0;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signature.level", TTE_CST_FAILED);
	done(f);

	/* CMS: the level is B-T with a signature timestamp. */
	f = setup_at(TTE_LEVEL_FAIL);
	f->sig->level = NULL;
	f->sig->in_pdf = 0;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signature.level", TTE_CST_PASSED);
	done(f);

	f = setup_at(TTE_LEVEL_FAIL);
	f->p.min_level = POL_LEVEL_B_LTA;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "signature.level", TTE_CST_FAILED);
	done(f);
}

/* The proven time counts; without proof, the claimed one; without
 * either, the constraint fails (nothing shows the signature inside).
 * The end is exclusive. */
static void
agreement_window(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_WARN);

	(void)state;
	f->sig->best_signature_time = f->p.window_end;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "agreement.window", TTE_CST_FAILED);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_true(policy_doc_has_findings(f->doc));
	done(f);

	f = setup_at(TTE_LEVEL_WARN);
	f->sig->best_signature_time_source = "the validation time: no proof";
	f->sig->has_poe = 0;
	f->sig->best_signature_time = f->p.window_end + DAY;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "agreement.window", TTE_CST_PASSED);
	done(f);

	f = setup_at(TTE_LEVEL_WARN);
	f->sig->best_signature_time_source = "the validation time: no proof";
	f->sig->has_poe = 0;
	f->sig->has_signing_time = 0;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "agreement.window",
		      TTE_CST_FAILED); /* no time: cannot be shown inside */
	done(f);
}

static void
timestamp_gap(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_INFORM);

	(void)state;
	f->sig->signing_time = T0 - 16 * MIN;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "agreement.timestamp-gap",
		      TTE_CST_FAILED);
	assert_false(policy_doc_has_findings(f->doc)); /* INFORM */
	done(f);

	f = setup_at(TTE_LEVEL_INFORM);
	f->sig->signing_time = T0 + 15 * MIN; /* later counts too; 15 is ok */
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints, "agreement.timestamp-gap",
		      TTE_CST_PASSED);
	done(f);
}

static void
statement_outcomes(void **state)
{
	static const struct {
		enum tte_statement st;
		enum tte_cstatus want;
	} cases[] = {
		{TTE_STMT_EXACT, TTE_CST_PASSED},
		{TTE_STMT_VARIANT, TTE_CST_PASSED},
		{TTE_STMT_MISSING, TTE_CST_FAILED},
		{TTE_STMT_NO_TEXT, TTE_CST_FAILED},
		{TTE_STMT_UNKNOWN, TTE_CST_FAILED},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx *f = setup_at(TTE_LEVEL_WARN);

		f->doc->statement = cases[i].st;
		policy_judge_doc(&f->p, f->doc);
		assert_status(&f->doc->constraints, "agreement.statement",
			      cases[i].want);
		assert_int_equal(policy_doc_has_findings(f->doc),
				 cases[i].want == TTE_CST_FAILED);
		assert_int_equal(f->doc->indication, TTE_IND_TOTAL_PASSED);
		done(f);
	}
	/* At FAIL a missing statement makes the document fail the
	 * signature acceptance constraints. */
	{
		struct fx *f = setup_at(TTE_LEVEL_FAIL);

		f->doc->statement = TTE_STMT_MISSING;
		policy_judge_doc(&f->p, f->doc);
		assert_int_equal(f->doc->indication, TTE_IND_INDETERMINATE);
		assert_int_equal(f->doc->sub, TTE_SUB_SIG_CONSTRAINTS_FAILURE);
		/* ... and so does each signature (ETSI reports are per
		 * signature). */
		assert_int_equal(f->sig->indication, TTE_IND_INDETERMINATE);
		assert_int_equal(f->sig->sub, TTE_SUB_SIG_CONSTRAINTS_FAILURE);
		done(f);
	}
}

static void
unsigned_document(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_WARN);
	struct tte_doc *doc = tte_doc_new("y.pdf", TTE_FMT_PDF);

	(void)state;
	doc->indication = TTE_IND_INDETERMINATE;
	doc->sub = TTE_SUB_SIGNED_DATA_NOT_FOUND;
	policy_judge_doc(&f->p, doc);
	assert_status(&doc->constraints, "document.signed", TTE_CST_FAILED);
	assert_null(find(&doc->constraints, "agreement.statement"));
	assert_true(policy_doc_has_findings(doc));
	assert_int_equal(doc->sub, TTE_SUB_SIGNED_DATA_NOT_FOUND);
	tte_doc_free(doc);

	/* Unreadable is not "unsigned". */
	doc = tte_doc_new("z.pdf", TTE_FMT_PDF);
	tte_doc_error(doc, "not a PDF");
	policy_judge_doc(&f->p, doc);
	assert_status(&doc->constraints, "document.signed", TTE_CST_SKIPPED);
	tte_doc_free(doc);
	done(f);
}

static void
annotations_after_signing(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_WARN);

	(void)state;
	f->sig->annots_added = 2;
	policy_judge_doc(&f->p, f->doc);
	assert_status(&f->sig->constraints,
		      "document.annotations-after-signing", TTE_CST_FAILED);
	assert_int_equal(f->sig->indication, TTE_IND_TOTAL_PASSED);
	assert_true(policy_doc_has_findings(f->doc));
	done(f);
}

/* A signature timestamp's failed constraints are findings too. */
static void
timestamp_constraints_are_findings(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_IGNORE);

	(void)state;
	tte_constraint_add(&f->ts.constraints, &f->doc->arena,
			   "crypto.algorithms", TTE_LEVEL_WARN, TTE_CST_FAILED,
			   "the TSA's SHA-1");
	policy_judge_doc(&f->p, f->doc);
	assert_true(has_finding(f->doc, "S1-TS crypto.algorithms"));
	done(f);
}

/* Judging twice (rescoring) gives the same outcomes, not twice as many. */
static void
judging_again_replaces(void **state)
{
	struct fx *f = setup_at(TTE_LEVEL_WARN);
	size_t n, nd;

	(void)state;
	f->doc->statement = TTE_STMT_MISSING;
	policy_judge_doc(&f->p, f->doc);
	n = f->doc->findings.count;
	nd = f->doc->constraints.count;
	policy_judge_doc(&f->p, f->doc);
	assert_int_equal(f->doc->findings.count, n);
	assert_int_equal(f->doc->constraints.count, nd);
	done(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_met_is_compliant),
		cmocka_unit_test(fail_level_sets_verdict),
		cmocka_unit_test(warn_inform_ignore),
		cmocka_unit_test(never_better),
		cmocka_unit_test(key_usage_absent_fails),
		cmocka_unit_test(subject_rules),
		cmocka_unit_test(signature_level),
		cmocka_unit_test(agreement_window),
		cmocka_unit_test(timestamp_gap),
		cmocka_unit_test(statement_outcomes),
		cmocka_unit_test(unsigned_document),
		cmocka_unit_test(annotations_after_signing),
		cmocka_unit_test(timestamp_constraints_are_findings),
		cmocka_unit_test(judging_again_replaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
