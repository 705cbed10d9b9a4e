/*
 * Tests for policy/policy_load.c and policy_show.c: the shipped policies
 * load with the rules README.md promises, every kind of problem is
 * reported with its line, and hostile XML (entities, a huge file) is
 * refused without being expanded or read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../../policy/policy.h"
#include "../../../verifier/base/isotime.h"

#define NS "xmlns=\"urn:tteaudit:policy:1\""

static char tmp[256]; /* a fresh folder per run */

static int
setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/tteaudit-policy-test-XXXXXX");
	return mkdtemp(tmp) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to tmp/name; returns the path (static). */
static const char *
put(const char *name, const char *text, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static tte_err
load_str(const char *xml, struct policy **p, struct diag *d)
{
	diag_clear(d);
	*p = NULL;
	return policy_load_buffer("t.xml", (const uint8_t *)xml, strlen(xml),
				  TTE_POLICY_DIR, p, d);
}

/* policy_lint_buffer's output (malloc'd) and count. */
static char *
lint_str(const char *xml, size_t *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*n = policy_lint_buffer("t.xml", (const uint8_t *)xml, strlen(xml),
				TTE_POLICY_DIR, f);
	fclose(f);
	return buf;
}

static int64_t
at(const char *iso)
{
	int64_t t;

	assert_int_equal(isotime_parse(iso, &t), 0);
	return t;
}

static void
loads_bsre_default(void **state)
{
	struct policy *p = NULL;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(policy_load_named("bsre-default", &p, &d), TTE_OK);
	assert_string_equal(p->name, "bsre-default");
	assert_non_null(strstr(p->path, "/policy/bsre-default.xml"));
	assert_int_equal(p->path[0], '/');

	/* Anchors: the legacy root's file, then the two pins, lowercase. */
	assert_int_equal(p->n_anchor_files, 1);
	assert_int_equal(p->anchor_files[0][0], '/');
	assert_non_null(strstr(p->anchor_files[0], "osd-lu-kelas-2.pem"));
	assert_int_equal(p->anchor_file_n_certs[0], 1);
	assert_int_equal(p->n_anchor_pins, 2);
	assert_string_equal(p->anchor_pin_names[0], "Root CA Indonesia DS G1");
	assert_int_equal(p->n_anchor_sha256, 3);
	assert_string_equal(p->anchor_sha256[0], "2178095b3cc0f6facb9e6f07fe"
			    "ecee6327a89c6681af43ba95126b68867d02b2");
	assert_non_null(strstr(p->anchor_subjects[0], "OSD LU Kelas 2"));
	assert_string_equal(p->anchor_sha256[1], "b5f36672fd7cfd401e01ef640b"
			    "2fe61f816f32f447b280b76f536244cf42fcdf");
	assert_string_equal(p->anchor_pins[0], p->anchor_sha256[1]);
	assert_null(p->anchor_subjects[1]);
	assert_string_equal(p->anchor_sha256[2], "4a3ab062c4d24f60417fa28f65"
			    "43ac7151c9f1fde5817bbe67f49c55ce5ffed5");

	/* The catalogue: SHA-1 only before 2016, RSA from 2048, no MD5. */
	assert_false(p->algorithms_builtin);
	assert_int_equal(p->rules.crypto_level, TTE_LEVEL_FAIL);
	assert_int_equal(p->rules.n_digests, 7);
	assert_string_equal(p->rules.digests[0].name, "SHA256");
	assert_int_equal(p->rules.digests[0].until, 0);
	assert_string_equal(p->rules.digests[6].name, "SHA1");
	assert_int_equal(p->rules.digests[6].until, at("2016-01-01"));
	for (size_t i = 0; i < p->rules.n_digests; i++)
		assert_string_not_equal(p->rules.digests[i].name, "MD5");
	assert_int_equal(p->rules.n_keys, 5);
	assert_string_equal(p->rules.keys[0].name, "RSA");
	assert_int_equal(p->rules.keys[0].min_bits, 2048);
	assert_string_equal(p->rules.keys[2].name, "EC");
	assert_int_equal(p->rules.keys[2].min_bits, 256);
	assert_string_equal(p->rules.keys[3].name, "Ed25519");
	assert_int_equal(p->rules.keys[3].min_bits, 0);
	assert_false(p->revocation_builtin);
	assert_int_equal(p->rules.revocation_level, TTE_LEVEL_FAIL);
	assert_int_equal(p->rules.revocation_max_age, 0);

	/* The signer profile. */
	assert_int_equal(p->policy_oids.level, TTE_LEVEL_FAIL);
	assert_int_equal(p->n_oids, 3);
	assert_string_equal(p->oids[0], "2.16.360.1.2.1.1");
	assert_string_equal(p->oids[2], "2.16.360.1.1.1.5.1.4.3");
	assert_int_equal(p->key_usage.level, TTE_LEVEL_FAIL);
	assert_int_equal(p->key_usage_bits, TTE_KU_NON_REPUDIATION);
	assert_int_equal(p->ext_key_usage.level, TTE_LEVEL_WARN);
	assert_int_equal(p->n_eku_oids, 1);
	assert_string_equal(p->eku_oids[0], "1.2.840.113583.1.1.5");
	assert_int_equal(p->subject.level, TTE_LEVEL_IGNORE);
	assert_false(p->subject.set);
	assert_int_equal(p->sig_level.level, TTE_LEVEL_FAIL);
	assert_int_equal(p->min_level, POL_LEVEL_B_T);

	/* The agreement: four years from 1 September 2021 in Kupang. */
	assert_int_equal(p->window.level, TTE_LEVEL_WARN);
	assert_int_equal(p->window_start, at("2021-08-31T16:00:00Z"));
	assert_int_equal(p->window_end, at("2025-09-01T00:00:00+08:00"));
	assert_int_equal(p->window_years, 4);
	assert_int_equal(p->statement.level, TTE_LEVEL_WARN);
	assert_string_equal(p->statement_exact,
			    "Dokumen ini telah ditandatangani secara elektronik "
			    "menggunakan sertifikat elektronik yang diterbitkan "
			    "oleh Balai Sertifikasi Elektronik (BSrE), Badan "
			    "Siber dan Sandi Negara");
	assert_int_equal(p->n_statement_variants, 4);
	assert_true(p->statement_clause_rule); /* the default */
	assert_string_equal(p->statement_variants[1],
			    "telah ditandatangani secara elektronik menggunakan "
			    "sertifikat elektronik yang diterbitkan oleh BSrE.");
	assert_int_equal(p->timestamp_gap.level, TTE_LEVEL_INFORM);
	assert_int_equal(p->max_gap, 15 * 60);
	assert_int_equal(p->unsigned_doc.level, TTE_LEVEL_WARN);
	assert_int_equal(p->later_annotations.level, TTE_LEVEL_WARN);
	policy_free(p);
	policy_free(NULL);
}

static void
loads_crypto_only(void **state)
{
	struct policy *p = NULL;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(policy_load_named("crypto-only", &p, &d), TTE_OK);
	assert_string_equal(p->name, "crypto-only");
	assert_int_equal(p->n_anchor_sha256, 0);
	assert_int_equal(p->rules.crypto_level, TTE_LEVEL_FAIL);
	assert_int_equal(p->rules.n_digests, 12);
	assert_int_equal(p->rules.n_keys, 10);
	assert_int_equal(p->rules.revocation_level, TTE_LEVEL_FAIL);
	assert_int_equal(p->policy_oids.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->sig_level.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->window.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->statement.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->unsigned_doc.level, TTE_LEVEL_IGNORE);
	policy_free(p);
}

/* Absent, Algorithms and Revocation fail safe; the rest is IGNORE. */
static void
absent_elements(void **state)
{
	const struct tte_rules *def = verdict_rules_default();
	struct policy *p;
	struct diag d;

	(void)state;
	assert_int_equal(load_str("<Policy " NS " name=\"empty\"/>", &p, &d),
			 TTE_OK);
	assert_true(p->algorithms_builtin);
	assert_ptr_equal(p->rules.digests, def->digests);
	assert_int_equal(p->rules.n_keys, def->n_keys);
	assert_int_equal(p->rules.crypto_level, def->crypto_level);
	assert_true(p->revocation_builtin);
	assert_int_equal(p->rules.revocation_level, TTE_LEVEL_FAIL);
	assert_int_equal(p->key_usage.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->timestamp_gap.level, TTE_LEVEL_IGNORE);
	assert_int_equal(p->later_annotations.level, TTE_LEVEL_IGNORE);
	assert_null(p->description);
	assert_string_equal(p->path, "t.xml");
	policy_free(p);
}

static void
every_field(void **state)
{
	static const char xml[] =
		"<Policy " NS " name=\"all\">\n"
		"  <Description>  two\n  lines </Description>\n"
		"  <TrustAnchors><Pin sha256=\""
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"\"/></TrustAnchors>\n"
		"  <Algorithms level=\"WARN\"><Digest name=\"SHA256\"/>"
		"<Key type=\"EC\" minBits=\"+0384\" until=\"2030-01-01T00:00+07:00\"/>"
		"</Algorithms>\n"
		"  <Revocation level=\"INFORM\" maxAgeDays=\"30\"/>\n"
		"  <SignerKeyUsage level=\"WARN\"><Bit>digitalSignature</Bit>"
		"<Bit> nonRepudiation </Bit></SignerKeyUsage>\n"
		"  <SignerSubject level=\"WARN\">"
		"<Attribute name=\"O\"><Value>Pemerintah Provinsi NTT</Value>"
		"<Value>Pemprov NTT</Value></Attribute>"
		"<Attribute name=\"2.5.4.13\"><Value>x</Value></Attribute>"
		"</SignerSubject>\n"
		"  <SignatureLevel level=\"INFORM\" min=\"B-LTA\"/>\n"
		"  <AgreementWindow level=\"FAIL\" start=\"2024-02-29\" "
		"years=\"1\" extensionYears=\"2\"/>\n"
		"  <Statement level=\"INFORM\" clauseRule=\"false\">"
		"<Exact>a\n b</Exact></Statement>\n"
		"  <TimestampGap level=\"WARN\" maxMinutes=\"1\"/>\n"
		"  <UnsignedDocument level=\"FAIL\"/>\n"
		"  <AnnotationsAfterSigning level=\"IGNORE\"/>\n"
		"</Policy>\n";
	struct policy *p;
	struct diag d;

	(void)state;
	assert_int_equal(load_str(xml, &p, &d), TTE_OK);
	assert_string_equal(p->description, "two lines");
	assert_string_equal(p->anchor_pins[0], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_string_equal(p->anchor_pin_names[0], "");
	assert_int_equal(p->rules.crypto_level, TTE_LEVEL_WARN);
	assert_int_equal(p->rules.keys[0].min_bits, 384);
	assert_int_equal(p->rules.keys[0].until, at("2029-12-31T17:00:00Z"));
	assert_int_equal(p->rules.revocation_level, TTE_LEVEL_INFORM);
	assert_int_equal(p->rules.revocation_max_age, 30 * 86400);
	assert_int_equal(p->key_usage_bits,
			 TTE_KU_DIGITAL_SIGNATURE | TTE_KU_NON_REPUDIATION);
	assert_int_equal(p->n_subject_rules, 2);
	assert_string_equal(p->subject_rules[0].attribute, "O");
	assert_int_equal(p->subject_rules[0].n_values, 2);
	assert_string_equal(p->subject_rules[0].values[1], "Pemprov NTT");
	assert_string_equal(p->subject_rules[1].attribute, "2.5.4.13");
	assert_int_equal(p->min_level, POL_LEVEL_B_LTA);
	/* 29 February plus three years: 1 March. */
	assert_int_equal(p->window_start, at("2024-02-29"));
	assert_int_equal(p->window_end, at("2027-03-01"));
	assert_int_equal(p->window_extension_years, 2);
	assert_int_equal(p->window.level, TTE_LEVEL_FAIL);
	assert_string_equal(p->statement_exact, "a b");
	assert_int_equal(p->n_statement_variants, 0);
	assert_false(p->statement_clause_rule);
	assert_int_equal(p->max_gap, 60);
	assert_int_equal(p->unsigned_doc.level, TTE_LEVEL_FAIL);
	assert_int_equal(p->later_annotations.level, TTE_LEVEL_IGNORE);
	assert_true(p->later_annotations.set);
	policy_free(p);
}

/* Schema problems, each on its own line, all reported. */
static void
lint_schema_lines(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?>\n"                          /* 1 */
		"<Policy " NS " name=\"bad\">\n"                      /* 2 */
		"  <TrustAnchors>\n"                                  /* 3 */
		"    <Pin sha256=\"zz\"/>\n"                          /* 4 */
		"  </TrustAnchors>\n"                                 /* 5 */
		"  <Algorithms level=\"FAIL\">\n"                     /* 6 */
		"    <Digest name=\"SHA-256\"/>\n"                    /* 7 */
		"    <Key type=\"RSA\" minBits=\"2048\"/>\n"          /* 8 */
		"  </Algorithms>\n"                                   /* 9 */
		"  <Revocation level=\"MAYBE\"/>\n"                   /* 10 */
		"  <Bogus/>\n"                                        /* 11 */
		"</Policy>\n";
	size_t n;
	char *out;

	(void)state;
	out = lint_str(xml, &n);
	assert_int_equal(n, 4);
	assert_non_null(strstr(out, "t.xml:4: Element 'Pin', attribute "
			       "'sha256'"));
	assert_non_null(strstr(out, "t.xml:7: Element 'Digest'"));
	assert_non_null(strstr(out, "'SHA-256'"));
	assert_non_null(strstr(out, "t.xml:10: Element 'Revocation'"));
	assert_non_null(strstr(out, "t.xml:11: Element 'Bogus'"));
	assert_null(strstr(out, "urn:tteaudit")); /* namespace braces cut */
	free(out);
}

/* Meaning problems the schema cannot see, each with its line. */
static void
lint_meaning_lines(void **state)
{
	static const char xml[] =
		"<Policy " NS " name=\"bad2\">\n"                               /* 1 */
		"  <TrustAnchors>\n"                                            /* 2 */
		"    <Certificate file=\"missing.pem\"/>\n"                     /* 3 */
		"    <Certificate file=\"tteaudit-policy.xsd\"/>\n"             /* 4 */
		"    <Pin sha256=\"B5F36672FD7CFD401E01EF640B2FE61F816F32F447B2"
		"80B76F536244CF42FCDF\"/>\n"                                    /* 5 */
		"    <Pin sha256=\"b5f36672fd7cfd401e01ef640b2fe61f816f32f447b2"
		"80b76f536244cf42fcdf\"/>\n"                                    /* 6 */
		"  </TrustAnchors>\n"                                           /* 7 */
		"  <Algorithms level=\"FAIL\">\n"                               /* 8 */
		"    <Digest name=\"SHA256\" until=\"2021-02-29\"/>\n"          /* 9 */
		"    <Digest name=\"SHA384\"/>\n"                               /* 10 */
		"    <Digest name=\"SHA384\"/>\n"                               /* 11 */
		"    <Key type=\"RSA\"/>\n"                                     /* 12 */
		"  </Algorithms>\n"                                             /* 13 */
		"  <SignerPolicyOids level=\"FAIL\">\n"                         /* 14 */
		"    <Oid>1.45.3</Oid>\n"                                       /* 15 */
		"    <Oid>2.5</Oid>\n"                                          /* 16 */
		"    <Oid>2.5</Oid>\n"                                          /* 17 */
		"  </SignerPolicyOids>\n"                                       /* 18 */
		"  <SignerKeyUsage level=\"FAIL\"><Bit>cRLSign</Bit>"
		"<Bit>cRLSign</Bit></SignerKeyUsage>\n"                         /* 19 */
		"  <SignerSubject level=\"WARN\">\n"                            /* 20 */
		"    <Attribute name=\"O\"><Value>A</Value><Value> </Value>"
		"</Attribute>\n"                                                /* 21 */
		"    <Attribute name=\"O\"><Value>B</Value></Attribute>\n"      /* 22 */
		"  </SignerSubject>\n"                                          /* 23 */
		"  <AgreementWindow level=\"WARN\" start=\"2021-13-01\" "
		"years=\"4\"/>\n"                                               /* 24 */
		"  <Statement level=\"WARN\">\n"                                /* 25 */
		"    <Exact>  \n  </Exact>\n"                                   /* 26-27 */
		"    <Variant>x</Variant>\n"                                    /* 28 */
		"    <Variant> x </Variant>\n"                                  /* 29 */
		"  </Statement>\n"                                              /* 30 */
		"</Policy>\n";
	static const char *const want[] = {
		"t.xml:3: anchor file 'missing.pem': cannot open",
		"t.xml:4: anchor file 'tteaudit-policy.xsd': no certificate",
		"t.xml:6: trust anchor b5f36672",
		"t.xml:9: until '2021-02-29' is not a date",
		"t.xml:11: digest SHA384 is listed twice",
		"t.xml:12: key type RSA needs minBits",
		"t.xml:15: '1.45.3' is not an OID",
		"t.xml:17: OID 2.5 is listed twice",
		"t.xml:19: key usage cRLSign is listed twice",
		"t.xml:21: empty value for O",
		"t.xml:22: subject attribute O has two rules",
		"t.xml:24: start '2021-13-01' is not a date",
		"t.xml:26: the statement's exact wording is empty",
		"t.xml:29: this wording is listed twice",
	};
	size_t n;
	char *out;

	(void)state;
	out = lint_str(xml, &n);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(out, want[i]) == NULL)
			fail_msg("missing '%s' in:\n%s", want[i], out);
	}
	free(out);
}

