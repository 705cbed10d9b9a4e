/*
 * Tests for verifier/pki/pki_ocsp.c (and the OCSP side of pki_store.c)
 * over the fixture files (TTE_FIXTURES, made by `make fixtures`; see
 * fixtures/mkocsp.sh): the evidence recorded for CA-signed and delegated
 * responses, the problems of responses that fail a check, and the loader's
 * refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/pem.h>

#include "../../../verifier/base/isotime.h"
#include "../../../verifier/pki/pki_ocsp.h"
#include "../../../verifier/pki/pki_ossl.h"

#define CA_SUBJECT "CN=Test BSrE CA DS G1,O=Balai Sertifikasi Elektronik " \
		   "TEST,C=ID"
#define DAY 86400

static char fx[4096];
static char tmp[8192]; /* scratch folder of this run */
static X509 *ca, *root;
static struct arena arena;

static const char *
path(const char *rel)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s/%s", fx, rel);
	return buf;
}

static X509 *
cert(const char *name)
{
	char rel[256];
	FILE *f;
	X509 *x;

	snprintf(rel, sizeof(rel), "pki/%s.pem", name);
	f = fopen(path(rel), "r");
	assert_non_null(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

static unsigned char *
load(const char *rel, size_t *len)
{
	unsigned char *buf = NULL;
	struct diag d;

	diag_clear(&d);
	assert_int_equal(pki_ossl_read_file(path(rel), &buf, len, &d), TTE_OK);
	return buf;
}

static void
write_file(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	const char *env = getenv("TTE_FIXTURES");

	(void)state;
	snprintf(fx, sizeof(fx), "%s", env != NULL ? env : "build/fixtures");
	if (snprintf(tmp, sizeof(tmp), "%s/work/ocsp-test.XXXXXX", fx) >=
		    (int)sizeof(tmp) ||
	    mkdtemp(tmp) == NULL)
		return -1;
	ca = cert("ca");
	root = cert("root");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[8300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	X509_free(ca);
	X509_free(root);
	return system(cmd) == 0 ? 0 : -1;
}

static int
per_test_setup(void **state)
{
	(void)state;
	arena_init(&arena);
	return 0;
}

static int
per_test_teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

/* The store with the responses of rel (a file or folder). */
static struct pki_store *
store_of(const char *rel)
{
	struct pki_store *s = pki_store_new();
	struct diag d;

	assert_non_null(s);
	diag_clear(&d);
	assert_int_equal(pki_store_add_revocation(s, path(rel), &d), TTE_OK);
	return s;
}

/* The evidence the responses in rel give about pki/<name>.pem under
 * issuer; the count in *n. */
static struct tte_rev_ev *
evidence_of(const char *rel, const char *name, X509 *issuer, size_t *n)
{
	struct pki_store *s = store_of(rel);
	struct tte_cert *c = arena_alloc(&arena, sizeof(*c));
	X509 *x = cert(name);

	assert_non_null(c);
	pki_ocsp_evidence(s->ocsps, x, issuer, NULL, NULL, &arena, c);
	*n = 0;
	for (struct tte_rev_ev *e = c->rev_ev; e != NULL; e = e->next)
		(*n)++;
	X509_free(x);
	pki_store_free(s);
	return c->rev_ev;
}

static int64_t
at(void)
{
	char buf[64] = {0};
	FILE *f = fopen(path("AT"), "r");
	int64_t t = 0;

	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	assert_int_equal(isotime_parse(buf, &t), 0);
	return t;
}

static void
ca_signed_good(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp/rsa2048.ocsp", "rsa2048",
					   ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->kind, TTE_REVK_OCSP);
	assert_int_equal(e->status, TTE_RS_GOOD);
	assert_null(e->problem);
	assert_string_equal(e->source, "OCSP response by '" CA_SUBJECT "'");
	assert_true(e->issued > 0);
	assert_true(e->produced >= e->issued);
	/* -ndays 60 */
	assert_true(e->next_update - e->issued >= 60 * DAY - 5);
	assert_true(e->next_update - e->issued <= 60 * DAY + 5);
	assert_int_equal(e->revoked_at, 0);
	assert_null(e->reason);
}

static void
ca_signed_revoked(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp/revoked-before.ocsp",
					   "revoked-before", ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_REVOKED);
	assert_null(e->problem);
	assert_true(e->revoked_at > 0);
	assert_true(e->revoked_at <= e->issued);
	assert_string_equal(e->reason, "keyCompromise");
	assert_false(e->hold);
}

/* The CertID of ec256's response is hashed with SHA-256, not SHA-1. */
static void
sha256_certid(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp/ec256.ocsp", "ec256", ca,
					   &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_GOOD);
	assert_null(e->problem);
}

