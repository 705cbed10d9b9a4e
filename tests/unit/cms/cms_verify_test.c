/*
 * Tests for verifier/cms/cms_verify.c over the fixture documents
 * (TTE_FIXTURES, made by `make fixtures`): the facts recorded for each
 * case, and the exact error for inputs that are not CMS at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/cms/cms_verify.h"
#include "../../../verifier/pki/pki_ossl.h"

static struct pki_store *store;
static char fx[4096];

static unsigned char *
load(const char *rel, size_t *len)
{
	char path[8192];
	unsigned char *buf = NULL;
	struct diag d;

	snprintf(path, sizeof(path), "%s/%s", fx, rel);
	diag_clear(&d);
	assert_int_equal(pki_ossl_read_file(path, &buf, len, &d), TTE_OK);
	return buf;
}

static int
setup(void **state)
{
	const char *env = getenv("TTE_FIXTURES");
	char path[8192];
	struct diag d;

	(void)state;
	snprintf(fx, sizeof(fx), "%s", env != NULL ? env : "build/fixtures");
	store = pki_store_new();
	diag_clear(&d);
	snprintf(path, sizeof(path), "%s/pki/trust/root.pem", fx);
	if (pki_store_add_trust(store, path, &d) != TTE_OK)
		return -1;
	snprintf(path, sizeof(path), "%s/pki/crl", fx);
	if (pki_store_add_revocation(store, path, &d) != TTE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pki_store_free(store);
	return 0;
}

struct content {
	const char *rel;
};

static tte_err
load_content(void *arg, uint8_t **data, size_t *len, struct diag *d)
{
	const struct content *c = arg;
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", fx, c->rel);
	return pki_ossl_read_file(path, data, len, d);
}

/* Verifies rel (with detached content from content_rel, may be NULL). */
static struct tte_doc *
verify(const char *rel, const char *content_rel, tte_err want)
{
	struct tte_doc *doc = tte_doc_new(rel, TTE_FMT_CMS);
	struct content c = {content_rel};
	struct cms_content_src src = {load_content, &c};
	unsigned char *buf;
	size_t len;
	struct diag d;

	buf = load(rel, &len);
	diag_clear(&d);
	assert_int_equal(cms_verify(doc, store, buf, len,
				    content_rel ? &src : NULL, &d), want);
	free(buf);
	return doc;
}

static void
attached_with_timestamp(void **state)
{
	struct tte_doc *doc = verify("docs/cms/valid-ec256-ts.p7m", NULL, TTE_OK);
	struct tte_sig *s = doc->sigs;

	(void)state;
	assert_int_equal(doc->n_sigs, 1);
	assert_int_equal(s->hash, TTE_CHECK_OK);
	assert_int_equal(s->signature, TTE_CHECK_OK);
	assert_int_equal(s->ess, TTE_CHECK_OK);
	assert_int_equal(s->content_type, TTE_CHECK_OK);
	assert_int_equal(s->chain_status, TTE_CHAIN_FOUND);
	assert_string_equal(s->chain->key_type, "EC");
	assert_true(s->chain->next->next->is_anchor);
	assert_non_null(s->timestamp);
	assert_int_equal(s->timestamp->imprint, TTE_CHECK_OK);
	assert_int_equal(s->timestamp->signature, TTE_CHECK_OK);
	assert_true(s->timestamp->chain->eku_timestamping);
	assert_true(s->timestamp->chain->eku_critical);
	assert_true(s->timestamp->ts_time > 0);
	assert_true(s->has_signing_time);
	tte_doc_free(doc);
}

static void
pem_input(void **state)
{
	struct tte_doc *doc = verify("docs/cms/valid-pem-ts.p7m", NULL, TTE_OK);

	(void)state;
	assert_int_equal(doc->sigs->signature, TTE_CHECK_OK);
	assert_int_equal(doc->sigs->hash, TTE_CHECK_OK);
	tte_doc_free(doc);
}

static void
detached_content_found_and_altered(void **state)
{
	struct tte_doc *doc;

	(void)state;
	doc = verify("docs/cms/valid-rsa2048.pdf.p7s", "docs/cms/valid-rsa2048.pdf",
		     TTE_OK);
	assert_int_equal(doc->sigs->hash, TTE_CHECK_OK);
	assert_int_equal(doc->sigs->content_missing, 0);
	tte_doc_free(doc);
	doc = verify("docs/tamper/content-flip.txt.p7s",
		     "docs/tamper/content-flip.txt", TTE_OK);
	assert_int_equal(doc->sigs->hash, TTE_CHECK_FAILED);
	tte_doc_free(doc);
	doc = verify("docs/bad/missing-content.txt.p7s", NULL, TTE_OK);
	assert_int_equal(doc->sigs->content_missing, 1);
	assert_int_equal(doc->sigs->hash, TTE_CHECK_NOT_DONE);
	tte_doc_free(doc);
}