/* load fails on the same file, naming the first problem and its line. */
static void
load_names_first_problem(void **state)
{
	static const char xml[] =
		"<Policy " NS " name=\"x\">\n"
		"  <SignerPolicyOids level=\"FAIL\">\n"
		"    <Oid>1.2</Oid><Oid>1.2</Oid><Oid>1.2</Oid>\n"
		"  </SignerPolicyOids>\n"
		"</Policy>\n";
	struct policy *p;
	struct diag d;

	(void)state;
	assert_int_equal(load_str(xml, &p, &d), TTE_E_MALFORMED);
	assert_null(p);
	assert_string_equal(d.msg, "t.xml:3: OID 1.2 is listed twice (and 1 "
			    "more problems)");
}

static void
not_xml(void **state)
{
	static const char *const bad[] = {
		"",
		"not xml",
		"<Policy " NS " name=\"x\">",       /* truncated */
		"<Policy " NS " name=\"x\"/><x/>",  /* trailing element */
		"<Policy name=\"x\"/>",             /* no namespace */
		"<Policy " NS "/>",                 /* no name */
		"<Policy " NS " name=\"x\">&ext;</Policy>", /* undeclared */
		"<Policy " NS " name=\"x\"><Algorithms level=\"FAIL\"/>"
		"</Policy>",                         /* empty catalogue */
	};
	struct policy *p;
	struct diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load_str(bad[i], &p, &d), TTE_E_MALFORMED);
		assert_null(p);
		assert_true(strncmp(d.msg, "t.xml:", 6) == 0);
	}
}