static void
delegated_with_eku(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp/rsa2048-delegated.ocsp",
					   "rsa2048", ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_GOOD);
	assert_null(e->problem);
	assert_string_equal(e->source, "OCSP response by 'CN=Test BSrE OCSP "
			    "Responder,O=Balai Sertifikasi Elektronik TEST,"
			    "C=ID' (delegated responder, "
			    "id-pkix-ocsp-nocheck)");
}

static void
delegated_without_eku(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp-bad/rsa2048-noeku.ocsp",
					   "rsa2048", ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_INVALID);
	assert_string_equal(e->problem, "the delegated responder 'CN=Test "
			    "BSrE OCSP Responder No EKU,O=Balai Sertifikasi "
			    "Elektronik TEST,C=ID' lacks id-kp-OCSPSigning "
			    "(RFC 6960 §4.2.2.2)");
	assert_true(e->issued > 0);
}

/* Says "revoked", names ca, but another key signed it: the claim must
 * not survive as a revocation. */
static void
wrong_key(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp-bad/rsa2048-wrongkey.ocsp",
					   "rsa2048", ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_INVALID);
	assert_string_equal(e->problem, "the response signature does not "
			    "verify with the key of the issuer '" CA_SUBJECT
			    "'");
	assert_int_equal(e->revoked_at, 0);
	assert_null(e->reason);
}

/* Stale is a fact for the verdict: nextUpdate is before AT. */
static void
stale_is_recorded(void **state)
{
	size_t n;
	struct tte_rev_ev *e = evidence_of("pki/ocsp-bad/rsa2048-stale.ocsp",
					   "rsa2048", ca, &n);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(e->status, TTE_RS_GOOD);
	assert_true(e->next_update > e->issued);
	assert_true(e->next_update < at());
}

static void
other_certificate_gives_nothing(void **state)
{
	size_t n;
	struct tte_rev_ev *e;

	(void)state;
	e = evidence_of("pki/ocsp/rsa2048.ocsp", "ec256", ca, &n);
	assert_int_equal(n, 0);
	assert_null(e);
	/* the right serial under another issuer: the CertID hashes differ */
	e = evidence_of("pki/ocsp/rsa2048.ocsp", "rsa2048", root, &n);
	assert_int_equal(n, 0);
	/* twin has rsa2048's key but another serial */
	e = evidence_of("pki/ocsp/rsa2048.ocsp", "twin", ca, &n);
	assert_int_equal(n, 0);
}

/* A folder: every response is kept, and each certificate is matched
 * only by its own. */
static void
folder_of_responses(void **state)
{
	struct pki_store *s = store_of("pki/ocsp");
	struct tte_cert *c = arena_alloc(&arena, sizeof(*c));
	X509 *x = cert("rsa2048");
	size_t n = 0;

	(void)state;
	assert_int_equal(sk_OCSP_BASICRESP_num(s->ocsps), 13);
	assert_int_equal(sk_X509_CRL_num(s->crls), 0);
	assert_int_equal(s->n_skipped, 0);
	pki_ocsp_evidence(s->ocsps, x, ca, NULL, NULL, &arena, c);
	for (struct tte_rev_ev *e = c->rev_ev; e != NULL; e = e->next) {
		assert_int_equal(e->status, TTE_RS_GOOD);
		n++;
	}
	assert_int_equal(n, 2); /* CA-signed and delegated */
	X509_free(x);
	pki_store_free(s);
}

/* A --crl folder may mix CRLs, OCSP responses (DER or PEM) and other
 * files; the others are counted, not fatal. */
static void
mixed_folder_and_pem(void **state)
{
	struct pki_store *s;
	unsigned char *crl, *resp;
	size_t crl_len, resp_len;
	char p[8400];
	BIO *b;
	FILE *f;

	(void)state;
	crl = load("pki/crl/ca.crl", &crl_len);
	resp = load("pki/ocsp/revoked-after.ocsp", &resp_len);
	snprintf(p, sizeof(p), "%s/mixed", tmp);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/mixed/ca.crl", tmp);
	write_file(p, crl, crl_len);
	snprintf(p, sizeof(p), "%s/mixed/a.ocsp", tmp);
	write_file(p, resp, resp_len);
	snprintf(p, sizeof(p), "%s/mixed/notes.txt", tmp);
	write_file(p, "not revocation data\n", 20);
	snprintf(p, sizeof(p), "%s/mixed/b.pem", tmp);
	f = fopen(p, "w");
	assert_non_null(f);
	b = BIO_new_fp(f, BIO_NOCLOSE);
	assert_true(PEM_write_bio(b, PEM_STRING_OCSP_RESPONSE, "", resp,
				  (long)resp_len) > 0);
	BIO_free(b);
	fclose(f);

	s = pki_store_new();
	{
		struct diag d;

		diag_clear(&d);
		snprintf(p, sizeof(p), "%s/mixed", tmp);
		assert_int_equal(pki_store_add_revocation(s, p, &d), TTE_OK);
	}
	assert_int_equal(sk_X509_CRL_num(s->crls), 1);
	assert_int_equal(sk_OCSP_BASICRESP_num(s->ocsps), 2);
	assert_int_equal(s->n_skipped, 1);
	pki_store_free(s);
	free(crl);
	free(resp);
}

