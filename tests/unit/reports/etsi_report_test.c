/*
 * Tests for reports/etsi_report.c: results made by hand go through the
 * writer, and what comes out must validate against the ETSI TS 119 102-2
 * schema in policy/etsi/ (with libxml2, as the issue asks) and say what
 * the results said.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "../../../reports/etsi_report.h"
#include "../../../verifier/base/isotime.h"

#ifndef TTE_POLICY_DIR
#define TTE_POLICY_DIR "policy"
#endif
#define SCHEMA TTE_POLICY_DIR "/etsi/1910202xmlSchema.xsd"

#define NS_VR "http://uri.etsi.org/19102/v1.2.1#"
#define NS_DS "http://www.w3.org/2000/09/xmldsig#"

/* Made-up SHA-256 values of four certificates. */
#define SHA_ROOT                                                               \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define SHA_CA                                                                 \
	"1111111111111111111111111111111111111111111111111111111111111111"
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static xmlSchemaPtr schema;
static int64_t T0;

/* ---- building results ---- */

static struct tte_cert *
cert(struct tte_doc *doc, const char *subject, const char *sha,
     struct tte_cert *next)
{
	struct tte_cert *c = arena_alloc(&doc->arena, sizeof(*c));

	assert_non_null(c);
	c->subject = subject;
	c->sha256 = sha;
	c->next = next;
	c->is_anchor = next == NULL;
	return c;
}

/* signer -> CA -> root (a trust anchor), the CA and root shared. */
static struct tte_cert *
chain(struct tte_doc *doc, const char *subject, const char *sha)
{
	struct tte_cert *root = cert(doc, "CN=Root", SHA_ROOT, NULL);
	struct tte_cert *ca = cert(doc, "CN=CA,O=BSrE", SHA_CA, root);

	return cert(doc, subject, sha, ca);
}

static struct tte_doc *
passed_doc(void)
{
	struct tte_doc *doc = tte_doc_new("dir/a.pdf", TTE_FMT_PDF);
	struct tte_sig *s;

	assert_non_null(doc);
	doc->policy_name = "bsre-default";
	s = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
	assert_non_null(s);
	s->indication = TTE_IND_TOTAL_PASSED;
	s->chain = chain(doc, "CN=Signer A,O=Pemprov", SHA_A);
	s->chain_status = TTE_CHAIN_FOUND;
	s->has_signing_time = 1;
	s->signing_time = T0 - 60;
	s->best_signature_time = T0;
	s->best_signature_time_source = "from the signature timestamp";
	tte_notes_add(&s->reasons, &doc->arena, "the signature verifies");
	tte_constraint_add(&s->constraints, &doc->arena, "signer.policy-oids",
			   TTE_LEVEL_FAIL, TTE_CST_PASSED, "policy OID found");
	tte_constraint_add(&s->constraints, &doc->arena, "signature.level",
			   TTE_LEVEL_WARN, TTE_CST_PASSED, "level %s",
			   "PAdES-B-T");
	tte_constraint_add(&doc->constraints, &doc->arena, "pdf.statement",
			   TTE_LEVEL_WARN, TTE_CST_PASSED, "statement found");
	return doc;
}

static struct tte_doc *
failed_doc(void)
{
	struct tte_doc *doc = tte_doc_new("b.p7s", TTE_FMT_CMS);
	struct tte_sig *s;

	assert_non_null(doc);
	s = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
	assert_non_null(s);
	s->indication = TTE_IND_TOTAL_FAILED;
	s->sub = TTE_SUB_HASH_FAILURE;
	s->hash = TTE_CHECK_FAILED;
	s->chain = chain(doc, "CN=Signer B", SHA_B);
	s->chain_status = TTE_CHAIN_FOUND;
	tte_notes_add(&s->reasons, &doc->arena, "the content was changed");
	tte_constraint_add(&s->constraints, &doc->arena, "signer.key-size",
			   TTE_LEVEL_FAIL, TTE_CST_FAILED, "RSA 1024 < 2048");
	tte_constraint_add(&s->constraints, &doc->arena, "revocation.max-age",
			   TTE_LEVEL_WARN, TTE_CST_SKIPPED,
			   "no revocation data");
	return doc;
}