/* Billion laughs and external entities: refused at the DOCTYPE, before
 * any entity exists, in no time. */
static void
entities_refused(void **state)
{
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE Policy [\n"
		" <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		" <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		" <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		" <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"]>\n"
		"<Policy " NS " name=\"lol\"><Description>&g;</Description>"
		"</Policy>\n";
	static const char external[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE Policy SYSTEM \"file:///etc/passwd\">\n"
		"<Policy " NS " name=\"x\"/>\n";
	struct policy *p;
	struct diag d;
	size_t n;
	char *out;
	clock_t t0 = clock();

	(void)state;
	assert_int_equal(load_str(laughs, &p, &d), TTE_E_MALFORMED);
	assert_null(p);
	assert_string_equal(d.msg, "t.xml:2: a DOCTYPE is not allowed in a "
			    "policy (no DTD, no entities)");
	assert_int_equal(load_str(external, &p, &d), TTE_E_MALFORMED);
	assert_null(strstr(d.msg, "root:")); /* nothing of the file read */
	out = lint_str(laughs, &n);
	assert_int_equal(n, 1);
	free(out);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
}

static void
huge_refused(void **state)
{
	size_t len = POLICY_MAX_FILE + 1;
	char *big = malloc(len);
	struct policy *p = NULL;
	struct diag d;
	const char *path;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big, "<Policy", 7);
	diag_clear(&d);
	assert_int_equal(policy_load_buffer("big.xml", (const uint8_t *)big,
					    len, NULL, &p, &d),
			 TTE_E_TOO_BIG);
	assert_null(p);
	path = put("big.xml", big, len);
	diag_clear(&d);
	assert_int_equal(policy_load(path, &p, &d), TTE_E_TOO_BIG);
	assert_null(p);
	free(big);
}

/* More problems than kept: the rest are counted. */
static void
many_problems(void **state)
{
	size_t cap = 64 + 151 * 16, len = 0, n;
	char *xml = malloc(cap), *out;

	(void)state;
	assert_non_null(xml);
	len += (size_t)snprintf(xml + len, cap - len, "<Policy " NS " name="
				"\"x\"><SignerPolicyOids level=\"FAIL\">");
	for (int i = 0; i < 151; i++)
		len += (size_t)snprintf(xml + len, cap - len, "<Oid>1.2</Oid>");
	snprintf(xml + len, cap - len, "</SignerPolicyOids></Policy>");
	out = lint_str(xml, &n);
	assert_int_equal(n, 150);
	assert_non_null(strstr(out, "t.xml: and 50 more problems\n"));
	free(out);
	free(xml);
}

/* Anchor files are found beside the policy, wherever the caller is; one
 * file may hold several certificates, each anchor only once. */
static void
anchors_beside_the_file(void **state)
{
	static const char both[] =
		"<Policy " NS " name=\"local\"><TrustAnchors>"
		"<Certificate file=\"two.pem\"/>\n"
		"<Certificate file=\"" TTE_POLICY_DIR "/osd-lu-kelas-2.pem\"/>"
		"</TrustAnchors></Policy>\n";
	static const char one[] =
		"<Policy " NS " name=\"local\"><TrustAnchors>"
		"<Certificate file=\"two.pem\"/>"
		"</TrustAnchors></Policy>\n";
	char cmd[1024], *cwd;
	const char *path;
	struct policy *p = NULL;
	struct diag d;

	(void)state;
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir("/"), 0);

	/* The same certificate twice in one file. */
	snprintf(cmd, sizeof(cmd), "cat '%s/osd-lu-kelas-2.pem' '%s/osd-lu-"
		 "kelas-2.pem' > '%s/two.pem'", TTE_POLICY_DIR, TTE_POLICY_DIR,
		 tmp);
	assert_int_equal(system(cmd), 0);
	path = put("local.xml", one, strlen(one));
	diag_clear(&d);
	assert_int_equal(policy_load(path, &p, &d), TTE_E_MALFORMED);
	assert_non_null(strstr(d.msg, ":1: trust anchor 2178095b"));

	/* The legacy root and another; then the root again in a second
	 * file (line 2). */
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "
		 "/CN=other -days 1 2>/dev/null | cat '%s/osd-lu-kelas-2.pem' "
		 "- > '%s/two.pem'", TTE_POLICY_DIR, tmp);
	assert_int_equal(system(cmd), 0);
	path = put("local.xml", both, strlen(both));
	diag_clear(&d);
	assert_int_equal(policy_load(path, &p, &d), TTE_E_MALFORMED);
	assert_non_null(strstr(d.msg, ":2: trust anchor 2178095b"));

	path = put("local.xml", one, strlen(one));
	diag_clear(&d);
	assert_int_equal(policy_load(path, &p, &d), TTE_OK);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	assert_int_equal(p->n_anchor_files, 1);
	assert_int_equal(p->anchor_file_n_certs[0], 2);
	assert_int_equal(p->n_anchor_sha256, 2);
	assert_int_equal(strncmp(p->anchor_files[0], tmp, strlen(tmp)), 0);
	assert_non_null(strstr(p->anchor_subjects[1], "CN=other"));
	policy_free(p);
}

