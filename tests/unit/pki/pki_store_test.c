/* Tests for verifier/pki/pki_store.c: anchors and CRLs from files and
 * folders, in PEM and DER, and the errors for unusable paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/pki/pki_store.h"

static char fx[4096];

static const char *
path(const char *rel)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "%s/%s", fx, rel);
	return buf;
}

static int
setup(void **state)
{
	const char *env = getenv("TTE_FIXTURES");

	(void)state;
	snprintf(fx, sizeof(fx), "%s", env != NULL ? env : "build/fixtures");
	return 0;
}

static void
loads_pem_and_der_anchors(void **state)
{
	struct pki_store *s = pki_store_new();
	struct diag d;
	char cmd[20000], ca[8192], der[8192];

	(void)state;
	diag_clear(&d);
	assert_int_equal(pki_store_add_trust(s, path("pki/trust/root.pem"), &d),
			 TTE_OK);
	assert_int_equal(sk_X509_num(s->anchors), 1);
	snprintf(ca, sizeof(ca), "%s", path("pki/ca.pem"));
	snprintf(der, sizeof(der), "%s", path("work/ca-anchor.der"));
	snprintf(cmd, sizeof(cmd), "openssl x509 -in '%s' -outform DER -out "
		 "'%s' 2>/dev/null", ca, der);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(pki_store_add_trust(s, der, &d), TTE_OK);
	assert_int_equal(sk_X509_num(s->anchors), 2);
	pki_store_free(s);
}

static void
loads_crl_folder(void **state)
{
	struct pki_store *s = pki_store_new();
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(pki_store_add_revocation(s, path("pki/crl"), &d),
			 TTE_OK);
	assert_int_equal(sk_X509_CRL_num(s->crls), 2);
	pki_store_free(s);
}

static void
unusable_paths_are_errors(void **state)
{
	struct pki_store *s = pki_store_new();
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(pki_store_add_trust(s, path("nope.pem"), &d),
			 TTE_E_IO);
	assert_non_null(strstr(d.msg, "nope.pem"));
	diag_clear(&d);
	/* A CRL is not a certificate, a key is not a CRL. */
	assert_int_equal(pki_store_add_trust(s, path("pki/crl/ca.crl"), &d),
			 TTE_E_MALFORMED);
	diag_clear(&d);
	assert_int_equal(pki_store_add_revocation(s, path("pki/ca.key"), &d),
			 TTE_E_MALFORMED);
	assert_int_equal(sk_X509_num(s->anchors), 0);
	pki_store_free(s);
	pki_store_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_pem_and_der_anchors),
		cmocka_unit_test(loads_crl_folder),
		cmocka_unit_test(unusable_paths_are_errors),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
