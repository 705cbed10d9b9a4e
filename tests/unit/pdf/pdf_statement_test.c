/*
 * Tests for verifier/pdf/pdf_statement.c: the exact wording, each
 * variant of DOMAIN.md, what normalisation forgives (case, spacing, line
 * breaks, hyphenation, ligatures) and near misses that must stay
 * "missing".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../verifier/pdf/pdf_statement.h"

#define EXACT_TEXT                                                             \
	"Dokumen ini telah ditandatangani secara elektronik menggunakan "      \
	"sertifikat elektronik yang diterbitkan oleh Balai Sertifikasi "       \
	"Elektronik (BSrE), Badan Siber dan Sandi Negara"

static enum tte_statement
match(const char *s)
{
	return pdf_statement_match(s, strlen(s), 1, 0, NULL);
}

static void
exact_wording(void **state)
{
	(void)state;
	assert_int_equal(match(EXACT_TEXT), TTE_STMT_EXACT);
	assert_int_equal(match("Nomor: 800/123\fKepala Dinas\n" EXACT_TEXT
			       ".\nhttps://tte.example.go.id/verify"),
			 TTE_STMT_EXACT);
	/* The exact sentence wins over the variants it also satisfies. */
	assert_int_equal(match(EXACT_TEXT " (BSSN)"), TTE_STMT_EXACT);
}

static void
case_spacing_and_line_breaks(void **state)
{
	(void)state;
	assert_int_equal(
		match("DOKUMEN INI TELAH DITANDATANGANI SECARA ELEKTRONIK "
		      "MENGGUNAKAN SERTIFIKAT ELEKTRONIK YANG DITERBITKAN OLEH "
		      "BALAI SERTIFIKASI ELEKTRONIK (BSRE), BADAN SIBER DAN "
		      "SANDI NEGARA"),
		TTE_STMT_EXACT);
	assert_int_equal(
		match("Dokumen  ini\ttelah\r\ndi tandatangani secara\n"
		      "elektronik menggunakan sertifikat\xc2\xa0" "elektronik "
		      "yang diterbitkan oleh Balai Sertifikasi Elektronik\n"
		      "( BSrE ) , Badan Siber dan Sandi Negara"),
		TTE_STMT_EXACT);
	/* Letter-spaced text as extractors give it. */
	assert_int_equal(
		match("D o k u m e n i n i t e l a h d i t a n d a t a n g a n "
		      "i secara elektronik menggunakan sertifikat elektronik "
		      "yang diterbitkan oleh Balai Sertifikasi Elektronik "
		      "(BSrE), Badan Siber dan Sandi Negara"),
		TTE_STMT_EXACT);
	/* Zero-width space, BOM, narrow no-break space. */
	assert_int_equal(
		match("Dokumen\xe2\x80\x8bini telah\xef\xbb\xbf"
		      "ditandatangani\xe2\x80\xaf secara elektronik menggunakan "
		      "sertifikat elektronik yang diterbitkan oleh Balai "
		      "Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi "
		      "Negara"),
		TTE_STMT_EXACT);
}

static void
hyphenation_and_ligatures(void **state)
{
	(void)state;
	/* A word cut at a line end, with a hyphen, a soft hyphen or a
	 * Unicode hyphen, and trailing blanks before the break. */
	assert_int_equal(
		match("Dokumen ini telah ditanda-\ntangani secara elektro- \r\n"
		      "nik menggunakan sertifikat elek\xc2\xad\ntronik yang "
		      "diterbit\xe2\x80\x90\ncan oleh Balai Sertifikasi "
		      "Elektronik (BSrE), Badan Siber dan Sandi Negara"),
		TTE_STMT_MISSING); /* "diterbitcan": misspelt on purpose */
	assert_int_equal(
		match("Dokumen ini telah ditanda-\ntangani secara elektro- \r\n"
		      "nik menggunakan sertifikat elek\xc2\xad\ntronik yang "
		      "diterbit\xe2\x80\x90\nkan oleh Balai Sertifikasi "
		      "Elektronik (BSrE), Badan Siber dan Sandi Negara"),
		TTE_STMT_EXACT);
	/* "sertifikat" with the fi ligature, "elektronik" fine. */
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan serti\xef\xac\x81kat elektronik yang "
		      "diterbitkan oleh Balai Serti\xef\xac\x81kasi Elektronik "
		      "(BSrE), Badan Siber dan Sandi Negara"),
		TTE_STMT_EXACT);
	/* A hyphen without a line break stays: not the exact sentence,
	 * though the clause still holds. */
	assert_int_equal(
		match("Dokumen ini telah ditanda-tangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "Balai Sertifikasi Elektronik (BSrE), Badan Siber dan "
		      "Sandi Negara"),
		TTE_STMT_VARIANT);
}

