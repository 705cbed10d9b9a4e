/*
 * limbo_test.c - x509-limbo (C2SP, 208 chains with PEM inline:
 * ../shared/corpora/x509-limbo/limbo.json) through the engine's public
 * path-validation functions only.
 *
 * For each case: the trusted certificates and the case's CRLs go into a
 * struct pki_store (through temporary PEM files, the store's only way in);
 * pki_chain_check builds the chain of the peer certificate with the
 * untrusted intermediates and records revocation facts; a struct tte_sig
 * whose own facts are all fine (digest, signature value, signer found)
 * carries that chain into verdict_judge_sig at the case's validation_time
 * (now when it has none). TOTAL-PASSED counts as SUCCESS, anything else as
 * FAILURE, and that is compared with expected_result.
 *
 * Revocation. tteaudit requires revocation data for every certificate
 * below the anchor: without it the verdict is INDETERMINATE/TRY_LATER
 * (EN 319 102-1 §5.2.5), while limbo, like RFC 5280 §6.1.3 (a)(3) with no
 * revocation input, treats "no CRL given" as "not checked". So a case
 * without CRLs is judged twice: once as it is (only counted: those come
 * out TRY_LATER), then with revocation treated as not required, by giving
 * every non-anchor certificate of the chain a synthetic GOOD CRL datum
 * issued at the validation time (struct tte_rev_ev); that second verdict
 * is the one compared. Cases with CRLs (crl::) are judged once, on the
 * CRLs they give.
 *
 * Scope for document signing. Not run, and not counted:
 *  - webpki:: cases: CA/Browser Forum and browser rules (SAN/CN host
 *    matching, public suffixes, EKU pedantry, key sizes of the WebPKI);
 *  - the cases in `tls_only` below, whose expected result hangs only on
 *    the TLS peer name (expected_peer_name) or a TLS extended key usage
 *    (serverAuth, clientAuth) the case asks for.
 * Everything else (rfc5280::, pathlen::, pathological::, crl::, cve::,
 * invalid::, online::) is path validation a signature verifier must do;
 * expected_peer_name is ignored there, and no EKU is asked of the leaf.
 *
 * Skips (and passes) when the corpora folder is absent: $TTE_CORPORA, else
 * ../shared/corpora from the working directory. Understood disagreements
 * are listed in `known` with a one-line reason; any other disagreement
 * fails, and so does a listed case that starts agreeing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../../../verifier/base/isotime.h"
#include "../../../verifier/pki/pki_chain.h"
#include "../../../verifier/pki/pki_ossl.h"
#include "../../../verifier/verdict.h"
#include "../../../verifier/base/json.h"

#define LIMBO_MAX_CASES 4096 /* 208 today (upstream with BetterTLS: ~7k) */
#define LIMBO_TIME_MAX 64    /* longest validation_time string kept */

/*
 * Reasons, one per group of understood disagreements. "bug:" names a
 * defect of pki_chain.c or verdict.c; the others are choices for document
 * signing, features not implemented or OpenSSL limits.
 */
/* Fixed: crl::issuer-missing-crlsign (cRLSign required, RFC 5280
 * §6.3.3 (f)). */
#define R_CRL_PROFILE                                                          \
	"CRL profile: a cRLNumber missing or marked critical is accepted "     \
	"(RFC 5280 §5.2.3 binds the CRL issuer; OpenSSL accepts it too)"
#define R_SIGNER_KU                                                            \
	"by design: a signer's keyUsage must allow digitalSignature or "       \
	"nonRepudiation (RFC 5280 §4.2.1.3); this leaf is a CA certificate "   \
	"without either"
#define R_DEPTH                                                                \
	"not implemented: no maximum chain depth input (limbo "                \
	"max_chain_depth; X509_VERIFY_PARAM_set_depth)"
#define R_STRICT                                                               \
	"profile checks OpenSSL makes only under X509_V_FLAG_X509_STRICT, "    \
	"not set (AKI/SKI present, critical CA basicConstraints, CA subject "  \
	"or critical SAN, keyCertSign only with cA): RFC 5280 §4.2.1.1-2, "    \
	"§4.2.1.6, §4.2.1.9, §4.1.2.6"
#define R_PROFILE                                                              \
	"profile rules on the issuing CA that OpenSSL never checks (serial "   \
	"number form, extension criticality or placement, empty EKU): RFC "    \
	"5280 §4.1.2.2, §4.2.1.10-12"