/* An indeterminate signature without a certificate, and a document
 * timestamp. */
static struct tte_doc *
indeterminate_doc(void)
{
	struct tte_doc *doc = tte_doc_new("c.pdf", TTE_FMT_PDF);
	struct tte_sig *s, *ts;

	assert_non_null(doc);
	s = tte_doc_add_sig(doc, TTE_KIND_SIGNATURE);
	ts = tte_doc_add_sig(doc, TTE_KIND_DOC_TIMESTAMP);
	assert_non_null(s);
	assert_non_null(ts);
	s->indication = TTE_IND_INDETERMINATE;
	s->sub = TTE_SUB_NO_SIGNING_CERTIFICATE_FOUND;
	tte_notes_add(&s->reasons, &doc->arena, "no signer certificate");
	ts->indication = TTE_IND_TOTAL_PASSED;
	ts->chain = chain(doc, "CN=TSA", SHA_A); /* reuses a certificate */
	ts->best_signature_time = T0 + 3600;
	return doc;
}

static struct tte_doc *
unsigned_doc(void)
{
	struct tte_doc *doc = tte_doc_new("d.pdf", TTE_FMT_PDF);

	assert_non_null(doc);
	doc->sub = TTE_SUB_SIGNED_DATA_NOT_FOUND;
	tte_constraint_add(&doc->constraints, &doc->arena, "document.unsigned",
			   TTE_LEVEL_WARN, TTE_CST_FAILED,
			   "the document is not signed");
	return doc;
}

static struct tte_doc *
unreadable_doc(void)
{
	struct tte_doc *doc = tte_doc_new("e.zip!x.pdf", TTE_FMT_UNKNOWN);

	assert_non_null(doc);
	tte_doc_error(doc, "cannot read xref at offset %d", 1234);
	return doc;
}

/* ---- running the writer and reading its output ---- */

struct out {
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
};

/* Writes docs (freeing them) through one report and parses it. */
static void
run(struct out *o, struct tte_doc **docs, size_t n)
{
	FILE *f = tmpfile();
	struct etsi_report *r;
	char *text;
	long len;

	assert_non_null(f);
	r = etsi_report_begin(f, "bsre-default", T0 + 86400);
	assert_non_null(r);
	for (size_t i = 0; i < n; i++) {
		etsi_report_doc(r, docs[i]);
		tte_doc_free(docs[i]); /* the writer keeps no pointer */
	}
	assert_int_equal(etsi_report_end(r), 0);
	len = ftell(f);
	assert_true(len > 0);
	text = malloc((size_t)len);
	assert_non_null(text);
	rewind(f);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	o->doc = xmlReadMemory(text, (int)len, "report.xml", NULL,
			       XML_PARSE_NONET);
	free(text);
	assert_non_null(o->doc);
	o->xp = xmlXPathNewContext(o->doc);
	assert_non_null(o->xp);
	xmlXPathRegisterNs(o->xp, (const xmlChar *)"vr",
			   (const xmlChar *)NS_VR);
	xmlXPathRegisterNs(o->xp, (const xmlChar *)"ds",
			   (const xmlChar *)NS_DS);
}

static void
out_free(struct out *o)
{
	xmlXPathFreeContext(o->xp);
	xmlFreeDoc(o->doc);
}

static void
count_error(void *arg, xmlErrorPtr err)
{
	(void)err;
	(*(int *)arg)++;
}

/* 0 when doc is valid against the ETSI schema. */
static int
validate(xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
	int errors = 0, rc;

	assert_non_null(v);
	xmlSchemaSetValidStructuredErrors(v, count_error, &errors);
	rc = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	return rc != 0 ? rc : errors;
}

static double
number(struct out *o, const char *expr)
{
	xmlXPathObjectPtr x =
		xmlXPathEvalExpression((const xmlChar *)expr, o->xp);
	double d;

	assert_non_null(x);
	d = xmlXPathCastToNumber(x);
	xmlXPathFreeObject(x);
	return d;
}