static void
tampering_is_recorded_as_facts(void **state)
{
	struct tte_doc *doc;

	(void)state;
	doc = verify("docs/tamper/sig-flip.txt.p7s", "docs/tamper/sig-flip.txt",
		     TTE_OK);
	assert_int_equal(doc->sigs->hash, TTE_CHECK_OK);
	assert_int_equal(doc->sigs->signature, TTE_CHECK_FAILED);
	tte_doc_free(doc);
	doc = verify("docs/tamper/cert-swap.txt.p7s",
		     "docs/tamper/cert-swap.txt", TTE_OK);
	assert_int_equal(doc->sigs->signature, TTE_CHECK_OK); /* same key */
	assert_int_equal(doc->sigs->ess, TTE_CHECK_FAILED);
	tte_doc_free(doc);
	doc = verify("docs/tamper/ts-imprint.txt.p7s",
		     "docs/tamper/ts-imprint.txt", TTE_OK);
	assert_int_equal(doc->sigs->signature, TTE_CHECK_OK);
	assert_int_equal(doc->sigs->timestamp->imprint, TTE_CHECK_FAILED);
	tte_doc_free(doc);
	doc = verify("docs/cms/revoked-before-ts.txt.p7s",
		     "docs/cms/revoked-before-ts.txt", TTE_OK);
	{
		const struct tte_rev_ev *ev = doc->sigs->chain->rev_ev;

		assert_non_null(ev);
		assert_int_equal(ev->kind, TTE_REVK_CRL);
		assert_int_equal(ev->status, TTE_RS_REVOKED);
		assert_string_equal(ev->reason, "keyCompromise");
		assert_true(ev->revoked_at < doc->sigs->timestamp->ts_time);
		assert_true(ev->issued > doc->sigs->timestamp->ts_time);
	}
	tte_doc_free(doc);
	doc = verify("docs/cms/untrusted.txt.p7s", "docs/cms/untrusted.txt",
		     TTE_OK);
	assert_int_equal(doc->sigs->chain_status, TTE_CHAIN_NO_ANCHOR);
	tte_doc_free(doc);
}

static void
not_cms_inputs_are_errors(void **state)
{
	static const uint8_t cert_like[] = {0x30, 0x03, 0x02, 0x01, 0x01};
	struct tte_doc *doc = tte_doc_new("x", TTE_FMT_CMS);
	unsigned char *buf, *padded;
	size_t len;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(cms_verify(doc, store, cert_like, sizeof(cert_like),
				    NULL, &d), TTE_E_MALFORMED);
	diag_clear(&d);
	assert_int_equal(cms_verify(doc, store, cert_like, 0, NULL, &d),
			 TTE_E_MALFORMED);
	buf = load("docs/bad/truncated.p7m", &len);
	diag_clear(&d);
	assert_int_equal(cms_verify(doc, store, buf, len, NULL, &d),
			 TTE_E_MALFORMED);
	assert_non_null(strstr(d.msg, "cannot parse CMS"));
	free(buf);
	assert_int_equal(doc->n_sigs, 0);
	tte_doc_free(doc);

	/* Trailing bytes are reported, and the signature still checked. */
	buf = load("docs/cms/valid-ec256-ts.p7m", &len);
	padded = calloc(1, len + 3);
	memcpy(padded, buf, len);
	doc = tte_doc_new("padded", TTE_FMT_CMS);
	diag_clear(&d);
	assert_int_equal(cms_verify(doc, store, padded, len + 3, NULL, &d),
			 TTE_OK);
	assert_int_equal(doc->errors.count, 1);
	assert_non_null(strstr(doc->errors.head->text, "3 bytes after"));
	assert_int_equal(doc->sigs->signature, TTE_CHECK_OK);
	tte_doc_free(doc);
	free(padded);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attached_with_timestamp),
		cmocka_unit_test(pem_input),
		cmocka_unit_test(detached_content_found_and_altered),
		cmocka_unit_test(tampering_is_recorded_as_facts),
		cmocka_unit_test(not_cms_inputs_are_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