/* Truncated, trailing-garbage, garbage and unsuccessful inputs are
 * refused, by the pool and by the store (a named file: an error). */
static void
loader_refuses_bad_input(void **state)
{
	/* OCSPResponse { responseStatus malformedRequest } */
	static const unsigned char unsuccessful[] = {0x30, 0x03, 0x0a, 0x01,
						     0x01};
	struct pki_pool *pool = pki_pool_new();
	struct pki_store *s = pki_store_new();
	unsigned char *resp, *longer, garbage[512];
	size_t len;
	char p[8400];
	struct diag d;

	(void)state;
	resp = load("pki/ocsp/rsa2048.ocsp", &len);
	assert_int_equal(pki_pool_add_ocsp(pool, resp, len), 0);
	assert_int_equal(pki_pool_add_ocsp(pool, resp, len / 2), -1);
	assert_int_equal(pki_pool_add_ocsp(pool, resp, len - 1), -1);
	assert_int_equal(pki_pool_add_ocsp(pool, resp, 0), -1);
	longer = malloc(len + 1);
	assert_non_null(longer);
	memcpy(longer, resp, len);
	longer[len] = 0;
	assert_int_equal(pki_pool_add_ocsp(pool, longer, len + 1), -1);
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(i * 7 + 0x31);
	assert_int_equal(pki_pool_add_ocsp(pool, garbage, sizeof(garbage)),
			 -1);
	assert_int_equal(pki_pool_add_ocsp(pool, unsuccessful,
					   sizeof(unsuccessful)), -1);
	assert_null(pki_ocsp_load(unsuccessful, sizeof(unsuccessful)));
	/* a CRL is not an OCSP response */
	free(longer);
	longer = load("pki/crl-bad/ca-wrongkey.crl", &len);
	assert_int_equal(pki_pool_add_ocsp(pool, longer, len), -1);
	assert_int_equal(sk_OCSP_BASICRESP_num(pool->ocsps), 1);

	snprintf(p, sizeof(p), "%s/truncated.ocsp", tmp);
	write_file(p, resp, 100);
	diag_clear(&d);
	assert_int_equal(pki_store_add_revocation(s, p, &d), TTE_E_MALFORMED);
	assert_non_null(strstr(d.msg, "no CRL or OCSP response found in"));
	snprintf(p, sizeof(p), "%s/garbage.ocsp", tmp);
	write_file(p, garbage, sizeof(garbage));
	diag_clear(&d);
	assert_int_equal(pki_store_add_revocation(s, p, &d), TTE_E_MALFORMED);
	assert_int_equal(sk_OCSP_BASICRESP_num(s->ocsps), 0);
	free(resp);
	free(longer);
	pki_store_free(s);
	pki_pool_free(pool);
}

/* The delegated responder's certificate need not be in the response: it
 * may come from the signature (untrusted). Without it anywhere, the
 * response is INVALID, with the responder named. */
static void
delegated_responder_from_untrusted(void **state)
{
	struct pki_store *s = store_of("pki/ocsp/rsa2048-delegated.ocsp");
	struct tte_cert *c = arena_alloc(&arena, sizeof(*c));
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	STACK_OF(X509) *certs;
	X509 *x = cert("rsa2048");

	(void)state;
	/* The signature covers tbsResponseData only: dropping the certs
	 * leaves it valid. The cast is test-only surgery. */
	certs = (STACK_OF(X509) *)OCSP_resp_get0_certs(
		sk_OCSP_BASICRESP_value(s->ocsps, 0));
	while (sk_X509_num(certs) > 0)
		X509_free(sk_X509_pop(certs));
	pki_ocsp_evidence(s->ocsps, x, ca, NULL, NULL, &arena, c);
	assert_non_null(c->rev_ev);
	assert_int_equal(c->rev_ev->status, TTE_RS_INVALID);
	assert_string_equal(c->rev_ev->problem, "the responder 'CN=Test BSrE "
			    "OCSP Responder,O=Balai Sertifikasi Elektronik "
			    "TEST,C=ID' is neither the issuer '" CA_SUBJECT
			    "' nor a certificate in the response or the "
			    "signature");

	c = arena_alloc(&arena, sizeof(*c));
	assert_non_null(untrusted);
	assert_true(sk_X509_push(untrusted, cert("ca-impostor")));
	assert_true(sk_X509_push(untrusted, cert("ocsp-responder")));
	pki_ocsp_evidence(s->ocsps, x, ca, untrusted, NULL, &arena, c);
	assert_non_null(c->rev_ev);
	assert_int_equal(c->rev_ev->status, TTE_RS_GOOD);
	assert_null(c->rev_ev->problem);
	assert_null(c->rev_ev->next);
	sk_X509_pop_free(untrusted, X509_free);
	X509_free(x);
	pki_store_free(s);
}

