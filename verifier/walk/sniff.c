/*
 * sniff.c - a document's format from its first bytes.
 *
 * What each format looks like at its start:
 *
 *   ZIP   "PK\3\4" (local file header, APPNOTE.TXT §4.3.7) or "PK\5\6" (end
 *         of central directory alone: an empty archive, §4.3.16)
 *   ASIC  a zip whose first local header is
 *           "PK\3\4" ver(2) flags(2) method(2) time(2) date(2) crc(4)
 *           csize(4) usize(4) namelen(2) extralen(2) name extra data
 *         with name "mimetype", method 0 (stored) and data starting with
 *         "application/vnd.etsi.asic" (ETSI EN 319 162-1 §A.1)
 *   CMS   DER/BER: 30 <len> 06 09 2a 86 48 86 f7 0d 01 07 02, a ContentInfo
 *         SEQUENCE whose contentType is id-signedData (RFC 5652 §3, §5.1);
 *         <len> may be short, long (up to 4 octets) or indefinite (0x80,
 *         BER: CMS producers emit it when streaming)
 *         PEM: "-----BEGIN PKCS7-----", "-----BEGIN CMS-----" or
 *         "-----BEGIN PKCS #7 SIGNED DATA-----" (RFC 7468 §10)
 *         base64 DER ("MI...") only when the name ends in .p7s or .p7m
 *   PDF   "%PDF-" within the first 1024 bytes (ISO 32000-1 §7.5.2 and
 *         Acrobat's implementation note on leading garbage)
 *   XML   "<" after an optional UTF-8 byte order mark and white space
 *
 * The order of the checks matters where formats can overlap: a CMS
 * SignedData with an attached PDF has "%PDF-" within its first hundred
 * bytes, so the DER check comes before the PDF search; a zip may store a
 * PDF near its start, so the zip check comes first of all.
 *
 * Unsupported, on purpose: high-tag-number or 5+ octet lengths in the
 * ContentInfo (no real CMS needs them), UTF-16 XML, base64 CMS without a
 * telling name (too easy to mistake for any text).
 */
#include "sniff.h"

#include <string.h>

#include "../base/rd.h"

#define SNIFF_PDF_WINDOW 1024      /* where readers look for "%PDF-" */
#define SNIFF_DER_MAX_LEN_OCTETS 4 /* as rd_der: no CMS is over 4 GiB */

/* id-signedData, 1.2.840.113549.1.7.2, as a DER OBJECT IDENTIFIER TLV */
static const uint8_t oid_signed_data[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                          0xf7, 0x0d, 0x01, 0x07, 0x02};

/* True when the bytes at r's position start with s[0..n); r does not move. */
static int
at_bytes(const struct rd *r, const void *s, size_t n)
{
	struct rd t = *r;
	const uint8_t *b;

	if (rd_bytes(&t, n, &b, NULL) != TTE_OK)
		return 0;
	return memcmp(b, s, n) == 0;
}

static int
at_str(const struct rd *r, const char *s)
{
	return at_bytes(r, s, strlen(s));
}

/* Moves r past a UTF-8 byte order mark and then past white space. */
static void
skip_bom_and_space(struct rd *r)
{
	struct rd t;
	uint8_t c;

	if (at_str(r, "\xef\xbb\xbf") && rd_skip(r, 3, NULL) != TTE_OK)
		return;
	for (;;) {
		t = *r;
		if (rd_u8(&t, &c, NULL) != TTE_OK)
			return;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return;
		*r = t;
	}
}

/* Reads a little-endian 16-bit field (APPNOTE.TXT §4.4: all fields LE). */
static int
get_le16(struct rd *r, uint16_t *out)
{
	uint8_t lo, hi;

	if (rd_u8(r, &lo, NULL) != TTE_OK || rd_u8(r, &hi, NULL) != TTE_OK)
		return 0;
	*out = (uint16_t)(lo | (hi << 8));
	return 1;
}

