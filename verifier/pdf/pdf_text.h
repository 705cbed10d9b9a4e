/*
 * pdf_text.h - the text of a PDF revision, as far as the statement check
 * needs it (ISO 32000-1 §9 "Text", §8.10 form XObjects, §9.10 extraction
 * of text content).
 *
 * The extractor walks the page tree of one revision in order, runs each
 * page's content (and the form XObjects it paints, recursively) through a
 * small interpreter that knows only the operators that place or show
 * text, and maps every character code to Unicode:
 *
 *   1. the font's /ToUnicode CMap when it has one (bfchar, both forms of
 *      bfrange, 1- to 4-byte codes, UTF-16BE destinations);
 *   2. else, for simple fonts (Type1, MMType1, TrueType, Type3), the
 *      /Encoding: a base encoding (Standard, WinAnsi, MacRoman,
 *      PDFDoc) patched by /Differences, glyph names mapped through a
 *      built-in subset of the Adobe Glyph List (Latin letters, digits,
 *      punctuation, uniXXXX and uXXXX[XX] forms, "f_i" ligatures);
 *   3. else, for composite (Type0) fonts, only the Uni*-UCS2 and
 *      Uni*-UTF16 CMaps, whose codes are Unicode.
 *
 * A code that none of these maps is "undecodable": it is written as
 * U+FFFD and counted, so the caller can tell "the statement is not in
 * the text" from "the text could not be read". Content that could not be
 * read at all (a broken or unsupported stream, a form nested too deep or
 * in a loop) is counted the same way: fail closed.
 *
 * Layout is approximate: a vertical move of more than half the font size
 * becomes a line break, a horizontal gap of more than a fifth of it (or a
 * TJ adjustment below -PDF_TEXT_TJ_SPACE) a space, and a page break a
 * form feed. Widths come from /Widths and /W when the font
 * has them; else each glyph is taken as half an em wide and gaps after it
 * are judged with slack.
 *
 * Unsupported, on purpose: annotation appearance streams (the text of a
 * signature widget is not part of the page content), Type3 glyph
 * procedures (never run: their text is their code), the built-in
 * encodings of Symbol and ZapfDingbats (codes there are not letters),
 * CID-keyed fonts without /ToUnicode other than Uni*-UCS2/UTF16 (no CID
 * to Unicode tables are shipped), reading order beyond content order.
 */
#ifndef TTE_PDF_TEXT_H
#define TTE_PDF_TEXT_H

#include <stddef.h>

#include "pdf_doc.h"

/* Text written for one document: 5,000 dense pages; beyond it the
 * statement check is pointless and memory is at stake. */
#define PDF_TEXT_MAX_OUT (16UL << 20)
/* Content operators run for one document, forms included: a fan-out of
 * form XObjects (each painting the next many times) ends here. */
#define PDF_TEXT_MAX_OPS 20000000L
/* Bytes of content streams run for one document, forms included each
 * time they are painted: one stream of PDF_MAX_STREAM fits, and pages
 * or paints that share a stream cannot multiply the work (2,000 paints
 * of a 1 MB form took 1.2 s). */
#define PDF_TEXT_MAX_CONTENT (256UL << 20)
/* Form XObjects inside form XObjects (MuPDF and pdf.js stop at similar
 * depths; real documents rarely go past 3). */
#define PDF_TEXT_MAX_XOBJ_DEPTH 12
/* Page tree levels (/Pages /Kids); a balanced tree of 1 million pages
 * needs fewer than 20. */
#define PDF_TEXT_MAX_TREE_DEPTH 64
/* Pages walked in one revision. */
#define PDF_TEXT_MAX_PAGES 100000
/* bfchar entries plus bfrange lines in one CMap (a full BMP font needs
 * 65,536 at most). */
#define PDF_TEXT_MAX_CMAP_ENTRIES 100000
/* Nested q operators kept (§8.4.2 has no limit; Acrobat's is 28). */
#define PDF_TEXT_MAX_GSTACK 64
/* Distinct fonts decoded in one document; more fonts are read as text of
 * unknown meaning rather than exhaust memory. */
#define PDF_TEXT_MAX_FONTS 4096
/* A TJ number below minus this (thousandths of an em) reads as a space. */
#define PDF_TEXT_TJ_SPACE 200

struct pdf_text_stats {
	int text_ops;        /* Tj, TJ, ' and " operators run */
	size_t undecodable;  /* codes (and unreadable content streams,
				forms, pages) whose text is unknown */
	size_t pages;        /* pages walked */
	size_t problems;     /* non-fatal problems (broken stream, font,
				loop); the first is described below */
	const char *first_problem; /* in the arena; NULL when none */
};

/*
 * The UTF-8 text of every page of revision rev of pd (0-based, as in
 * pd->secs), pages in order, each page break a '\f' (so the text of page
 * k follows the k-th form feed, empty pages included).
 *
 * pd:       an open document; its arena (pd->a) receives the text.
 * out, len: the NUL-terminated text (borrowed from pd->a) and its length
 *           without the NUL.
 * text_ops: text-showing operators seen; 0 means the revision has no text
 *           layer at all.
 * d:        receives the error.
 *
 * Broken parts of a document (a content stream that does not decode, a
 * font whose CMap is garbage, a form that paints itself) do not fail the
 * call: they are counted (see pdf_text_extract_stats) and their text is
 * treated as unknown. Errors: TTE_E_USAGE for a revision out of range,
 * TTE_E_MALFORMED when the revision has no page tree, TTE_E_NOMEM, and
 * TTE_E_TOO_BIG past PDF_TEXT_MAX_OUT, PDF_TEXT_MAX_OPS,
 * PDF_TEXT_MAX_CONTENT or
 * PDF_TEXT_MAX_PAGES - in that case *out, *len and *text_ops still hold
 * what was extracted before the limit. On other errors *out is NULL.
 */
TTE_MUST_USE tte_err pdf_text_extract(struct pdf_doc *pd, size_t rev,
				      const char **out, size_t *len,
				      int *text_ops, struct diag *d);

/*
 * pdf_text_extract with the counts that a statement check needs (st is
 * filled on success and on TTE_E_TOO_BIG; st->text_ops is what
 * pdf_text_extract returns in *text_ops). Pass st->undecodable != 0 as
 * pdf_statement_match's `undecodable`.
 */
TTE_MUST_USE tte_err pdf_text_extract_stats(struct pdf_doc *pd, size_t rev,
					    const char **out, size_t *len,
					    struct pdf_text_stats *st,
					    struct diag *d);

#endif
