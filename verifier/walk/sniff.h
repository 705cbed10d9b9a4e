/*
 * sniff.h - a document's format, from its content first and its name
 * only as a tie-breaker (a .p7s that holds a PDF is a PDF).
 */
#ifndef TTE_SNIFF_H
#define TTE_SNIFF_H

#include <stddef.h>
#include <stdint.h>

enum tte_format {
	TTE_FMT_UNKNOWN,
	TTE_FMT_PDF,  /* "%PDF-" within the first 1024 bytes */
	TTE_FMT_CMS,  /* DER or PEM (CMS/PKCS7) ContentInfo, signedData */
	TTE_FMT_XML,  /* XML document (XAdES / XML-DSig candidates) */
	TTE_FMT_ZIP,  /* zip archive to descend */
	TTE_FMT_ASIC, /* zip whose "mimetype" names an ASiC container */
};

/*
 * Sniffs p[0..len). name (may be NULL) only breaks ties, e.g. base64 or
 * PEM CMS. Never reads past len.
 */
enum tte_format sniff_format(const uint8_t *p, size_t len, const char *name);

/* "pdf", "cms", "xml", "zip", "asic" or "unknown" (for the JSON). */
const char *sniff_format_name(enum tte_format f);

#endif
