/*
 * fuzz_pki.h - the trust setup every fuzzing harness shares: a snapshot
 * of one `make fixtures` run (its root, issuing CA, one end-entity
 * certificate and the two CRLs), built in so that harnesses are
 * deterministic and need no files. The seed corpora that carry
 * signatures come from the same run, so their chains reach the anchor
 * and the revocation, timestamp and verdict code runs on them too.
 *
 * Fixtures are throw-away (fixtures/README.md): new ones do not change
 * these, and none of this is a secret (no keys).
 */
#ifndef TTE_FUZZ_PKI_H
#define TTE_FUZZ_PKI_H

#include <stdint.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "../../verifier/base/isotime.h"
#include "../../verifier/pki/pki_store.h"
#include "fuzz.h"

/* The validation time of that run (its build/fixtures/AT). */
#define FUZZ_AT_ISO "2026-12-26T23:51:19Z"

/* The content of docs/cms/valid-rsa2048-ts.txt of that run. */
#define FUZZ_CONTENT_RSA2048_TS \
	"PEMERINTAH PROVINSI NUSA TENGGARA TIMUR\n" \
	"Surat Keputusan Gubernur NTT nomor 1/KEP/DISKOMINFO/2026\n" \
	"tentang Penetapan Uji Coba Verifikasi Tanda Tangan Elektronik.\n" \
	"Ditetapkan di Kupang. Dokumen uji tteaudit, bukan dokumen resmi.\n"

