/*
 * pdf_doc.h - a PDF file as a chain of revisions (ISO 32000-1 §7.5):
 * the original body plus each incremental update, each closed by its own
 * cross-reference section (table, stream, or hybrid with /XRefStm),
 * trailer, startxref and %%EOF.
 *
 * Revision r is sections 0..r merged, later sections winning: what a
 * reader saw when the file ended at secs[r].eof_end. Signatures are
 * checked against the revision they cover, and the objects later
 * revisions define are what modification analysis compares.
 *
 * Unsupported, on purpose: encrypted PDFs (/Encrypt: FORMAT_FAILURE, a
 * verifier must not guess keys), LZW and image filters (never needed for
 * signatures, structure or text).
 */
#ifndef TTE_PDF_DOC_H
#define TTE_PDF_DOC_H

#include "pdf_obj.h"

#define PDF_MAX_SECTIONS 4096        /* revisions in one file */
#define PDF_MAX_OBJECTS 2000000      /* object numbers */
#define PDF_MAX_STREAM (256UL << 20) /* one decoded stream */
#define PDF_MAX_RATIO 1000           /* decoded / encoded, above 1 MiB */
#define PDF_MAX_REF_CHAIN 32         /* "1 0 R" pointing to a ref ... */
#define PDF_MAX_NOTES 64             /* leniency notes kept per document */

struct pdf_xref_ent {
	uint8_t type;   /* 0 free, 1 at an offset, 2 in an object stream */
	uint16_t gen;
	uint64_t off;   /* type 1: byte offset; type 2: object stream num */
	uint32_t idx;   /* type 2: index inside the object stream */
};

struct pdf_section {
	size_t xref_off;          /* where this section's xref starts, as
				     startxref or /Prev says (when it is
				     found a few bytes away, noted) */
	size_t eof_end;           /* one past "%%EOF" and its EOL; 0 unknown */
	size_t body_start;        /* previous section's eof_end (0 for first) */
	int is_stream;            /* a cross-reference stream */
	int has_xrefstm;          /* hybrid: a table with /XRefStm */
	struct pdf_obj *trailer;  /* trailer dictionary (or xref stream dict) */
	uint32_t *nums;           /* object numbers this section defines, */
	struct pdf_xref_ent *ents;/* sorted ascending, with their entries */
	size_t n;
};

struct pdf_doc {
	const uint8_t *data;      /* borrowed: the whole file */
	size_t len;
	struct arena *a;          /* borrowed: owns every object */
	struct pdf_section *secs; /* oldest first */
	size_t n_secs;
	int recovered;            /* xref rebuilt by scanning: reported */
	const char *recover_reason;
	size_t trailing_off;      /* non-blank bytes after the last %%EOF
				     start here; 0 when none */
	int encrypted;
	void *cache;              /* parsed objects, private */
	/* Leniencies applied while reading (a stream's wrong /Length, a
	 * missing endobj, an xref subsection starting at 1 instead of 0,
	 * ...): each a message naming the offset, oldest first, in the
	 * arena. Findings to report, never silent (STYLE.md rule 5). At
	 * most PDF_MAX_NOTES are kept; n_notes_dropped counts the rest. */
	const char **notes;
	size_t n_notes;
	size_t n_notes_dropped;
};

/*
 * Reads the revision structure of data[0..len): every xref section via
 * startxref and /Prev (visited set against loops; at most
 * PDF_MAX_SECTIONS), their extents, and trailers. A file whose xref
 * cannot be read is recovered by scanning for "N G obj" when possible
 * (recovered is set and the reason kept); otherwise TTE_E_MALFORMED.
 * Over a limit (PDF_MAX_SECTIONS, PDF_MAX_OBJECTS, ...) is TTE_E_TOO_BIG,
 * never recovered; empty input TTE_E_TRUNCATED. A trailer with /Encrypt
 * sets encrypted and opens. All memory comes from a; data must outlive
 * the doc.
 */
TTE_MUST_USE tte_err pdf_doc_open(const uint8_t *data, size_t len,
				  struct arena *a, struct pdf_doc **out,
				  struct diag *d);

/* The xref entry for num as of revision rev, and the index of the section
 * that defined it (*sec may be NULL). NULL when num is not defined. */
const struct pdf_xref_ent *pdf_doc_entry(const struct pdf_doc *doc,
					 size_t rev, uint32_t num,
					 size_t *sec);

/*
 * Object num as of revision rev (the "N G obj ... endobj" body, or the
 * object-stream member). *out is NULL when num is free or undefined.
 * Errors (bad offset, header number mismatch, limits) are TTE_E_* with d
 * filled. Results are cached: the same entry gives the same object (and
 * the same error). A stream object spans from its dictionary to past
 * "endstream"; members of object streams have in_objstm set.
 */
TTE_MUST_USE tte_err pdf_doc_object(struct pdf_doc *doc, size_t rev,
				    uint32_t num, struct pdf_obj **out,
				    struct diag *d);

/* Follows references from o as of rev (at most PDF_MAX_REF_CHAIN);
 * *out is o itself when o is not a reference, NULL for a free object. */
TTE_MUST_USE tte_err pdf_doc_resolve(struct pdf_doc *doc, size_t rev,
				     struct pdf_obj *o, struct pdf_obj **out,
				     struct diag *d);

/* pdf_dict_get then pdf_doc_resolve; NULL when absent. Errors while
 * resolving give NULL too and are recorded in d. */
struct pdf_obj *pdf_doc_get(struct pdf_doc *doc, size_t rev,
			    const struct pdf_obj *dict, const char *key,
			    struct diag *d);

/*
 * The decoded data of a stream object as of rev (its /Length may be an
 * indirect object): FlateDecode (with PNG/TIFF predictors), ASCIIHex,
 * ASCII85, RunLength; the output is capped at PDF_MAX_STREAM and at
 * PDF_MAX_RATIO (TTE_E_TOO_BIG). *out is in the arena, or points into
 * data when the stream has no filter: either way it lives as long as
 * the doc. Unsupported filters are TTE_E_UNSUPPORTED. Flate data that
 * stops before its end mark gives what it decoded (noted).
 */
TTE_MUST_USE tte_err pdf_doc_stream(struct pdf_doc *doc, size_t rev,
				    const struct pdf_obj *stream,
				    const uint8_t **out, size_t *len,
				    struct diag *d);

/* The revision whose section ends exactly at offset end (eof_end), or -1. */
long pdf_doc_rev_ending_at(const struct pdf_doc *doc, size_t end);

#endif