#define R_NC_SYNTAX                                                            \
	"OpenSSL name constraints accept malformed names (a leading-period "   \
	"dNSName constraint, a malformed SAN in a permitted subtree): RFC "    \
	"5280 §4.2.1.10, §4.2.1.6"
#define R_PATH_BUILD                                                           \
	"OpenSSL builds one path and does not backtrack to another issuer "    \
	"when it breaks a name constraint (RFC 4158 path building)"
#define R_ANCHOR_TIME                                                          \
	"by design: a trust anchor's own validity period is not checked "      \
	"(verdict.c: the user trusts it as it is; RFC 5280 §6.1.1 (d))"

/* Why a case is out of scope (see the top of the file). */
#define T_EKU                                                                  \
	"TLS: the case asks the leaf for EKU serverAuth; which EKU a signer "  \
	"needs is signature policy"
#define T_PEER                                                                 \
	"TLS: the result hangs on matching the peer name (RFC 9525 "           \
	"wildcards, IP in a dNSName, host-name syntax)"

struct known {
	const char *id;
	const char *reason;
	int seen;
};

static struct known known[] = {
	{"crl::crlnumber-missing", R_CRL_PROFILE, 0},
	{"crl::crlnumber-critical", R_CRL_PROFILE, 0},
	{"pathlen::validation-ignores-pathlen-in-leaf", R_SIGNER_KU, 0},
	{"rfc5280::ca-as-leaf", R_SIGNER_KU, 0},
	{"pathlen::max-chain-depth-0-exhausted", R_DEPTH, 0},
	{"pathlen::max-chain-depth-1-exhausted", R_DEPTH, 0},
	{"rfc5280::aki::leaf-missing-aki", R_STRICT, 0},
	{"rfc5280::aki::intermediate-missing-aki", R_STRICT, 0},
	{"rfc5280::ski::root-missing-ski", R_STRICT, 0},
	{"rfc5280::ski::intermediate-missing-ski", R_STRICT, 0},
	{"rfc5280::san::noncritical-with-empty-subject", R_STRICT, 0},
	{"rfc5280::ca-empty-subject", R_STRICT, 0},
	{"rfc5280::root-missing-basic-constraints", R_STRICT, 0},
	{"rfc5280::root-non-critical-basic-constraints", R_STRICT, 0},
	{"rfc5280::leaf-ku-keycertsign", R_STRICT, 0},
	{"rfc5280::aki::cross-signed-root-missing-aki", R_PROFILE, 0},
	{"rfc5280::eku::ee-eku-empty", R_PROFILE, 0},
	{"rfc5280::nc::permitted-dns-match-noncritical", R_PROFILE, 0},
	{"rfc5280::nc::not-allowed-in-ee-noncritical", R_PROFILE, 0},
	{"rfc5280::nc::not-allowed-in-ee-critical", R_PROFILE, 0},
	{"rfc5280::pc::ica-noncritical-pc", R_PROFILE, 0},
	{"rfc5280::serial::too-long", R_PROFILE, 0},
	{"rfc5280::serial::zero", R_PROFILE, 0},
	{"rfc5280::serial::negative", R_PROFILE, 0},
	{"rfc5280::nc::invalid-dnsname-leading-period", R_NC_SYNTAX, 0},
	{"rfc5280::nc::nc-permits-invalid-dns-san", R_NC_SYNTAX, 0},
	{"rfc5280::nc::nc-permits-invalid-email-san", R_NC_SYNTAX, 0},
	{"rfc5280::nc::nc-forbids-alternate-chain-ica", R_PATH_BUILD, 0},
	{"rfc5280::nc::nc-forbids-same-chain-ica", R_PATH_BUILD, 0},
	{"rfc5280::validity::expired-root", R_ANCHOR_TIME, 0},
	{NULL, NULL, 0},
};

/* Expected results that hang on TLS inputs only (see the top). */
static struct known tls_only[] = {
	{"rfc5280::eku::ee-wrong-eku", T_EKU, 0},
	{"cve::cve-2025-61727", T_PEER, 0},
	{"rfc5280::nc::nc-forbids-dnsname-wildcard-san", T_PEER, 0},
	{"rfc5280::san::underscore-dns", T_PEER, 0},
	{"rfc5280::san::ip-in-dns", T_PEER, 0},
	{"rfc5280::ca-as-leaf-wrong-san", T_PEER, 0},
	{NULL, NULL, 0},
};

struct outcome {
	enum tte_ind ind;
	enum tte_sub sub;
	char why[256];
};

static char corpora[4096];