/* The string value of expr, compared with want. */
static void
assert_xpath_str(struct out *o, const char *expr, const char *want)
{
	xmlXPathObjectPtr x =
		xmlXPathEvalExpression((const xmlChar *)expr, o->xp);
	xmlChar *s;

	assert_non_null(x);
	s = xmlXPathCastToString(x);
	assert_non_null(s);
	if (strcmp((const char *)s, want) != 0)
		fail_msg("%s is '%s', not '%s'", expr, (const char *)s, want);
	xmlFree(s);
	xmlXPathFreeObject(x);
}

/* Every VOReference names one vr:ValidationObject (libxml2's schema
 * validation does not check xs:IDREFS). */
static void
assert_references_resolve(struct out *o)
{
	xmlXPathObjectPtr x = xmlXPathEvalExpression(
		(const xmlChar *)"//@VOReference", o->xp);
	char expr[256];

	assert_non_null(x);
	assert_non_null(x->nodesetval);
	assert_true(x->nodesetval->nodeNr > 0);
	for (int i = 0; i < x->nodesetval->nodeNr; i++) {
		xmlChar *id = xmlNodeGetContent(x->nodesetval->nodeTab[i]);

		assert_non_null(id);
		snprintf(expr, sizeof(expr),
			 "count(//vr:ValidationObject[@id='%s'])",
			 (const char *)id);
		if (number(o, expr) != 1)
			fail_msg("VOReference '%s' names no validation object",
				 (const char *)id);
		xmlFree(id);
	}
	xmlXPathFreeObject(x);
}

/* ---- tests ---- */

#define REPORT(n) "//vr:SignatureValidationReport[" #n "]"
#define DAID(n) REPORT(n) "/vr:SignatureIdentifier/vr:DAIdentifier"
#define COUNT_VC(n) "count(" REPORT(n) "//vr:ValidationConstraint)"