static void
named_policies(void **state)
{
	struct policy *p = NULL;
	struct diag d;

	(void)state;
	diag_clear(&d);
	assert_int_equal(policy_load_named("no-such-policy", &p, &d),
			 TTE_E_IO);
	assert_non_null(strstr(d.msg, "no shipped policy 'no-such-policy'"));
	diag_clear(&d);
	assert_int_equal(policy_load_named("bad name", &p, &d), TTE_E_USAGE);
	diag_clear(&d);
	assert_int_equal(policy_load_named(".hidden", &p, &d), TTE_E_USAGE);
	/* A path: read as a file, not looked up. */
	diag_clear(&d);
	assert_int_equal(policy_load_named("../nowhere.xml", &p, &d),
			 TTE_E_IO);
	assert_non_null(strstr(d.msg, "../nowhere.xml: cannot open"));
	/* TTEAUDIT_POLICY_DIR comes first. */
	assert_int_equal(setenv("TTEAUDIT_POLICY_DIR", tmp, 1), 0);
	diag_clear(&d);
	assert_int_equal(policy_load_named("bsre-default", &p, &d), TTE_E_IO);
	assert_non_null(strstr(d.msg, tmp));
	/* ... and holds the schema too. */
	diag_clear(&d);
	assert_int_equal(policy_load_named(TTE_POLICY_DIR "/crypto-only.xml",
					   &p, &d),
			 TTE_E_MALFORMED);
	assert_non_null(strstr(d.msg, "policy schema"));
	assert_int_equal(unsetenv("TTEAUDIT_POLICY_DIR"), 0);
	assert_null(p);
}