/* Finds the corpora folder; 0 when it is absent. */
static int
find_corpora(void)
{
	const char *env = getenv("TTE_CORPORA");
	struct stat st;

	snprintf(corpora, sizeof(corpora), "%s",
		 env != NULL && env[0] != '\0' ? env : "../shared/corpora");
	return stat(corpora, &st) == 0 && S_ISDIR(st.st_mode);
}

static struct known *
lookup(struct known *table, const char *id)
{
	for (size_t i = 0; table[i].id != NULL; i++) {
		if (strcmp(table[i].id, id) == 0)
			return &table[i];
	}
	return NULL;
}

/*
 * Parses a limbo validation_time (RFC 3339, e.g.
 * "2024-03-01T00:00:00.999+00:00") into whole seconds. Fractions are cut,
 * not rounded: X.509 times have whole seconds, so 00:00:00.999 is still
 * in the second 00:00:00 (rfc5280::validity::*-fractional).
 */
static int
parse_time(const char *s, int64_t *t)
{
	char buf[LIMBO_TIME_MAX];
	const char *dot = strchr(s, '.');
	size_t n;

	if (strlen(s) >= sizeof(buf))
		return -1;
	if (dot == NULL)
		return isotime_parse(s, t);
	n = (size_t)(dot - s);
	memcpy(buf, s, n);
	dot++;
	while (*dot >= '0' && *dot <= '9')
		dot++;
	snprintf(buf + n, sizeof(buf) - n, "%s", dot);
	return isotime_parse(buf, t);
}

/* Writes the PEM strings of array arr into a new temporary file whose
 * name goes to path; 0 when done. */