static const char fuzz_pem_root[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIEYjCCAsqgAwIBAgIUbhHqfob/0s2eRqvnVyQBeDfTofswDQYJKoZIhvcNAQEL\n"
	"BQAwSTELMAkGA1UEBhMCSUQxFjAUBgNVBAoMDXR0ZWF1ZGl0IHRlc3QxIjAgBgNV\n"
	"BAMMGVRlc3QgUm9vdCBDQSBJbmRvbmVzaWEgRFMwHhcNMjUxMTI2MjM1MTE5WhcN\n"
	"NDYxMTI2MjM1MTE5WjBJMQswCQYDVQQGEwJJRDEWMBQGA1UECgwNdHRlYXVkaXQg\n"
	"dGVzdDEiMCAGA1UEAwwZVGVzdCBSb290IENBIEluZG9uZXNpYSBEUzCCAaIwDQYJ\n"
	"KoZIhvcNAQEBBQADggGPADCCAYoCggGBAKa0PwzoFfkHK5IEIqOf9A5NCkPyw90H\n"
	"BNchNm5RYVEXyFSigfApMQvNNNh8gXqW3oNe1vl/r/cttDUEQH/1m/4cznCOcrWU\n"
	"CZCZeTYveODPWfd/JapuvVN3VJ63XlSxmFW/CBUwKCOxbKLy/QIGlby1XDixHXF7\n"
	"HQwixEDiMFtMOpIU02CuTjY4+P8UXfpFzzPS7zb0EvyeREE/wLkPD/EIDTEZeUhd\n"
	"BDcUaFDeOpmoIA0txyqGIMnsHVS8OSKFRwvISmHxzKET98cRxSKHOCVmrGLwrfDF\n"
	"ArjdxDzc+gfkhXQXMYEZLq0lioHC1aBLFunj8/YjhOFle9Fd6jSQGgBqmL5q0kwR\n"
	"STgUo6XEFey1rxHULfwHd/M+OQLIE7prfka3/uFPYPb2Uq0jeLalpObo94oxxhsV\n"
	"hUTU3iGxc//pH9vIfuZkJAbbmNJ8HyQFzs3nTGiTRix8+dV9ALxNkt4Lo2fIeNOf\n"
	"cyH9kCaaFpCWJluH5ju6Ois15GkEiKEMtwIDAQABo0IwQDAPBgNVHRMBAf8EBTAD\n"
	"AQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUhcnfP/C6OikE1o69jg4/22qi\n"
	"kQkwDQYJKoZIhvcNAQELBQADggGBAKT8jeW6OMoNYuRkuRU3TrhDdCvDfc1CsZ9Y\n"
	"lpFSHpqjA6YTxUsGXck8e2mrZKT++shocesLMok2cyHWW4pakoQHc8KLbG0x/tUM\n"
	"0gjNjZporY2R2U6PlyQfgmMfKmeKK8Xh4HSvu1m5Iq4D+JmTCMmeCLTdECbChNN4\n"
	"vaHKqDDC4PHb8DQczeYAAQf5YXQqIL7/2oE70D4FvhEiTi1db1/ZFLAmWvcUKoiC\n"
	"qLvXVL70GaCNlQj7rwQlgRF+Q6tfdJDKpAA2I5tqxnFof0OugZCiET3/gUcsF3i9\n"
	"/v/liwvk+ivOo1VSp76hnWe1Ish5jbujnKViQLo7i5IEP3kHRX0s0TDUnqu4JWPM\n"
	"W9nObSxnmxGwjC4nkLe3E4uFOvgqwPqQYtcDV0SuxM9oHnrMTMA5jZ++qQ5EH0Px\n"
	"ZXfOoaMvk2+Zt2+2lSIEzwBsp3As/MxkeO6buIvgZfTb7AIf59jGAoY+CK170Kgo\n"
	"ci237U8qh9lPjNRJLhnbNoYGU7iVTg==\n"
	"-----END CERTIFICATE-----\n"
;

static const char fuzz_pem_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIEkzCCAvugAwIBAgIUUF+kAzA7KcLRHVE3q69XToIyjewwDQYJKoZIhvcNAQEL\n"
	"BQAwSTELMAkGA1UEBhMCSUQxFjAUBgNVBAoMDXR0ZWF1ZGl0IHRlc3QxIjAgBgNV\n"
	"BAMMGVRlc3QgUm9vdCBDQSBJbmRvbmVzaWEgRFMwHhcNMjUxMTI2MjM1MTE5WhcN\n"
	"MzYxMTI2MjM1MTE5WjBWMQswCQYDVQQGEwJJRDEqMCgGA1UECgwhQmFsYWkgU2Vy\n"
	"dGlmaWthc2kgRWxla3Ryb25payBURVNUMRswGQYDVQQDDBJUZXN0IEJTckUgQ0Eg\n"
	"RFMgRzEwggGiMA0GCSqGSIb3DQEBAQUAA4IBjwAwggGKAoIBgQDMVuq5hLWhWax3\n"
	"83JBBFOC14ZpNiRhoMZQINJ6+FsfOZDhCRXqCRTwX3URslS+uu9rQ9L8/QLdMrkj\n"
	"Da0HyRp6RTWG0o08PLlRoKHfZjIzSDvofVecRs0/viVk0Yeu+XhTweAsLC9L+aZP\n"
	"mmsJQDnJHC71/RxOfyvQY5v3cq+P+G1vEvmzgA2PPl3evS2TQqIM/2W0Yd/4vwuL\n"
	"y/k6aC/Yh/zYTB0C6m4iKU/Einx++f/x1sPdNwIxutR8PFNWiJMToVI13mzQDMsF\n"
	"hSgMTf2VpNmGJLQthJmat0Z9xN/r3KIiFy+/KDcepbA3Y1uOjkIxuP+ICxB6VROy\n"
	"BzbM52lcva0HtsNrjyRGOjc5wj6CPwzO5ZuecR0qUsodrX91FAUJCbiQ0xLzIAa9\n"
	"BVm+6hrPqveutC6aDm0q8T/AB/TEg5QbMwY8+/2GJM0sBBT7gKt7ksLr4pCfm4iu\n"
	"OegWKtDqAhdMrOPF5MBYWN+3+QOy/S69mFsbytTcddaPjGWNsF8CAwEAAaNmMGQw\n"
	"EgYDVR0TAQH/BAgwBgEB/wIBADAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFBVE\n"
	"T+W4bo+ATpn+iJq1sHlGpdcsMB8GA1UdIwQYMBaAFIXJ3z/wujopBNaOvY4OP9tq\n"
	"opEJMA0GCSqGSIb3DQEBCwUAA4IBgQAKSp4sZ0C0Dl1hjjsyWaT0KlB1g+RpwYQA\n"
	"dL0ljaOyseMW1i+edW2AcV0g959MO/hgBr41/NgREO5wkTLDswawm1+aocWIiIVK\n"
	"BaXgw2DEL32yl36CgUcEGcr1nHl+Aax/13ju+kvbPq6SlkFH1CbpuBMKQaWVdm7L\n"
	"fiTnaPzVGjGa/L9KjhL7sPEOIudduJQG+FVYYeCldVXjuWINxpCYkuHWwS7EDLXG\n"
	"pA/HpTYEhA1WVjDJKvnehsvDHRNwnu2mJgc4momu5tkZ7apI3n4ShAfmtjWHiGtB\n"
	"5cIZ/YTIdHYaNApGy8YZRMGoLGLr+6ZSTqB4f0pPZHzXLYDsGtxTndNjIA5H/h0s\n"
	"XPb2jpEMTd8dcyNeB2H2evsI1OmQR3G0kvYfFXwMuV+gAaQ3555zKtfYAIM8vflg\n"
	"KqNIrH0Z5/kYjRLX90IS/YyiSreG2+PXUH4xGwB65uHBc/1D8fC+KZSTovSC/ahd\n"
	"LUHJ9XSUgKGK2ZLV9iim025HrrIswv4=\n"
	"-----END CERTIFICATE-----\n"
;

static const char fuzz_pem_rsa2048[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIEnDCCAwSgAwIBAgIUS+xWC8IC+0Najgwqca/3a9EDOBowDQYJKoZIhvcNAQEL\n"
	"BQAwVjELMAkGA1UEBhMCSUQxKjAoBgNVBAoMIUJhbGFpIFNlcnRpZmlrYXNpIEVs\n"
	"ZWt0cm9uaWsgVEVTVDEbMBkGA1UEAwwSVGVzdCBCU3JFIENBIERTIEcxMB4XDTI2\n"
	"MTEyNTIzNTExOVoXDTI4MTEyNjIzNTExOVowfDELMAkGA1UEBhMCSUQxMDAuBgNV\n"
	"BAoMJ1BlbWVyaW50YWggUHJvdmluc2kgTnVzYSBUZW5nZ2FyYSBUaW11cjEpMCcG\n"
	"A1UECwwgRGluYXMgS29tdW5pa2FzaSBkYW4gSW5mb3JtYXRpa2ExEDAOBgNVBAMM\n"
	"B3JzYTIwNDgwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDiyfSouYAy\n"
	"BqLKBri3X+JuLcNW93LjLBLjXbJsg+wguF3L40gaRswVNG0Wi/OJxCjf9el41TGF\n"
	"9pQdpXCBfAyzb3Vtihm/HmJ6k9p3LHnrOA3V4Sm9h1KbpxRq2JqzcgtjXTx4aRQx\n"
	"Rp/e5duZYr4Fak7IfBpLCuc4C0lLF9ZLo3ZyXk1GSrRry0iszOQ2QE012heUAmaa\n"
	"7bio+zBhyVwhox+pgl5AcL+bT9oLDUOwPV5cd5otunCZHULEx33B4FEtf4mfFmuU\n"
	"fqMsxpTELQM80A0mJYDr6sxMd6yfTCxKMgtmBS1Ur35oXOrzt0Woe2TX7376BxCB\n"
	"crC8mtgdTlm1AgMBAAGjgbswgbgwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMC\n"
	"BsAwJgYDVR0gBB8wHTANBgtggmgBAQEDCwIAATAMBgpggmgBAQEFAQQDMB0GA1Ud\n"
	"DgQWBBRb5RO+RpUtT6f4WIc5xs1roZqWLDAfBgNVHSMEGDAWgBQVRE/luG6PgE6Z\n"
	"/oiatbB5RqXXLDAwBgNVHR8EKTAnMCWgI6Ahhh9odHRwOi8vY3JsLnR0ZWF1ZGl0\n"
	"LnRlc3QvY2EuY3JsMA0GCSqGSIb3DQEBCwUAA4IBgQAIPuGh2135zZq5toaBXeWN\n"
	"nGCN56konqg4KmJzZiclHB3Z145ZusSC8ehYfoos+En21+/q+lk415ejkFRCGXnB\n"
	"1Mcam86rF38dkOF2ijJg/CdBCr+ruTSID/BqXWY6MlQyOIJgLnKu2niIAJzK7V0x\n"
	"SNt7bfqjFID9iLT2IFtIIYMEJelPBK21Lupg2sPfW3PzZjT0maWxD/S2nEk08ls1\n"
	"T1Gd8NUB7bwV/F3msH2FMMrWVcc+Gyi4yduy4nhp95iWhP31UMJE4GsTiVCN07+p\n"
	"nFORFBMzwYSzoMALnFQjHIaMDfnhHLVCYns9gYsGTuCVgkBw8FAOF4N5Cc2zKIqo\n"
	"xqB3QhpvNGXdHjm5pUi96+75l3tpKW5P/jzKnHXol/MlG/ujkX6LTssUcEk7hOGZ\n"
	"C6vCkRBEp0H68YmdyAc56uzBFG0RkYyyk2yAaFo8r38u+9TyvEru5nFp4OfKiGve\n"
	"bmgMBHQ0cdWksVbPYkPGMqPWetrVpK3vE6QLguiSluo=\n"
	"-----END CERTIFICATE-----\n"
;

static const char fuzz_pem_root_crl[] =
	"-----BEGIN X509 CRL-----\n"
	"MIICRDCBrQIBATANBgkqhkiG9w0BAQsFADBJMQswCQYDVQQGEwJJRDEWMBQGA1UE\n"
	"CgwNdHRlYXVkaXQgdGVzdDEiMCAGA1UEAwwZVGVzdCBSb290IENBIEluZG9uZXNp\n"
	"YSBEUxcNMjYxMTI2MjM1MTI5WhcNMjcwMTI1MjM1MTI5WqAwMC4wHwYDVR0jBBgw\n"
	"FoAUhcnfP/C6OikE1o69jg4/22qikQkwCwYDVR0UBAQCAhAAMA0GCSqGSIb3DQEB\n"
	"CwUAA4IBgQAzy4H1zQdIJ8MN2OQ6u2Z43MnyOxO6P1pgRMTeYaL8gU3E/00RRyHR\n"
	"M2v2WkmDvYBgGyOkal6depNsPU3YiHUlREqiVahaggZ5mNlguaBWH2DURf6Diyb2\n"
	"ayGtHCmANx2Xxx6cF2OVISXEWhIS9wTyEyr8W1yqoPIAr5ZLNObtDtHUd22u5TYD\n"
	"TYmkXml0FvtWUUOeC64qoUK220jyG2nM/q0k1uwn3SsSKfURj7YfygMkpaY07uoI\n"
	"xCTy59freQo/D/KaJE2fSCAGR/l6yTBh9cyj7NxNjtZjiMy/9Ek1IBx59yeM9KvR\n"
	"s4/KFzBGIkoDQk/2RgNQErtLG93lY/ucMBBLZNJbxfqxcdeWf7e/y3dO9n4XhHeY\n"
	"5hZromtcbYjK3nc3L9QM8ddlgNk3PE2f00ZBYVr54KKSWw4dkY+s607Asv6pew50\n"
	"l37mXAVThwEzlDpCbV45rX4xQewMHoWQGh9gHIlFU+Y2Bj3FfKx0434dKX3F3JZy\n"
	"+R349ytkRr4=\n"
	"-----END X509 CRL-----\n"
;

static const char fuzz_pem_ca_crl[] =
	"-----BEGIN X509 CRL-----\n"
	"MIICvjCCASYCAQEwDQYJKoZIhvcNAQELBQAwVjELMAkGA1UEBhMCSUQxKjAoBgNV\n"
	"BAoMIUJhbGFpIFNlcnRpZmlrYXNpIEVsZWt0cm9uaWsgVEVTVDEbMBkGA1UEAwwS\n"
	"VGVzdCBCU3JFIENBIERTIEcxFw0yNjExMjYyMzUxMjlaFw0yNzAxMjUyMzUxMjla\n"
	"MGowMwIUS9bPdJNKKp4mTMsFvoK+GI07CLoXDTI2MTEyNjIzNTEyNFowDDAKBgNV\n"
	"HRUEAwoBATAzAhRZasALbVbhJSOyjJJdvEOncGu1whcNMjYxMTI2MjM1MTI4WjAM\n"
	"MAoGA1UdFQQDCgEBoDAwLjAfBgNVHSMEGDAWgBQVRE/luG6PgE6Z/oiatbB5RqXX\n"
	"LDALBgNVHRQEBAICEAAwDQYJKoZIhvcNAQELBQADggGBAJ8RJdGXJ35b7B7mi344\n"
	"XtRpwKNkaCOQd0N7yQdZhwpnnVd7Ac3W5lumWaPWYNz5J+pk47AyB0IzggnHqi1z\n"
	"hGuOPzUF7pE4Aam6hZ8TwdKbBi572ty2L9bJpcoYFF7SBE78XDxEh4SQbnL4hVP2\n"
	"Dp4uyAaJmGyUG9oyOPbNS83wrIcJ9KvU24oDc0GNm3g8qk9dhBFUks4UMn2uaC4U\n"
	"dnFgsIl2jBpplsOo6O8TD408s/MUR3AO4tfRC7qn7OQiDu246/bc+jjQ1jX3pJe5\n"
	"nNoHpcdvXlfWweMWRDKQjl2XUQaIbPMTy3kf0DnN8ELW2MLeoBCBu9lMekSvO5em\n"
	"rlEmJhFbxcC7Nuh8EdZ8Wa9XsFLekKIZaxVZgrQX5TZB5piq7pjUT4Nq2Mq9lZgb\n"
	"OIJfD0aDfoxgA4/Ech7TVg64UlTw+1XoUSIzXU2GShquIGmvoWcTMbHDK9JALeY7\n"
	"svbYuAn4cTHHJyouWSI44lJLsSEvIb1xWFbNAPozLEiB5w==\n"
	"-----END X509 CRL-----\n"
;

/* The first certificate of a PEM string above (owned by the caller), or
 * NULL. */
static inline X509 *
fuzz_x509(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	return x;
}

/* Adds the CRL in pem to s; returns 0, or -1. */
static inline int
fuzz_add_crl(struct pki_store *s, const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509_CRL *c = b != NULL ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)
				: NULL;

	BIO_free(b);
	if (c == NULL || !sk_X509_CRL_push(s->crls, c)) {
		X509_CRL_free(c);
		return -1;
	}
	return 0;
}

/* The store of a run with --trust root.pem --crl crl/: made on first use,
 * then shared and only read (as tte_engine's is), never freed (still
 * reachable at exit: not a leak). Aborts when it cannot be made: a
 * harness without its anchor would fuzz less and say nothing. */
static inline const struct pki_store *
fuzz_store(void)
{
	static struct pki_store *s;
	X509 *root;

	if (s != NULL)
		return s;
	s = pki_store_new();
	root = fuzz_x509(fuzz_pem_root);
	if (s == NULL || root == NULL || !sk_X509_push(s->anchors, root) ||
	    !X509_STORE_add_cert(s->x509_store, root) ||
	    fuzz_add_crl(s, fuzz_pem_root_crl) != 0 ||
	    fuzz_add_crl(s, fuzz_pem_ca_crl) != 0)
		abort();
	ERR_clear_error();
	return s;
}

/* FUZZ_AT_ISO in seconds since the epoch. */
static inline int64_t
fuzz_at(void)
{
	int64_t t = 0;

	if (isotime_parse(FUZZ_AT_ISO, &t) != 0)
		abort();
	return t;
}

#endif
