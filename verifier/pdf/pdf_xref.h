/*
 * pdf_xref.h - cross-reference sections and the document internals that
 * pdf_xref.c and pdf_doc.c share. Internal to verifier/pdf: callers use
 * pdf_doc.h.
 */
#ifndef TTE_PDF_XREF_H
#define TTE_PDF_XREF_H

#include "pdf_doc.h"

/* "No revision yet": references are not followed (while the xref is
 * read). */
#define PDF_NO_REV ((size_t)-1)
/* Entries over all sections: two full PDF_MAX_OBJECTS tables; keeps the
 * memory for entries near 100 MiB. */
#define PDF_MAX_XREF_ENTRIES 4000000
/* Objects loading each other (a stream's indirect /Length, its object
 * stream, ...): real files need 3. */
#define PDF_MAX_LOAD_DEPTH 16
/* Searches for "endstream" after a wrong /Length (and the other scans
 * of a broken file) may read the file this many times over, plus 1 MiB,
 * never more: wrong lengths everywhere must not be quadratic. */
#define PDF_SCAN_BUDGET 4

/* An object stream once decoded (ISO 32000-1 §7.5.7). */
struct pdf_objstm {
	const uint8_t *data; /* decoded, in the arena */
	size_t len;
	size_t first;   /* /First: where the objects start */
	size_t n;       /* /N */
	uint32_t *nums; /* object number of member i */
	size_t *offs;   /* its offset, relative to first */
	tte_err fail;   /* not TTE_OK: decoding failed, for msg */
	const char *msg;
	size_t lex_left; /* bytes its members' parses may still read: as
			    lex_left in struct pdf_doc_priv, over data */
};

/* What doc->cache points to. */
struct pdf_doc_priv {
	struct pdf_obj ***slots;      /* [section][index in nums]: loaded */
	struct pdf_objstm ***objstms; /* [section][index]: decoded */
	int32_t *flat;                /* newest revision: number -> section,
	                                 -1 undefined; NULL when few
	                                 sections make it not worth it */
	size_t n_flat;
	struct pdf_obj busy;        /* slot mark: loading in progress */
	unsigned depth;             /* nested loads in progress */
	int ctx_fail;               /* a load failed for a reason that
	                               depends on the loads around it */
	size_t scan_left;           /* "endstream" search budget, bytes */
	size_t lex_left;            /* bytes object loads may still read
	                               (pdf_lex.reach), PDF_SCAN_BUDGET
	                               times the file: objects that overlap
	                               (a string running over the next
	                               ones) are read again by each load */
	struct pdf_parsed **offmap; /* file offset -> parsed object: an
	                               object listed by many sections or
	                               entries is parsed once */
	size_t offmap_n, offmap_cap;
	size_t notes_cap;
	int quiet; /* no notes (recovery's trial parses) */
};

/* An indirect object as read at a file offset. */
struct pdf_indirect {
	uint32_t num; /* from its "N G obj" header */
	uint16_t gen;
	struct pdf_obj *obj;  /* the value, or a PDF_STREAM */
	size_t end;           /* past "endobj" (or the value when it is
	                         missing: noted) */
	struct pdf_obj *dict; /* a stream's dictionary, */
	size_t kw_end;        /* where its "stream" keyword ends, */
	int len_indirect;     /* and whether its /Length is a reference */
	size_t reach;         /* one past the furthest byte read for it
	                         (pdf_lex.reach), set on errors too */
};

struct pdf_parsed; /* an object parsed at a file offset (pdf_doc.c) */

/* --- pdf_xref.c ------------------------------------------------------- */

/*
 * Reads doc's sections from the last startxref through the /Prev chain
 * (table, stream or hybrid), sets their extents and doc->trailing_off.
 * Fills doc->secs (oldest first) and doc->n_secs only on success.
 */
TTE_MUST_USE tte_err pdf_xref_read(struct pdf_doc *doc, struct diag *d);

/*
 * Rebuilds doc as one section by scanning the whole file for
 * "N G obj" headers (the last definition of a number wins, object
 * streams included) and for a trailer (the last "trailer" dictionary or
 * cross-reference stream with /Root, else the last /Type /Catalog).
 */
TTE_MUST_USE tte_err pdf_xref_recover(struct pdf_doc *doc, struct diag *d);

/* --- pdf_doc.c -------------------------------------------------------- */

/*
 * Parses "N G obj value [stream ... endstream] endobj" at file offset
 * off. rev is the revision an indirect /Length is resolved in, or
 * PDF_NO_REV: then only a direct /Length counts. A /Length that does not
 * end at "endstream" is replaced by a search for "endstream" (noted).
 */
TTE_MUST_USE tte_err pdf_doc_parse_at(struct pdf_doc *doc, size_t off,
                                      size_t rev, struct pdf_indirect *io,
                                      struct diag *d);

/* pdf_doc_stream with an explicit output cap (at most the usual one). */
TTE_MUST_USE tte_err pdf_doc_stream_capped(struct pdf_doc *doc, size_t rev,
                                           const struct pdf_obj *stream,
                                           size_t cap, const uint8_t **out,
                                           size_t *len, struct diag *d);

/* The entry for num as of rev, its section and its index there. */
const struct pdf_xref_ent *pdf_doc_find(const struct pdf_doc *doc, size_t rev,
                                        uint32_t num, size_t *sec, size_t *idx);

/* The object stream num as of rev, decoded and its header read
 * (cached). */
TTE_MUST_USE tte_err pdf_doc_objstm(struct pdf_doc *doc, size_t rev,
                                    uint32_t num, struct pdf_objstm **out,
                                    struct diag *d);

/* Forgets every loaded object and index (after the sections change). */
TTE_MUST_USE tte_err pdf_doc_reset_cache(struct pdf_doc *doc, struct diag *d);

/* Adds a leniency note (see struct pdf_doc). */
void pdf_doc_note(struct pdf_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
