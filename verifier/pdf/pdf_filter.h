/*
 * pdf_filter.h - stream filters (ISO 32000-1 §7.4), internal to
 * verifier/pdf: pdf_doc_stream() chains them.
 *
 * Every decoder writes at most `cap` bytes and fails with TTE_E_TOO_BIG
 * before going over, so a decompression bomb costs CPU up to the cap and
 * no memory beyond it. Output is measured first and then written into an
 * arena block of exactly the right size.
 */
#ifndef TTE_PDF_FILTER_H
#define TTE_PDF_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../diag.h"

#define PDF_MAX_FILTERS 8 /* filters chained on one stream */
/* /Colors: 32 channels is DeviceN's limit (ISO 32000-1 Annex C). */
#define PDF_FILTER_MAX_COLORS 32
/* /Columns: 16 M samples per row, far beyond any image. */
#define PDF_FILTER_MAX_COLUMNS (1L << 24)

enum pdf_filter {
	PDF_FILTER_FLATE,     /* FlateDecode (zlib, RFC 1950/1951) */
	PDF_FILTER_ASCIIHEX,  /* ASCIIHexDecode */
	PDF_FILTER_ASCII85,   /* ASCII85Decode */
	PDF_FILTER_RUNLENGTH, /* RunLengthDecode */
};

/* /DecodeParms of FlateDecode (§7.4.4.4, Table 8). */
struct pdf_filter_parms {
	long predictor; /* 1 none, 2 TIFF, 10..15 PNG */
	long colors;    /* samples per pixel, default 1 */
	long bpc;       /* bits per component: 1, 2, 4, 8 or 16 */
	long columns;   /* samples per row, default 1 */
};

/* Sets p to the defaults of Table 8 (no predictor). */
void pdf_filter_parms_init(struct pdf_filter_parms *p);

/* The filter called name (full names only: the abbreviations of §8.9.7
 * belong to inline images). Others are TTE_E_UNSUPPORTED. */
TTE_MUST_USE tte_err pdf_filter_lookup(const char *name, enum pdf_filter *f,
                                       struct diag *d);

/*
 * Decodes in[0..n) with filter f (parms may be NULL: defaults) into a
 * block of a; *out and *out_len receive it (*out is NUL-terminated one
 * past the end, for convenience). More than cap output bytes is
 * TTE_E_TOO_BIG, a corrupt encoding TTE_E_MALFORMED, encoded data that
 * ends before its end-of-data mark TTE_E_TRUNCATED, unsupported predictor
 * parameters TTE_E_UNSUPPORTED. With cut not NULL, flate data that just
 * stops (no final block: common in the wild) gives what it decoded so
 * far and sets *cut to 1 (the caller reports it); *cut is 0 otherwise.
 */
TTE_MUST_USE tte_err pdf_filter_decode(enum pdf_filter f,
                                       const struct pdf_filter_parms *parms,
                                       const uint8_t *in, size_t n, size_t cap,
                                       struct arena *a, const uint8_t **out,
                                       size_t *out_len, int *cut,
                                       struct diag *d);

#endif