/* See the ASIC layout at the top. r is at "PK\3\4". */
static int
is_asic_local_header(struct rd r)
{
	const uint8_t *name;
	uint16_t method, name_len, extra_len;

	/* signature, version needed, flags */
	if (rd_skip(&r, 8, NULL) != TTE_OK || !get_le16(&r, &method))
		return 0;
	/* time, date, crc-32, compressed and uncompressed sizes */
	if (rd_skip(&r, 16, NULL) != TTE_OK)
		return 0;
	if (!get_le16(&r, &name_len) || !get_le16(&r, &extra_len))
		return 0;
	if (rd_bytes(&r, name_len, &name, NULL) != TTE_OK)
		return 0;
	if (name_len != 8 || memcmp(name, "mimetype", 8) != 0)
		return 0;
	if (rd_skip(&r, extra_len, NULL) != TTE_OK)
		return 0;
	/* EN 319 162-1 §A.1: "mimetype" is stored, so its bytes are here */
	return method == 0 && at_str(&r, "application/vnd.etsi.asic");
}

/* See the CMS layout at the top; truncated content after the OID is still
 * CMS, so that the CMS parser, not the sniffer, reports the truncation. */
static int
is_der_cms(struct rd r)
{
	uint8_t tag, first;

	if (rd_u8(&r, &tag, NULL) != TTE_OK || tag != 0x30)
		return 0;
	if (rd_u8(&r, &first, NULL) != TTE_OK)
		return 0;
	if (first > 0x80) {
		if ((first & 0x7f) > SNIFF_DER_MAX_LEN_OCTETS)
			return 0;
		if (rd_skip(&r, first & 0x7f, NULL) != TTE_OK)
			return 0;
	}
	return at_bytes(&r, oid_signed_data, sizeof(oid_signed_data));
}

static int
is_pem_cms(const struct rd *r)
{
	return at_str(r, "-----BEGIN PKCS7-----") ||
	       at_str(r, "-----BEGIN CMS-----") ||
	       at_str(r, "-----BEGIN PKCS #7 SIGNED DATA-----");
}

static int
has_pdf_header(const uint8_t *p, size_t len)
{
	struct rd r, t;
	size_t window = len < SNIFF_PDF_WINDOW ? len : SNIFF_PDF_WINDOW;

	rd_init(&r, p, window);
	while (rd_left(&r) >= 5) {
		t = r;
		if (at_str(&t, "%PDF-"))
			return 1;
		if (rd_skip(&r, 1, NULL) != TTE_OK)
			return 0;
	}
	return 0;
}

/* Case-insensitive ASCII suffix test on a file name. */
static int
name_ends_with(const char *name, const char *suffix)
{
	size_t n, m;

	if (name == NULL)
		return 0;
	n = strlen(name);
	m = strlen(suffix);
	if (n < m)
		return 0;
	for (size_t i = 0; i < m; i++) {
		char c = name[n - m + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

/* see sniff.h */
enum tte_format
sniff_format(const uint8_t *p, size_t len, const char *name)
{
	struct rd r;

	rd_init(&r, p, len);
	if (at_str(&r, "PK\x03\x04"))
		return is_asic_local_header(r) ? TTE_FMT_ASIC : TTE_FMT_ZIP;
	if (at_str(&r, "PK\x05\x06"))
		return TTE_FMT_ZIP;
	if (is_der_cms(r))
		return TTE_FMT_CMS;
	if (at_str(&r, "%PDF-"))
		return TTE_FMT_PDF;
	skip_bom_and_space(&r);
	if (is_pem_cms(&r))
		return TTE_FMT_CMS;
	/* "<" before any "%PDF-" deep in the window: XML that mentions PDF */
	if (at_str(&r, "<"))
		return TTE_FMT_XML;
	if (has_pdf_header(p, len))
		return TTE_FMT_PDF;
	/* base64 of DER 30 8x ... starts "MI"; only the name makes it likely */
	if ((name_ends_with(name, ".p7s") || name_ends_with(name, ".p7m")) &&
	    at_str(&r, "MI"))
		return TTE_FMT_CMS;
	return TTE_FMT_UNKNOWN;
}

/* see sniff.h */
const char *
sniff_format_name(enum tte_format f)
{
	switch (f) {
	case TTE_FMT_UNKNOWN:
		return "unknown";
	case TTE_FMT_PDF:
		return "pdf";
	case TTE_FMT_CMS:
		return "cms";
	case TTE_FMT_XML:
		return "xml";
	case TTE_FMT_ZIP:
		return "zip";
	case TTE_FMT_ASIC:
		return "asic";
	}
	return "unknown";
}