static void
test_results_validate(void **state)
{
	struct tte_doc *docs[5];
	struct out o;

	(void)state;
	docs[0] = passed_doc();
	docs[1] = failed_doc();
	docs[2] = indeterminate_doc();
	docs[3] = unsigned_doc();
	docs[4] = unreadable_doc();
	run(&o, docs, 5);
	assert_int_equal(validate(o.doc), 0);

	/* One report per signature, one per unsigned document. */
	assert_true(number(&o, "count(//vr:SignatureValidationReport)") == 6);
	assert_xpath_str(&o, REPORT(1) "/vr:SignatureValidationStatus/"
				     "vr:MainIndication",
			 "urn:etsi:019102:mainindication:total-passed");
	assert_xpath_str(&o, REPORT(2) "/vr:SignatureValidationStatus/"
				     "vr:MainIndication",
			 "urn:etsi:019102:mainindication:total-failed");
	assert_xpath_str(&o, REPORT(2) "/vr:SignatureValidationStatus/"
				     "vr:SubIndication",
			 "urn:etsi:019102:subindication:HASH_FAILURE");
	assert_xpath_str(&o, REPORT(3) "/vr:SignatureValidationStatus/"
				     "vr:MainIndication",
			 "urn:etsi:019102:mainindication:indeterminate");
	assert_xpath_str(&o, REPORT(5) "/vr:SignatureValidationStatus/"
				     "vr:SubIndication",
			 "urn:etsi:019102:subindication:SIGNED_DATA_NOT_FOUND");
	assert_xpath_str(&o, REPORT(6) "/vr:SignatureValidationStatus/"
				     "vr:SubIndication",
			 "urn:etsi:019102:subindication:FORMAT_FAILURE");
	assert_xpath_str(&o,
			 REPORT(6) "//vr:ReportData[vr:Type="
				   "'urn:tteaudit:error']/vr:Value",
			 "cannot read xref at offset 1234");

	/* Identifiers, policy and times. */
	assert_xpath_str(&o, DAID(1), "dir/a.pdf#S1");
	assert_xpath_str(&o, DAID(4), "c.pdf#S2");
	assert_xpath_str(&o, DAID(5), "d.pdf");
	assert_xpath_str(&o, REPORT(1) "//vr:PolicyName", "bsre-default");
	assert_xpath_str(&o, REPORT(1) "//vr:ValidationTime",
			 "2025-03-02T08:00:00Z");
	assert_xpath_str(&o, REPORT(1) "//vr:BestSignatureTime/vr:POETime",
			 "2025-03-01T08:00:00Z");
	assert_xpath_str(&o, REPORT(1) "//vr:SigningTime/vr:Time",
			 "2025-03-01T07:59:00Z");
	/* Without a proof of existence: the validation time. */
	assert_xpath_str(&o, REPORT(3) "//vr:BestSignatureTime/vr:POETime",
			 "2025-03-02T08:00:00Z");
	assert_xpath_str(&o,
			 REPORT(4) "//vr:ReportData"
				   "[vr:Type='urn:tteaudit:kind']/vr:Value",
			 "doc-timestamp");

	/* Constraints: the signature's, then the document's. */
	assert_true(number(&o, COUNT_VC(1)) == 3);
	assert_true(number(&o, COUNT_VC(2)) == 2);
	assert_true(number(&o, "count(//vr:ValidationConstraint)") == 6);
	assert_xpath_str(&o,
			 REPORT(1) "//vr:ValidationConstraint[1]/"
				   "vr:ValidationConstraintIdentifier",
			 "urn:tteaudit:constraint:signer.policy-oids");
	assert_xpath_str(&o,
			 REPORT(1) "//vr:ValidationConstraint[3]/"
				   "vr:ValidationConstraintParameter"
				   "[vr:Type='urn:tteaudit:scope']/vr:Value",
			 "document");
	assert_xpath_str(&o,
			 REPORT(2) "//vr:ValidationConstraint[1]/"
				   "vr:ValidationStatus/vr:MainIndication",
			 "urn:etsi:019102:mainindication:failed");
	assert_xpath_str(&o,
			 REPORT(2) "//vr:ValidationConstraint[2]/"
				   "vr:ConstraintStatus/vr:Status",
			 "urn:etsi:019102:constraintStatus:disabled");
	assert_true(number(&o, "count(//vr:Status[.='urn:etsi:019102:"
			       "constraintStatus:applied'])") == 5);

	/* Certificates: four distinct, referenced by id, chain in order. */
	assert_true(number(&o, "count(//vr:ValidationObject)") == 4);
	assert_xpath_str(&o, REPORT(1) "//vr:SignerCertificate/@VOReference",
			 "C-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_xpath_str(&o, REPORT(1) "//vr:Signer", "CN=Signer A,O=Pemprov");
	assert_xpath_str(&o, REPORT(2) "//vr:CertificateChain/vr:TrustAnchor/"
				     "@VOReference",
			 "C-00112233445566778899AABBCCDDEEFF0011223344556677889"
			 "9AABBCCDDEEFF");
	assert_true(number(&o, "count(" REPORT(3) "/vr:SignerInformation)") ==
		    0);
	assert_xpath_str(&o,
			 "//vr:ValidationObject[@id='C-"
			 "00112233445566778899AABBCCDDEEFF00112233445566778899"
			 "AABBCCDDEEFF']//ds:DigestValue",
			 "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=");
	assert_references_resolve(&o);
	out_free(&o);
}

/* The test can fail: a report missing a required element, or with
 * elements out of the schema's order, does not validate. */
static void
test_broken_report_fails(void **state)
{
	struct tte_doc *docs[2];
	xmlXPathObjectPtr x;
	xmlNodePtr n, prev;
	struct out o;

	(void)state;
	docs[0] = passed_doc();
	docs[1] = failed_doc();
	run(&o, docs, 2);
	assert_int_equal(validate(o.doc), 0);

	/* SignatureValidationStatus is required. */
	x = xmlXPathEvalExpression(
		(const xmlChar *)REPORT(1) "/vr:SignatureValidationStatus",
		o.xp);
	assert_non_null(x);
	assert_int_equal(x->nodesetval->nodeNr, 1);
	n = x->nodesetval->nodeTab[0];
	xmlXPathFreeObject(x);
	xmlUnlinkNode(n);
	assert_int_not_equal(validate(o.doc), 0);

	/* Put it back: valid again; then swap two elements of a sequence. */
	x = xmlXPathEvalExpression((const xmlChar *)REPORT(1), o.xp);
	assert_non_null(x);
	xmlAddChild(x->nodesetval->nodeTab[0], n);
	xmlXPathFreeObject(x);
	assert_int_equal(validate(o.doc), 0);
	x = xmlXPathEvalExpression(
		(const xmlChar *)REPORT(2) "/vr:ValidationTimeInfo", o.xp);
	assert_non_null(x);
	assert_int_equal(x->nodesetval->nodeNr, 1);
	n = x->nodesetval->nodeTab[0];
	xmlXPathFreeObject(x);
	x = xmlXPathEvalExpression(
		(const xmlChar *)REPORT(2) "/vr:SignatureIdentifier", o.xp);
	assert_non_null(x);
	prev = x->nodesetval->nodeTab[0];
	xmlXPathFreeObject(x);
	xmlUnlinkNode(n);
	xmlAddPrevSibling(prev, n);
	assert_int_not_equal(validate(o.doc), 0);
	out_free(&o);
}

/* A run without documents still gives a valid report. */
static void
test_empty_run(void **state)
{
	struct out o;

	(void)state;
	run(&o, NULL, 0);
	assert_int_equal(validate(o.doc), 0);
	assert_true(number(&o, "count(//vr:SignatureValidationReport)") == 1);
	assert_true(number(&o, "count(//vr:SignatureValidationObjects)") == 0);
	out_free(&o);
}

/* Bytes that are not UTF-8, characters XML forbids and markup in names
 * and messages still make a valid report; a certificate without a usable
 * SHA-256 is left out, and said so. */
static void
test_hostile_strings(void **state)
{
	struct tte_doc *docs[1];
	struct tte_sig *s;
	struct out o;

	(void)state;
	docs[0] = tte_doc_new("bad\xff\xfe<&>\x01\x1b[0m.pdf", TTE_FMT_PDF);
	assert_non_null(docs[0]);
	s = tte_doc_add_sig(docs[0], TTE_KIND_SIGNATURE);
	assert_non_null(s);
	s->indication = TTE_IND_TOTAL_FAILED;
	s->sub = TTE_SUB_SIG_CRYPTO_FAILURE;
	s->chain = cert(docs[0], "CN=\"x\" <y>\x02\xc0\xaf", "not-a-digest",
			NULL);
	s->best_signature_time = INT64_MAX; /* no xs:dateTime for this */
	tte_notes_add(&s->reasons, &docs[0]->arena, "]]> \xed\xa0\x80 %s",
		      "end");
	tte_constraint_add(&s->constraints, &docs[0]->arena, "odd id <&> é",
			   TTE_LEVEL_INFORM, TTE_CST_FAILED, "\x7f\x0c");
	run(&o, docs, 1);
	assert_int_equal(validate(o.doc), 0);
	assert_xpath_str(&o, DAID(1),
			 "bad\xef\xbf\xbd\xef\xbf\xbd<&>"
			 "\xef\xbf\xbd\xef\xbf\xbd[0m.pdf#S1");
	assert_xpath_str(&o, REPORT(1) "//vr:ValidationConstraintIdentifier",
			 "urn:tteaudit:constraint:"
			 "odd%20id%20%3C%26%3E%20%C3%A9");
	assert_true(number(&o, "count(//vr:SignerInformation)") == 0);
	assert_true(number(&o, "count(//vr:ValidationTimeInfo)") == 0);
	assert_true(number(&o, "count(//vr:ReportData[vr:Type="
			       "'urn:tteaudit:note'])") == 1);
	out_free(&o);
}

static void
test_null_writer(void **state)
{
	struct tte_doc *doc = unsigned_doc();

	(void)state;
	etsi_report_doc(NULL, doc);
	tte_doc_free(doc);
	assert_int_equal(etsi_report_end(NULL), -1);
	assert_null(etsi_report_begin(NULL, "x", 0));
}

static int
setup(void **state)
{
	xmlSchemaParserCtxtPtr p;

	(void)state;
	T0 = isotime_from_fields(2025, 3, 1, 8, 0, 0);
	p = xmlSchemaNewParserCtxt(SCHEMA);
	if (p == NULL)
		return -1;
	schema = xmlSchemaParse(p);
	xmlSchemaFreeParserCtxt(p);
	if (schema == NULL) {
		fprintf(stderr, "cannot load the schema '%s'\n", SCHEMA);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	xmlSchemaFree(schema);
	xmlCleanupParser();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_validate),
		cmocka_unit_test(test_broken_report_fails),
		cmocka_unit_test(test_empty_run),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_null_writer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