/* pki/revinfo/rsa2048.p7m carries revocation data in all three CMS
 * places (fixtures/mkocsp.sh): 2 distinct CRLs, 3 responses. */
static void
collect_cms_every_place(void **state)
{
	unsigned char *buf;
	const unsigned char *p;
	size_t len;
	CMS_ContentInfo *cms;
	struct pki_pool *pool = pki_pool_new();
	struct tte_cert *c = arena_alloc(&arena, sizeof(*c));
	X509 *x = cert("rsa2048"), *tsa = cert("tsa");
	size_t n = 0;

	(void)state;
	buf = load("pki/revinfo/rsa2048.p7m", &len);
	p = buf;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	assert_non_null(cms);
	pki_ocsp_collect_cms(cms, sk_CMS_SignerInfo_value(
					  CMS_get0_SignerInfos(cms), 0), pool);
	assert_int_equal(sk_X509_CRL_num(pool->crls), 2);
	assert_int_equal(sk_OCSP_BASICRESP_num(pool->ocsps), 3);
	pki_ocsp_evidence(pool->ocsps, x, ca, NULL, NULL, &arena, c);
	for (struct tte_rev_ev *e = c->rev_ev; e != NULL; e = e->next) {
		assert_int_equal(e->status, TTE_RS_GOOD);
		n++;
	}
	assert_int_equal(n, 2); /* the `other` choice and revocationValues */
	c = arena_alloc(&arena, sizeof(*c));
	pki_ocsp_evidence(pool->ocsps, tsa, ca, NULL, NULL, &arena, c);
	assert_non_null(c->rev_ev); /* from adbe-revocationInfoArchival */
	assert_int_equal(c->rev_ev->status, TTE_RS_GOOD);
	assert_null(c->rev_ev->next);

	/* Collecting again adds nothing: every item is already there. */
	pki_ocsp_collect_cms(cms, sk_CMS_SignerInfo_value(
					  CMS_get0_SignerInfos(cms), 0), pool);
	assert_int_equal(sk_X509_CRL_num(pool->crls), 2);
	assert_int_equal(sk_OCSP_BASICRESP_num(pool->ocsps), 3);
	/* Without the SignerInfo, only the SignedData crls field. */
	pki_pool_free(pool);
	pool = pki_pool_new();
	pki_ocsp_collect_cms(cms, NULL, pool);
	assert_int_equal(sk_X509_CRL_num(pool->crls), 1);
	assert_int_equal(sk_OCSP_BASICRESP_num(pool->ocsps), 1);
	CMS_ContentInfo_free(cms);
	free(buf);
	X509_free(x);
	X509_free(tsa);
	pki_pool_free(pool);
}

static void
collect_cms_without_revocation_data(void **state)
{
	unsigned char *buf;
	const unsigned char *p;
	size_t len;
	CMS_ContentInfo *cms;
	struct pki_pool *pool = pki_pool_new();

	(void)state;
	buf = load("docs/cms/valid-ec256-ts.p7m", &len);
	p = buf;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	assert_non_null(cms);
	pki_ocsp_collect_cms(cms, sk_CMS_SignerInfo_value(
					  CMS_get0_SignerInfos(cms), 0), pool);
	assert_int_equal(sk_X509_CRL_num(pool->crls), 0);
	assert_int_equal(sk_OCSP_BASICRESP_num(pool->ocsps), 0);
	CMS_ContentInfo_free(cms);
	free(buf);
	pki_pool_free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ca_signed_good, per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(ca_signed_revoked,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(sha256_certid, per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(delegated_with_eku,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(delegated_without_eku,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(wrong_key, per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(stale_is_recorded,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(other_certificate_gives_nothing,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(folder_of_responses,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(mixed_folder_and_pem,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(loader_refuses_bad_input,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(
			delegated_responder_from_untrusted, per_test_setup,
			per_test_teardown),
		cmocka_unit_test_setup_teardown(collect_cms_every_place,
						per_test_setup,
						per_test_teardown),
		cmocka_unit_test_setup_teardown(
			collect_cms_without_revocation_data, per_test_setup,
			per_test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
