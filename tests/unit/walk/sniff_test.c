/* Tests for verifier/walk/sniff.c: every format, its edges, and inputs
 * too short to be anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/walk/sniff.h"

#define SNIFF(lit, name)                                                       \
	sniff_format((const uint8_t *)(lit), sizeof(lit) - 1, (name))

/* 30 <len> then id-signedData */
#define OID_SD "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"

static void
empty_and_tiny_inputs_are_unknown(void **state)
{
	(void)state;
	assert_int_equal(sniff_format(NULL, 0, NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(sniff_format((const uint8_t *)"", 0, "x.p7s"),
	                 TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("\x30", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("\x30\x82", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("\x30\x82\x01", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("P", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("PK", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("PK\x03", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("%PD", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("%PDF", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("M", "x.p7s"), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("\xef\xbb", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF(" \n\t", NULL), TTE_FMT_UNKNOWN);
}

static void
pdf_header_anywhere_in_first_kib(void **state)
{
	uint8_t buf[2048];

	(void)state;
	assert_int_equal(SNIFF("%PDF-", NULL), TTE_FMT_PDF);
	assert_int_equal(SNIFF("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a.p7s"),
	                 TTE_FMT_PDF);
	/* leading garbage is allowed within the first 1024 bytes */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 1024 - 5, "%PDF-", 5);
	assert_int_equal(sniff_format(buf, sizeof(buf), NULL), TTE_FMT_PDF);
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 1024 - 4, "%PDF-", 5);
	assert_int_equal(sniff_format(buf, sizeof(buf), NULL), TTE_FMT_UNKNOWN);
	/* header cut by the end of the input */
	assert_int_equal(sniff_format(buf, 1023, NULL), TTE_FMT_UNKNOWN);
}

static void
der_cms_with_every_length_form(void **state)
{
	(void)state;
	assert_int_equal(SNIFF("\x30\x0b" OID_SD, NULL), TTE_FMT_CMS);
	assert_int_equal(SNIFF("\x30\x81\x90" OID_SD "\xa0", NULL),
	                 TTE_FMT_CMS);
	assert_int_equal(SNIFF("\x30\x82\x05\x00" OID_SD "\xa0\x82", NULL),
	                 TTE_FMT_CMS);
	assert_int_equal(SNIFF("\x30\x84\x00\x01\x00\x00" OID_SD, NULL),
	                 TTE_FMT_CMS);
	/* BER indefinite length, as streaming CMS producers write */
	assert_int_equal(SNIFF("\x30\x80" OID_SD "\xa0\x80", NULL),
	                 TTE_FMT_CMS);
	/* a name does not turn DER into anything else */
	assert_int_equal(SNIFF("\x30\x80" OID_SD, "x.pdf"), TTE_FMT_CMS);
}

static void
der_that_is_not_signed_data(void **state)
{
	(void)state;
	/* id-data (1.2.840.113549.1.7.1) */
	assert_int_equal(
	    SNIFF("\x30\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", NULL),
	    TTE_FMT_UNKNOWN);
	/* OID cut short */
	assert_int_equal(
	    SNIFF("\x30\x82\x05\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01", NULL),
	    TTE_FMT_UNKNOWN);
	/* length octets cut short */
	assert_int_equal(SNIFF("\x30\x84\x00\x01", NULL), TTE_FMT_UNKNOWN);
	/* five length octets: no CMS needs them */
	assert_int_equal(SNIFF("\x30\x85\x00\x00\x01\x00\x00" OID_SD, NULL),
	                 TTE_FMT_UNKNOWN);
	/* a SET, not a SEQUENCE */
	assert_int_equal(SNIFF("\x31\x0b" OID_SD, NULL), TTE_FMT_UNKNOWN);
}

static void
attached_pdf_in_cms_is_cms(void **state)
{
	(void)state;
	/* eContent holding a PDF sits within the first 1024 bytes */
	assert_int_equal(SNIFF("\x30\x80" OID_SD "\xa0\x80\x30\x80\x02\x01"
	                       "\x01%PDF-1.4",
	                       "a.pdf.p7m"),
	                 TTE_FMT_CMS);
}

static void
pem_cms_all_three_labels(void **state)
{
	(void)state;
	assert_int_equal(SNIFF("-----BEGIN PKCS7-----\nMIIB\n", NULL),
	                 TTE_FMT_CMS);
	assert_int_equal(SNIFF("\r\n  -----BEGIN CMS-----\n", NULL),
	                 TTE_FMT_CMS);
	assert_int_equal(
	    SNIFF("\xef\xbb\xbf-----BEGIN PKCS #7 SIGNED DATA-----", NULL),
	    TTE_FMT_CMS);
	assert_int_equal(SNIFF("-----BEGIN CERTIFICATE-----\n", NULL),
	                 TTE_FMT_UNKNOWN);
	/* cut inside the label */
	assert_int_equal(SNIFF("-----BEGIN PKCS", NULL), TTE_FMT_UNKNOWN);
}

static void
base64_cms_only_with_a_telling_name(void **state)
{
	(void)state;
	assert_int_equal(SNIFF("MIIGzwYJKoZIhvcNAQcCoIIGwDCC", "a.p7s"),
	                 TTE_FMT_CMS);
	assert_int_equal(SNIFF("\nMIIGzwYJKoZIhvcNAQcC", "dir/A.P7M"),
	                 TTE_FMT_CMS);
	assert_int_equal(SNIFF("MIIGzwYJKoZIhvcNAQcC", "a.txt"),
	                 TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("MIIGzwYJKoZIhvcNAQcC", NULL), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("MIIGzwYJKoZIhvcNAQcC", "p7s"), TTE_FMT_UNKNOWN);
	assert_int_equal(SNIFF("hello", "a.p7s"), TTE_FMT_UNKNOWN);
}

static void
xml_with_bom_and_space(void **state)
{
	(void)state;
	assert_int_equal(SNIFF("<?xml version=\"1.0\"?><a/>", NULL),
	                 TTE_FMT_XML);
	assert_int_equal(SNIFF("\xef\xbb\xbf<?xml", NULL), TTE_FMT_XML);
	assert_int_equal(SNIFF("\n \t<ds:Signature>", NULL), TTE_FMT_XML);
	assert_int_equal(SNIFF("<", NULL), TTE_FMT_XML);
	/* XML that mentions a PDF header stays XML */
	assert_int_equal(SNIFF("<a>%PDF-1.7</a>", NULL), TTE_FMT_XML);
	assert_int_equal(SNIFF("\xef\xbb\xbf", NULL), TTE_FMT_UNKNOWN);
}

/* Builds a zip local header for name, stored or deflated, then data. */
static size_t
local_header(uint8_t *out, const char *name, int method, const char *data)
{
	size_t nl = strlen(name), dl = strlen(data);

	memset(out, 0, 30);
	memcpy(out, "PK\x03\x04", 4);
	out[4] = 20;
	out[8] = (uint8_t)method;
	out[18] = (uint8_t)dl;
	out[22] = (uint8_t)dl;
	out[26] = (uint8_t)nl;
	memcpy(out + 30, name, nl);
	memcpy(out + 30 + nl, data, dl);
	return 30 + nl + dl;
}

static void
zip_and_asic(void **state)
{
	uint8_t buf[256];
	size_t n;

	(void)state;
	assert_int_equal(SNIFF("PK\x03\x04", NULL), TTE_FMT_ZIP);
	/* the end of central directory alone: an empty archive */
	assert_int_equal(
	    SNIFF("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", NULL),
	    TTE_FMT_ZIP);
	n = local_header(buf, "mimetype", 0, "application/vnd.etsi.asic-e+zip");
	assert_int_equal(sniff_format(buf, n, NULL), TTE_FMT_ASIC);
	n = local_header(buf, "mimetype", 0, "application/vnd.etsi.asic-s+zip");
	assert_int_equal(sniff_format(buf, n, "x.zip"), TTE_FMT_ASIC);
	/* the media type's prefix is what counts; cut before its end: zip */
	assert_int_equal(sniff_format(buf, n - 6, NULL), TTE_FMT_ASIC);
	assert_int_equal(sniff_format(buf, n - 7, NULL), TTE_FMT_ZIP);
	assert_int_equal(sniff_format(buf, 30 + 7, NULL), TTE_FMT_ZIP);
	/* deflated mimetype: bytes are not readable here, so a plain zip */
	n = local_header(buf, "mimetype", 8, "application/vnd.etsi.asic-e+zip");
	assert_int_equal(sniff_format(buf, n, NULL), TTE_FMT_ZIP);
	/* another media type (ODF) */
	n = local_header(buf, "mimetype", 0,
	                 "application/vnd.oasis.opendocument.text");
	assert_int_equal(sniff_format(buf, n, NULL), TTE_FMT_ZIP);
	/* another first entry */
	n = local_header(buf, "mimetypf", 0, "application/vnd.etsi.asic-e+zip");
	assert_int_equal(sniff_format(buf, n, NULL), TTE_FMT_ZIP);
	/* header cut short */
	assert_int_equal(sniff_format(buf, 20, NULL), TTE_FMT_ZIP);
}

static void
format_names(void **state)
{
	(void)state;
	assert_string_equal(sniff_format_name(TTE_FMT_UNKNOWN), "unknown");
	assert_string_equal(sniff_format_name(TTE_FMT_PDF), "pdf");
	assert_string_equal(sniff_format_name(TTE_FMT_CMS), "cms");
	assert_string_equal(sniff_format_name(TTE_FMT_XML), "xml");
	assert_string_equal(sniff_format_name(TTE_FMT_ZIP), "zip");
	assert_string_equal(sniff_format_name(TTE_FMT_ASIC), "asic");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_and_tiny_inputs_are_unknown),
	    cmocka_unit_test(pdf_header_anywhere_in_first_kib),
	    cmocka_unit_test(der_cms_with_every_length_form),
	    cmocka_unit_test(der_that_is_not_signed_data),
	    cmocka_unit_test(attached_pdf_in_cms_is_cms),
	    cmocka_unit_test(pem_cms_all_three_labels),
	    cmocka_unit_test(base64_cms_only_with_a_telling_name),
	    cmocka_unit_test(xml_with_bom_and_space),
	    cmocka_unit_test(zip_and_asic),
	    cmocka_unit_test(format_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
