/*
 * pdf_statement.h - is the BSrE statement (the footer that says the
 * document was signed with a BSrE certificate, DOMAIN.md "The statement")
 * in a document's text?
 *
 * Normalisation. Both the text and the wordings are brought to a form
 * that ignores case, spacing and line breaks:
 *   - Latin letters are lower-cased (ASCII, Latin-1, Latin Extended-A
 *     and Additional; dotted capital I becomes i); the ligatures U+FB00
 *     to U+FB06 become their letters;
 *   - all white space goes: ASCII and C1 controls, NBSP, the U+2000 space
 *     block, zero-width spaces and joiners, U+2028/9, U+202F, U+205F,
 *     U+3000, U+FEFF; soft hyphens (U+00AD) go too;
 *   - a hyphen followed only by white space up to a line break is taken
 *     as a word cut at the end of a line and goes ("ditanda-\ntangani");
 *   - dashes (U+2010 to U+2015, U+2212) read as '-', curly quotes as
 *     straight ones; bytes that are not UTF-8 are dropped.
 * This is the "spaced" form N1. The "bare" form N2 is N1 with every ASCII
 * character other than a-z and 0-9 removed (punctuation, brackets).
 *
 * Matching.
 *   EXACT   N1 of the text contains N1 of an exact wording: the 2021
 *           agreement's sentence, punctuation included.
 *   VARIANT N2 of the text contains N2 of a listed variant, or the clause
 *           rule holds: N2 contains, with nothing between the parts,
 *
 *             ditandatangani secaraelektronik [dengan] menggunakan
 *             sertifikatelektronik [yang] diterbitkan [oleh] ISSUER
 *
 *           where ISSUER is one of "balaibesarsertifikasielektronik",
 *           "balaisertifikasielektronik", "bsre", "bssn",
 *           "badansiberdansandinegara" (so "(BSrE-BSSN)", "BSrE." and
 *           the Balai Besar wording all count), and the clause is not
 *           negated: what precedes it, after an optional "telah" or
 *           "sudah", does not end in "tidak", "belum", "bukan" or
 *           "tanpa".
 *   A mention of BSrE or BSSN alone, a clause that is cut, reworded or
 *   has a word inserted ("telah tidak ditandatangani", "yang tidak
 *   diterbitkan") does not match.
 *
 * The wordings come from the policy (struct tte_wordings: one exact, any
 * number of variants); without one, the built-in table of
 * pdf_statement.c (the same texts as policy/bsre-default.xml). The
 * clause rule applies to the built-in ones, and to a policy's when it
 * says so (clauseRule, struct tte_wordings.clause_rule).
 */
#ifndef TTE_PDF_STATEMENT_H
#define TTE_PDF_STATEMENT_H

#include <stddef.h>

#include "../result.h"

/*
 * Classifies text (UTF-8, len bytes, need not be NUL-terminated; NULL
 * only with len 0) as extracted by pdf_text_extract:
 *   text_ops == 0: TTE_STMT_NO_TEXT (no text layer), or TTE_STMT_UNKNOWN
 *                  when undecodable (content that could not be read may
 *                  have held text: fail closed);
 *   else TTE_STMT_EXACT or TTE_STMT_VARIANT as above; else
 *   TTE_STMT_UNKNOWN when undecodable is nonzero (the statement may be in
 *   text that could not be decoded), else TTE_STMT_MISSING.
 * Out of memory gives TTE_STMT_UNKNOWN. w NULL: the built-in wordings.
 */
enum tte_statement pdf_statement_match(const char *text, size_t len,
				       int text_ops, int undecodable,
				       const struct tte_wordings *w);

#endif