static void
variants_of_domain_md(void **state)
{
	(void)state;
	/* Without "(BSrE)", then more text and a link. */
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "Balai Sertifikasi Elektronik, Badan Siber dan Sandi "
		      "Negara. Tidak perlu ditandatangani lagi secara fisik. "
		      "Verifikasi: https://tte.kominfo.go.id/verifyPDF"),
		TTE_STMT_VARIANT);
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "Balai Sertifikasi Elektronik Badan Siber dan Sandi "
		      "Negara"),
		TTE_STMT_VARIANT);
	/* After UU ITE Pasal 5 ayat (1). */
	assert_int_equal(
		match("UU ITE No 11 Tahun 2008 Pasal 5 ayat 1 \"Informasi "
		      "Elektronik dan/atau Dokumen Elektronik dan/atau hasil "
		      "cetaknya merupakan alat bukti hukum yang sah\". Dokumen "
		      "ini telah ditandatangani secara elektronik menggunakan "
		      "sertifikat elektronik yang diterbitkan oleh BSrE."),
		TTE_STMT_VARIANT);
	/* Balai Besar (2025). */
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber "
		      "dan Sandi Negara (BSSN)"),
		TTE_STMT_VARIANT);
	/* Regional disclaimers. */
	assert_int_equal(
		match("Sesuai dengan ketentuan peraturan perundang-undangan "
		      "yang berlaku, surat ini telah ditandatangani secara "
		      "elektronik menggunakan sertifikat elektronik yang "
		      "diterbitkan oleh Balai Sertifikasi Elektronik "
		      "(BSrE-BSSN)"),
		TTE_STMT_VARIANT);
	assert_int_equal(
		match("Sesuai dengan ketentuan perundang-undangan yang berlaku, "
		      "surat ini telah ditandatangani secara elektronik dengan "
		      "menggunakan sertifikat elektronik yang diterbitkan "
		      "BSrE-BSSN sehingga tidak diperlukan tanda tangan basah"),
		TTE_STMT_VARIANT);
	assert_int_equal(
		match("NASKAH INI SUDAH DITANDATANGANI SECARA ELEKTRONIK "
		      "MENGGUNAKAN SERTIFIKAT ELEKTRONIK YANG DITERBITKAN "
		      "OLEH BSSN"),
		TTE_STMT_VARIANT);
}

static void
near_misses_are_missing(void **state)
{
	(void)state;
	assert_int_equal(match("Sertifikat diterbitkan oleh BSrE"),
			 TTE_STMT_MISSING);
	assert_int_equal(match("BSrE BSSN Balai Sertifikasi Elektronik (BSrE), "
			       "Badan Siber dan Sandi Negara"),
			 TTE_STMT_MISSING);
	/* "tidak" inserted, in each place it reads naturally. */
	assert_int_equal(
		match("Dokumen ini tidak ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "Balai Sertifikasi Elektronik (BSrE), Badan Siber dan "
		      "Sandi Negara"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini telah tidak ditandatangani secara "
		      "elektronik menggunakan sertifikat elektronik yang "
		      "diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), "
		      "Badan Siber dan Sandi Negara"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini tidak telah ditandatangani secara "
		      "elektronik menggunakan sertifikat elektronik yang "
		      "diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), "
		      "Badan Siber dan Sandi Negara"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "tidak menggunakan sertifikat elektronik yang diterbitkan "
		      "oleh Balai Sertifikasi Elektronik (BSrE), Badan Siber "
		      "dan Sandi Negara"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang tidak diterbitkan "
		      "oleh Balai Sertifikasi Elektronik (BSrE), Badan Siber "
		      "dan Sandi Negara"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini belum ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "BSrE"),
		TTE_STMT_MISSING);
	/* A listed variant is negated the same way. */
	assert_int_equal(
		match("Dokumen ini tidak telah ditandatangani secara "
		      "elektronik menggunakan sertifikat elektronik yang "
		      "diterbitkan oleh BSrE."),
		TTE_STMT_MISSING);
	/* Cut short, or another issuer. */
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh"),
		TTE_STMT_MISSING);
	assert_int_equal(
		match("Dokumen ini telah ditandatangani secara elektronik "
		      "menggunakan sertifikat elektronik yang diterbitkan oleh "
		      "PT Privy Identitas Digital"),
		TTE_STMT_MISSING);
	assert_int_equal(match(""), TTE_STMT_MISSING);
}

