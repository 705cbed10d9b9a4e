/*
 * pdf_sig.h - the signatures of a PDF (ISO 32000-1 §12.8, ETSI EN 319
 * 142-1 PAdES): found through the AcroForm signature fields of the last
 * revision, each checked for
 *  - a readable signature dictionary (/Contents a string, /ByteRange four
 *    integers: their absence is the Universal Signature Forgery);
 *  - the /ByteRange rules: starts at 0, two ranges, the gap exactly the
 *    /Contents string with its delimiters, and the ranges ending exactly
 *    at the end of a revision that holds the signature dictionary (else
 *    Signature Wrapping);
 *  - the CMS over the two ranges (cms_verify_pdf), by SubFilter;
 *  - what later revisions changed (pdf_diff.h) under the DocMDP level.
 *
 * Unsupported, on purpose: adbe.x509.rsa_sha1 (PKCS #1 signatures without
 * CMS: reported as FORMAT_FAILURE), FieldMDP /Lock dictionaries (noted).
 */
#ifndef TTE_PDF_SIG_H
#define TTE_PDF_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "../pki/pki_store.h"
#include "../result.h"

#define PDF_MAX_FIELDS 10000    /* form fields visited in one document */
#define PDF_MAX_FIELD_DEPTH 32  /* /Kids nesting of the field tree */
#define PDF_MAX_SIGNATURES 256  /* signature dictionaries verified */

/*
 * Adds one signature per signature dictionary of the PDF in
 * data[0..len) to doc, with every fact above. Returns an error (d
 * filled) only when the file is not a readable PDF; a PDF without
 * signatures adds none (the verdict is then SIGNED_DATA_NOT_FOUND).
 */
TTE_MUST_USE tte_err pdf_sig_verify(struct tte_doc *doc,
				    const struct pki_store *store,
				    const uint8_t *data, size_t len,
				    struct diag *d);

#endif