static int
write_pems(const struct json *arr, char *path, size_t path_len)
{
	const char *dir = getenv("TMPDIR");
	FILE *fp;
	int fd;

	snprintf(path, path_len, "%s/tte-limbo-XXXXXX",
		 dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		close(fd);
		unlink(path);
		return -1;
	}
	for (size_t i = 0; i < arr->n; i++) {
		const struct json *e = arr->items[i];

		if (e->type != JSON_STRING ||
		    fwrite(e->str, 1, e->len, fp) != e->len ||
		    fputc('\n', fp) == EOF) {
			fclose(fp);
			unlink(path);
			return -1;
		}
	}
	if (fclose(fp) != 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* Loads arr (PEM strings) as anchors (crl == 0) or CRLs into s. */
static int
store_add(struct pki_store *s, const struct json *arr, int crl)
{
	char path[4096];
	struct diag d;
	tte_err rc;

	if (arr == NULL || arr->type != JSON_ARRAY || arr->n == 0)
		return 0;
	if (write_pems(arr, path, sizeof(path)) != 0)
		return -1;
	diag_clear(&d);
	rc = crl ? pki_store_add_revocation(s, path, &d) :
		   pki_store_add_trust(s, path, &d);
	unlink(path);
	if (rc != TTE_OK) {
		print_error("cannot load %s: %s\n", crl ? "CRLs" : "anchors",
			    d.msg);
		return -1;
	}
	return 0;
}

static X509 *
pem_cert(const char *pem, size_t len)
{
	BIO *b;
	X509 *x;

	if (len > INT32_MAX)
		return NULL;
	b = BIO_new_mem_buf(pem, (int)len);
	if (b == NULL)
		return NULL;
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_clear_error();
	return x;
}

/*
 * Says that revocation is not required: a GOOD CRL datum issued at `at`
 * for every certificate below the anchor (see the top of the file).
 */
static int
no_revocation_needed(struct tte_sig *sig, int64_t at, struct arena *a)
{
	for (struct tte_cert *c = sig->chain; c != NULL; c = c->next) {
		struct tte_rev_ev *ev;

		if (c->is_anchor)
			continue;
		ev = arena_alloc(a, sizeof(*ev));
		if (ev == NULL)
			return -1;
		memset(ev, 0, sizeof(*ev));
		ev->kind = TTE_REVK_CRL;
		ev->status = TTE_RS_GOOD;
		ev->issued = at;
		ev->source = "synthetic: limbo gives no CRL, revocation not "
			     "required";
		tte_cert_add_rev(c, ev);
	}
	return 0;
}

/* Builds and judges one chain; synthetic != 0 adds no_revocation_needed
 * evidence first. 0 and o filled, or -1 when it could not run. */
static int
judge(const struct pki_store *s, X509 *leaf, STACK_OF(X509) *untrusted,
      int64_t at, int synthetic, const char *id, struct outcome *o)
{
	struct tte_doc *doc = tte_doc_new(id, TTE_FMT_CMS);
	struct tte_sig *sig;
	struct diag d;
	int ret = -1;

	diag_clear(&d);
	if (doc == NULL)
		return -1;
	sig = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
	if (sig == NULL)
		goto out;
	if (pki_chain_check(s, leaf, untrusted, NULL, &doc->arena, sig, &d) !=
	    TTE_OK) {
		print_error("%s: pki_chain_check: %s\n", id, d.msg);
		goto out;
	}
	if (synthetic && no_revocation_needed(sig, at, &doc->arena) != 0)
		goto out;
	/* The "signature" itself is fine: only the path is under test. */
	sig->hash = TTE_CHECK_OK;
	sig->signature = TTE_CHECK_OK;
	sig->signer_found = TTE_CHECK_OK;
	sig->digest_alg = "SHA256";
	verdict_judge_sig(sig, at, NULL, &doc->arena);
	o->ind = sig->indication;
	o->sub = sig->sub;
	snprintf(o->why, sizeof(o->why), "%s",
		 sig->reasons.head != NULL ? sig->reasons.head->text : "");
	ret = 0;
out:
	tte_doc_free(doc);
	return ret;
}

/*
 * Runs one testcase tc. *plain_try_later is set when the case has no CRL
 * and its plain verdict (revocation required) was TRY_LATER. 0 and o
 * filled, or -1 when the case could not run at all.
 */
static int
run_case(const struct json *tc, const char *id, struct outcome *o,
	 int *plain_try_later)
{
	const struct json *crls = json_get(tc, "crls");
	const struct json *inter = json_get(tc, "untrusted_intermediates");
	const char *peer = json_str(json_get(tc, "peer_certificate"));
	const char *vt = json_str(json_get(tc, "validation_time"));
	struct pki_store *s = pki_store_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509 *leaf = NULL;
	int has_crls = json_arr_len(crls) > 0;
	int64_t at;
	int ret = -1;

	*plain_try_later = 0;
	if (s == NULL || untrusted == NULL || peer == NULL)
		goto out;
	if (vt == NULL) {
		at = (int64_t)time(NULL);
	} else if (parse_time(vt, &at) != 0) {
		print_error("%s: bad validation_time '%s'\n", id, vt);
		goto out;
	}
	if (store_add(s, json_get(tc, "trusted_certs"), 0) != 0 ||
	    store_add(s, crls, 1) != 0)
		goto out;
	for (size_t i = 0; i < json_arr_len(inter); i++) {
		const struct json *e = json_arr_at(inter, i);
		X509 *x = NULL;

		if (json_str(e) != NULL)
			x = pem_cert(e->str, e->len);
		if (x == NULL || !sk_X509_push(untrusted, x)) {
			X509_free(x);
			print_error("%s: bad intermediate\n", id);
			goto out;
		}
	}
	leaf = pem_cert(peer, strlen(peer));
	if (leaf == NULL) {
		print_error("%s: bad peer certificate\n", id);
		goto out;
	}
	if (judge(s, leaf, untrusted, at, 0, id, o) != 0)
		goto out;
	if (!has_crls) {
		*plain_try_later = o->sub == TTE_SUB_TRY_LATER;
		if (judge(s, leaf, untrusted, at, 1, id, o) != 0)
			goto out;
	}
	ret = 0;
out:
	X509_free(leaf);
	sk_X509_pop_free(untrusted, X509_free);
	pki_store_free(s);
	return ret;
}

static const char *
outcome_name(const struct outcome *o)
{
	const char *sub = tte_sub_name(o->sub);

	return sub != NULL ? sub : tte_ind_name(o->ind);
}

/* Prints each reason of table once with the number of cases it covers. */
static void
print_groups(const char *what, const struct known *table)
{
	for (size_t i = 0; table[i].id != NULL; i++) {
		size_t count = 0;
		int first = 1;

		for (size_t k = 0; k < i && first; k++)
			first = strcmp(table[k].reason, table[i].reason) != 0;
		if (!first)
			continue;
		for (size_t k = i; table[k].id != NULL; k++)
			count += strcmp(table[k].reason, table[i].reason) == 0;
		print_message("%s:   %zu x %s\n", what, count, table[i].reason);
	}
}

/* Reads and parses limbo.json into a (the tree lives there); NULL when
 * that fails (said). */
static const struct json *
load_limbo(struct arena *a)
{
	static const struct json_limits lim = {JSON_MAX_DEPTH, 1u << 20,
					       1u << 22};
	char path[8192];
	unsigned char *buf = NULL;
	const struct json *j = NULL;
	size_t len = 0;
	struct diag d;

	snprintf(path, sizeof(path), "%s/x509-limbo/limbo.json", corpora);
	diag_clear(&d);
	if (pki_ossl_read_file(path, &buf, &len, &d) != TTE_OK) {
		print_error("cannot read '%s': %s\n", path, d.msg);
		return NULL;
	}
	if (json_parse(buf, len, a, &lim, &j, &d) != TTE_OK)
		print_error("cannot parse '%s': %s\n", path, d.msg);
	free(buf);
	return j;
}

struct tally {
	size_t cases, pass, known, bad;
	size_t webpki, tls, synth, try_later;
};

/* Counts one case run as an agreement, a known disagreement, or a
 * failure (printed). */
static void
tally_case(struct tally *t, const char *id, const char *want,
	   const struct outcome *o)
{
	struct known *k = lookup(known, id);
	int want_ok = strcmp(want, "SUCCESS") == 0;
	int got_ok = o->ind == TTE_IND_TOTAL_PASSED;

	t->cases++;
	if (k != NULL)
		k->seen = 1;
	if (want_ok == got_ok) {
		t->pass++;
		if (k == NULL)
			return;
		print_error("limbo %s: now agrees (%s); remove it from the "
			    "known table\n", id, outcome_name(o));
		t->bad++;
	} else if (k != NULL) {
		t->known++;
	} else {
		print_error("limbo %s: limbo says %s, tteaudit %s: %s\n", id,
			    want, outcome_name(o), o->why);
		t->bad++;
	}
}

/* Runs (or sets aside as out of scope) one testcase; NULL when done,
 * else what went wrong. */
static const char *
one_case(struct tally *t, const struct json *tc)
{
	const char *id = json_str(json_get(tc, "id"));
	const char *want = json_str(json_get(tc, "expected_result"));
	const struct json *crls = json_get(tc, "crls");
	struct outcome o = {TTE_IND_INDETERMINATE, TTE_SUB_NONE, ""};
	struct known *tls;
	int try_later;

	if (id == NULL || want == NULL)
		return "a testcase without id or expected_result";
	if (strncmp(id, "webpki::", 8) == 0) {
		t->webpki++;
		return NULL;
	}
	tls = lookup(tls_only, id);
	if (tls != NULL) {
		tls->seen = 1;
		t->tls++;
		return NULL;
	}
	if (run_case(tc, id, &o, &try_later) != 0)
		return "a case could not run";
	if (json_arr_len(crls) == 0) {
		t->synth++;
		t->try_later += try_later != 0;
	}
	tally_case(t, id, want, &o);
	return NULL;
}

/* Fails the count for every entry of table that no case used. */
static void
unused_entries(struct tally *t, const struct known *table, const char *what)
{
	for (size_t i = 0; table[i].id != NULL; i++) {
		if (table[i].seen)
			continue;
		print_error("limbo %s: in the %s table, not in the corpus\n",
			    table[i].id, what);
		t->bad++;
	}
}

static void
limbo_conformance(void **state)
{
	const struct json *cases, *root;
	struct arena a;
	struct tally t;
	const char *err = NULL;

	(void)state;
	memset(&t, 0, sizeof(t));
	if (!find_corpora()) {
		print_message("SKIPPED (no ../shared/corpora)\n");
		return;
	}
	arena_init(&a);
	root = load_limbo(&a);
	assert_non_null(root);
	cases = json_get(root, "testcases");
	if (cases == NULL || cases->type != JSON_ARRAY ||
	    cases->n > LIMBO_MAX_CASES)
		err = "no usable \"testcases\" array";
	for (size_t i = 0; err == NULL && i < cases->n; i++)
		err = one_case(&t, cases->items[i]);
	arena_release(&a);
	if (err != NULL)
		fail_msg("limbo.json: %s", err);
	unused_entries(&t, known, "known");
	unused_entries(&t, tls_only, "tls_only");
	print_message("limbo: %zu cases, %zu pass (%.1f%%), %zu known "
		      "disagreements\n", t.cases, t.pass,
		      t.cases ? 100.0 * (double)t.pass / (double)t.cases : 0.0,
		      t.known);
	print_message("limbo: not run: %zu webpki:: (browser rules), %zu "
		      "TLS-only; %zu without CRLs judged with revocation not "
		      "required (%zu TRY_LATER when it is)\n", t.webpki, t.tls,
		      t.synth, t.try_later);
	print_groups("limbo", known);
	print_groups("limbo not run", tls_only);
	assert_true(t.cases > 0);
	assert_int_equal(t.bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limbo_conformance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