static void
lint_files(void **state)
{
	FILE *null = fopen("/dev/null", "w");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(null);
	assert_int_equal(policy_lint(TTE_POLICY_DIR "/bsre-default.xml", null),
			 0);
	/* No anchors is fine: --trust gives them. */
	assert_int_equal(policy_lint(TTE_POLICY_DIR "/crypto-only.xml", null),
			 0);
	fclose(null);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(policy_lint("/nonexistent/p.xml", f), 1);
	fclose(f);
	assert_string_equal(buf, "/nonexistent/p.xml: cannot open: No such "
			    "file or directory\n");
	free(buf);
}

static void
show_says_the_rules(void **state)
{
	static const char *const want[] = {
		"policy:      bsre-default\n",
		"subject C=ID,O=Lembaga Sandi Negara,CN=OSD LU Kelas 2\n",
		"sha256  2178095b3cc0f6facb9e6f07feecee6327a89c6681af43ba95126b6"
		"8867d02b2\n",
		"pin  Root CA Indonesia DS G1\n",
		"SHA1 until 2016-01-01;",
		"RSA >= 2048 bits",
		"signer.policy-oids                  FAIL   one of: "
		"2.16.360.1.2.1.1, 2.16.360.1.1.1.3.11.2.0.1, "
		"2.16.360.1.1.1.5.1.4.3\n",
		"signer.key-usage                    FAIL   all of: "
		"nonRepudiation\n",
		"signer.subject                      IGNORE not checked",
		"signature.level                     FAIL   at least B-T\n",
		"agreement.window                    WARN   signed from "
		"2021-08-31T16:00:00Z to before 2025-08-31T16:00:00Z (4 years)\n",
		"variant: \"surat ini telah",
		"agreement.timestamp-gap             INFORM claimed signing time "
		"within 15 minutes",
		"document.annotations-after-signing  WARN",
	};
	struct policy *p = NULL;
	struct diag d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	diag_clear(&d);
	assert_int_equal(policy_load_named("bsre-default", &p, &d), TTE_OK);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	policy_show(p, f);
	fclose(f);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (strstr(buf, want[i]) == NULL)
			fail_msg("missing '%s' in:\n%s", want[i], buf);
	}
	free(buf);
	policy_free(p);

	assert_int_equal(load_str("<Policy " NS " name=\"e\"/>", &p, &d),
			 TTE_OK);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	policy_show(p, f);
	fclose(f);
	assert_non_null(strstr(buf, "anchors:     none (give --trust)\n"));
	assert_non_null(strstr(buf, "FAIL   (built-in) digests: MD5 until "
			       "2004-01-01"));
	assert_non_null(strstr(buf, "FAIL   (built-in) every certificate"));
	free(buf);
	policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_bsre_default),
		cmocka_unit_test(loads_crypto_only),
		cmocka_unit_test(absent_elements),
		cmocka_unit_test(every_field),
		cmocka_unit_test(lint_schema_lines),
		cmocka_unit_test(lint_meaning_lines),
		cmocka_unit_test(load_names_first_problem),
		cmocka_unit_test(not_xml),
		cmocka_unit_test(entities_refused),
		cmocka_unit_test(huge_refused),
		cmocka_unit_test(many_problems),
		cmocka_unit_test(anchors_beside_the_file),
		cmocka_unit_test(named_policies),
		cmocka_unit_test(lint_files),
		cmocka_unit_test(show_says_the_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