static void
no_text_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(pdf_statement_match("", 0, 0, 0, NULL), TTE_STMT_NO_TEXT);
	assert_int_equal(pdf_statement_match(NULL, 0, 0, 0, NULL), TTE_STMT_NO_TEXT);
	/* Content that could not be read may have held text. */
	assert_int_equal(pdf_statement_match("", 0, 0, 1, NULL), TTE_STMT_UNKNOWN);
	assert_int_equal(pdf_statement_match("Kepala Dinas", 12, 3, 1, NULL),
			 TTE_STMT_UNKNOWN);
	assert_int_equal(pdf_statement_match("Kepala Dinas", 12, 3, 0, NULL),
			 TTE_STMT_MISSING);
	/* Found is found, whatever else could not be read. */
	assert_int_equal(pdf_statement_match(EXACT_TEXT, strlen(EXACT_TEXT), 1,
					     1, NULL),
			 TTE_STMT_EXACT);
}

static void
odd_bytes_do_not_break_matching(void **state)
{
	static const char text[] =
		"\xff\xfe\xc0\xaf\xed\xa0\x80" EXACT_TEXT "\xe2\x82";
	static const char nul[] = "Dokumen ini telah\0ditandatangani secara "
				  "elektronik menggunakan sertifikat "
				  "elektronik yang diterbitkan oleh BSrE";

	(void)state;
	assert_int_equal(pdf_statement_match(text, sizeof(text) - 1, 1, 0, NULL),
			 TTE_STMT_EXACT);
	/* A NUL is white space (a control): the length counts, not the
	 * terminator. */
	assert_int_equal(pdf_statement_match(nul, sizeof(nul) - 1, 1, 0, NULL),
			 TTE_STMT_VARIANT);
	/* Latin letters with accents are lower-cased too. */
	assert_int_equal(match("\xc3\x89\xc3\x80\xc5\xbd\xc4\xb0"),
			 TTE_STMT_MISSING);
}

/* A policy's wordings replace the built-in ones; the clause rule
 * applies only when the policy keeps it (clauseRule). */
static void
policy_wordings(void **state)
{
	static const char *const variants[] = {"Ditandatangani oleh Bupati"};
	struct tte_wordings w = {"Surat ini sah tanpa tanda tangan basah",
				 variants, 1, 0};
	const char *clause = "Dokumen ini ditandatangani secara elektronik "
			     "menggunakan sertifikat elektronik yang "
			     "diterbitkan oleh BSrE";
	const char *t;

	(void)state;
	t = "surat ini SAH tanpa tanda tangan  basah.";
	assert_int_equal(pdf_statement_match(t, strlen(t), 1, 0, &w),
			 TTE_STMT_EXACT);
	t = "... ditandatangani oleh bupati ...";
	assert_int_equal(pdf_statement_match(t, strlen(t), 1, 0, &w),
			 TTE_STMT_VARIANT);
	/* The built-in 2021 wording is not this policy's. */
	assert_int_equal(pdf_statement_match(EXACT_TEXT, strlen(EXACT_TEXT), 1, 0,
					     &w),
			 TTE_STMT_MISSING);
	assert_int_equal(pdf_statement_match(clause, strlen(clause), 1, 0, &w),
			 TTE_STMT_MISSING);
	w.clause_rule = 1;
	assert_int_equal(pdf_statement_match(clause, strlen(clause), 1, 0, &w),
			 TTE_STMT_VARIANT);
	assert_int_equal(match(clause), TTE_STMT_VARIANT); /* built in */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_wording),
		cmocka_unit_test(case_spacing_and_line_breaks),
		cmocka_unit_test(hyphenation_and_ligatures),
		cmocka_unit_test(variants_of_domain_md),
		cmocka_unit_test(near_misses_are_missing),
		cmocka_unit_test(no_text_and_unknown),
		cmocka_unit_test(odd_bytes_do_not_break_matching),
		cmocka_unit_test(policy_wordings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
