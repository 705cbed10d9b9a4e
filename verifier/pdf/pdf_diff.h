/*
 * pdf_diff.h - what the revisions after a signature changed, and whether
 * a signature allows it (ISO 32000-1 §12.8.2.2 DocMDP; ETSI EN 319 142-1
 * §5.4 for DSS and document timestamps).
 *
 * Default deny: every object that a later revision redefines or frees is
 * compared with its signed version, and a change is allowed only when it
 * matches one of these patterns:
 *  - adding signatures: new signature fields, their widgets and
 *    appearances, /AcroForm /Fields growing, a page's /Annots growing by
 *    widgets, an empty signature field receiving its /V (not with P=1);
 *  - adding a DSS dictionary or document timestamps (always);
 *  - form filling: a non-signature field's /V and its widgets' /AS and
 *    /AP (P >= 2, or no certification);
 *  - adding annotations to a page (P = 3, or no certification; noted);
 *  - document information and XMP metadata (noted).
 * Everything else — page content, resources, fonts, XObjects, the page
 * tree, the catalog's other keys, signed signature fields, objects
 * overridden or freed — is disallowed and listed: this is what defeats
 * the Incremental Saving and shadow attacks.
 */
#ifndef TTE_PDF_DIFF_H
#define TTE_PDF_DIFF_H

#include "../result.h"
#include "pdf_doc.h"

#define PDF_MAX_CHANGES 64 /* changes listed per signature */

/*
 * Compares revision rev with the last revision of pd and sets sig->mods
 * and sig->changes (messages from a). p is the DocMDP level in force
 * (0 none, 1 to 3). Returns an error (d filled) when an object needed for
 * the comparison cannot be read; sig->mods then stays NOT_DONE.
 */
TTE_MUST_USE tte_err pdf_diff_analyse(struct pdf_doc *pd, size_t rev, int p,
				      struct tte_sig *sig, struct arena *a,
				      struct diag *d);

#endif
