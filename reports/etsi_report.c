/*
 * etsi_report.c - the ETSI TS 119 102-2 validation report, streamed with
 * libxml2's xmlTextWriter.
 *
 * Every element is written in the order of the schema's xs:sequence
 * (policy/etsi/1910202xmlSchema.xsd, TS 119 102-2 clause 4 and Annex A);
 * the unit test validates the output against it. Strings from documents
 * (paths, subject names, reasons) may hold any bytes: they go through
 * clean(), which keeps only valid UTF-8 made of XML 1.0 characters
 * (XML 1.0 §2.2 "Char") and cuts them at ETSI_REPORT_MAX_STR.
 *
 * Unsupported, on purpose:
 *  - vr:SignatureValidator (optional, and we are not a TSP);
 *  - vr:SignersDocument (for a PDF the signed bytes are the ByteRange,
 *    not the file whose SHA-256 we know);
 *  - validation objects for revocation data and timestamps: only
 *    certificates are listed.
 */
#include "etsi_report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "../verifier/base/hex.h"
#include "../verifier/base/isotime.h"
#include "../verifier/base/utf8.h"

#define NS_VR "http://uri.etsi.org/19102/v1.2.1#"
#define NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define NS_XADES "http://uri.etsi.org/01903/v1.3.2#"

/* TS 119 102-2 clause 4.3.4.2 (main indications), 4.3.4.3
 * (sub-indications), 4.3.5.4.2 (constraint status), 4.4.6.2 (type of
 * proof), 4.4.8 (validation object types). */
#define URI_MAIN "urn:etsi:019102:mainindication:"
#define URI_SUB "urn:etsi:019102:subindication:"
#define URI_APPLIED "urn:etsi:019102:constraintStatus:applied"
#define URI_DISABLED "urn:etsi:019102:constraintStatus:disabled"
#define URI_POE_VALIDATION "urn:etsi:019102:poetype:validation"
#define URI_VO_CERT "urn:etsi:019102:validationObject:certificate"
#define URI_SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"

/* Ours (see etsi_report.h). */
#define URI_CONSTRAINT "urn:tteaudit:constraint:"
#define URI_LEVEL "urn:tteaudit:level"
#define URI_SCOPE "urn:tteaudit:scope"
#define URI_MESSAGE "urn:tteaudit:message"
#define URI_REASON "urn:tteaudit:reason"
#define URI_ERROR "urn:tteaudit:error"
#define URI_KIND "urn:tteaudit:kind"
#define URI_NOTE "urn:tteaudit:note"

#define SHA256_LEN 32
#define CERT_ID_LEN (2 + 2 * SHA256_LEN + 1) /* "C-" hex NUL */
#define CERT_TAB_MIN 1024 /* first hash table size (a power of two) */

/* The distinct certificates referenced so far, in order of first use;
 * tab is an open-addressing index into sha (slot value i + 1, 0 empty). */
struct cert_set {
	uint8_t (*sha)[SHA256_LEN];
	size_t n, cap;
	uint32_t *tab;
	size_t tab_size;
	uint64_t seed;
};

struct etsi_report {
	xmlTextWriterPtr w;
	FILE *out;                /* the caller's; flushed, never closed */
	char *policy_name;        /* NULL: each document's own */
	char vtime[ISOTIME_LEN];  /* the validation time, formatted */
	int vtime_ok;
	unsigned long long n_reports;
	int failed;               /* a write or an allocation failed */
	struct cert_set certs;
	int certs_full;           /* ETSI_REPORT_MAX_CERTS was reached */
	char *buf;                /* clean() output, ETSI_REPORT_MAX_STR + 1 */
	size_t len;
};

static const xmlChar *
X(const char *s)
{
	return (const xmlChar *)s;
}

/* ---- writing, with the first failure remembered ---- */

static void
check(struct etsi_report *r, int rc)
{
	if (rc < 0)
		r->failed = 1;
}

static void
start(struct etsi_report *r, const char *name)
{
	check(r, xmlTextWriterStartElement(r->w, X(name)));
}

static void
end(struct etsi_report *r)
{
	check(r, xmlTextWriterEndElement(r->w));
}

static void
attr(struct etsi_report *r, const char *name, const char *value)
{
	check(r, xmlTextWriterWriteAttribute(r->w, X(name), X(value)));
}

/* An element holding text; value must already be clean. */
static void
elem(struct etsi_report *r, const char *name, const char *value)
{
	check(r, xmlTextWriterWriteElement(r->w, X(name), X(value)));
}

/* An empty element, written <name/>. */
static void
empty(struct etsi_report *r, const char *name)
{
	start(r, name);
	end(r);
}

/* ---- clean strings ---- */

/* Length of the UTF-8 sequence at s and its code point in *cp, or 0 when
 * it is not valid UTF-8 (RFC 3629 §4: no overlong forms, surrogates or
 * values past U+10FFFF). s is NUL-terminated, so reading stops at the
 * first byte that is not a continuation. */
static size_t
utf8_dec(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		if ((s[1] & 0xc0) != 0x80)
			return 0;
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		*cp = (uint32_t)(s[0] & 0x0f) << 12 |
		      (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		*cp = (uint32_t)(s[0] & 0x07) << 18 |
		      (uint32_t)(s[1] & 0x3f) << 12 |
		      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

/* XML 1.0 §2.2: the characters a document may hold at all. */
static int
xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd ||
	       (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
	       (cp >= 0x10000 && cp <= 0x10ffff);
}

static void
buf_reset(struct etsi_report *r)
{
	r->len = 0;
	r->buf[0] = '\0';
}

/* Appends n bytes unless the buffer would pass ETSI_REPORT_MAX_STR less
 * room for "..."; returns 0 when it is full. */
static int
buf_put(struct etsi_report *r, const char *p, size_t n)
{
	if (r->len + n > ETSI_REPORT_MAX_STR - 3) {
		if (r->len + 3 <= ETSI_REPORT_MAX_STR &&
		    (r->len < 3 ||
		     memcmp(r->buf + r->len - 3, "...", 3) != 0)) {
			memcpy(r->buf + r->len, "...", 3);
			r->len += 3;
			r->buf[r->len] = '\0';
		}
		return 0;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return 1;
}

/* Appends s (NULL: nothing) as text: bytes that are not UTF-8 and
 * characters XML forbids become U+FFFD. */
static void
buf_text(struct etsi_report *r, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char u[UTF8_MAX];
	uint32_t cp;
	size_t n;

	if (s == NULL)
		return;
	while (*s != '\0') {
		n = utf8_dec(s, &cp);
		if (n == 0 || !xml_char(cp)) {
			if (!buf_put(r, u, utf8_put(0xfffd, u)))
				return;
			s += n == 0 ? 1 : n;
			continue;
		}
		if (!buf_put(r, (const char *)s, n))
			return;
		s += n;
	}
}

/* Appends s as part of a URI (RFC 3986 §2.3 unreserved characters and
 * ':' stay, every other byte is percent-encoded). */
static void
buf_uri(struct etsi_report *r, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	char pct[3];

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		    *s == '_' || *s == '~' || *s == ':') {
			if (!buf_put(r, (const char *)s, 1))
				return;
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[*s >> 4];
		pct[2] = hex[*s & 0xf];
		if (!buf_put(r, pct, 3))
			return;
	}
}

/* s made clean, in r->buf until the next clean(). */
static const char *
clean(struct etsi_report *r, const char *s)
{
	buf_reset(r);
	buf_text(r, s);
	return r->buf;
}

/* ---- the certificates ---- */

/* Reads 64 hex digits; 0 when hex is anything else. */
static int
sha_parse(const char *hex, uint8_t out[SHA256_LEN])
{
	return hex_decode(hex, out, SHA256_LEN) == 0;
}

static void
cert_id(const uint8_t sha[SHA256_LEN], char out[CERT_ID_LEN])
{
	static const char hex[] = "0123456789ABCDEF";

	out[0] = 'C';
	out[1] = '-';
	for (size_t i = 0; i < SHA256_LEN; i++) {
		out[2 + 2 * i] = hex[sha[i] >> 4];
		out[3 + 2 * i] = hex[sha[i] & 0xf];
	}
	out[CERT_ID_LEN - 1] = '\0';
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The slot of sha in tab: its own, or the empty one where it goes. The
 * digests come from documents, so they are hashed with a per-report seed:
 * certificates ground to share a prefix still spread over the table. */
static size_t
slot(const struct cert_set *cs, const uint8_t sha[SHA256_LEN])
{
	uint64_t h = cs->seed, w;
	size_t i;

	for (size_t k = 0; k < SHA256_LEN; k += sizeof(w)) {
		memcpy(&w, sha + k, sizeof(w));
		h = mix(h ^ w);
	}
	i = (size_t)h & (cs->tab_size - 1);
	while (cs->tab[i] != 0 &&
	       memcmp(cs->sha[cs->tab[i] - 1], sha, SHA256_LEN) != 0)
		i = (i + 1) & (cs->tab_size - 1);
	return i;
}

/* Doubles the table (kept at most half full, so probing ends). */
static int
tab_grow(struct cert_set *cs)
{
	size_t size = cs->tab_size == 0 ? CERT_TAB_MIN : 2 * cs->tab_size;
	uint32_t *tab = calloc(size, sizeof(*tab));

	if (tab == NULL)
		return 0;
	free(cs->tab);
	cs->tab = tab;
	cs->tab_size = size;
	for (size_t i = 0; i < cs->n; i++)
		cs->tab[slot(cs, cs->sha[i])] = (uint32_t)(i + 1);
	return 1;
}

/*
 * Makes the certificate whose hex SHA-256 is hex part of the report and
 * writes its id into id. Returns 0 when it cannot be referenced: no or a
 * malformed digest, the list is full, or memory ran out.
 */
static int
cert_ref(struct etsi_report *r, const char *hex, char id[CERT_ID_LEN])
{
	struct cert_set *cs = &r->certs;
	uint8_t sha[SHA256_LEN];
	size_t i;

	if (!sha_parse(hex, sha))
		return 0;
	cert_id(sha, id);
	if (cs->tab_size != 0) {
		i = slot(cs, sha);
		if (cs->tab[i] != 0)
			return 1;
	}
	if (cs->n >= ETSI_REPORT_MAX_CERTS) {
		r->certs_full = 1;
		return 0;
	}
	if (2 * (cs->n + 1) > cs->tab_size && !tab_grow(cs)) {
		r->failed = 1;
		return 0;
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap == 0 ? 64 : 2 * cs->cap;
		void *p;

		if (cap > ETSI_REPORT_MAX_CERTS)
			cap = ETSI_REPORT_MAX_CERTS;
		p = realloc(cs->sha, cap * sizeof(*cs->sha));
		if (p == NULL) {
			r->failed = 1;
			return 0;
		}
		cs->sha = p;
		cs->cap = cap;
	}
	memcpy(cs->sha[cs->n], sha, SHA256_LEN);
	cs->n++;
	cs->tab[slot(cs, sha)] = (uint32_t)cs->n;
	return 1;
}

/* ---- pieces of a report ---- */

static const char *
main_name(enum tte_ind ind)
{
	switch (ind) {
	case TTE_IND_TOTAL_PASSED:
		return URI_MAIN "total-passed";
	case TTE_IND_TOTAL_FAILED:
		return URI_MAIN "total-failed";
	case TTE_IND_INDETERMINATE:
		return URI_MAIN "indeterminate";
	}
	return URI_MAIN "indeterminate";
}

/* vr:SubIndication, when there is one. */
static void
sub_indication(struct etsi_report *r, enum tte_sub sub)
{
	const char *name = tte_sub_name(sub);

	if (name == NULL)
		return;
	buf_reset(r);
	buf_put(r, URI_SUB, strlen(URI_SUB));
	buf_uri(r, name);
	elem(r, "vr:SubIndication", r->buf);
}

/* A vr:TypedDataType element: Type, then Value holding text. */
static void
typed(struct etsi_report *r, const char *name, const char *type,
      const char *value)
{
	start(r, name);
	elem(r, "vr:Type", type);
	elem(r, "vr:Value", clean(r, value));
	end(r);
}

static void
signature_identifier(struct etsi_report *r, const struct tte_doc *doc,
		     const struct tte_sig *s)
{
	char id[32];

	snprintf(id, sizeof(id), "S-%llu", r->n_reports + 1);
	start(r, "vr:SignatureIdentifier");
	attr(r, "id", id);
	/* TS 119 102-2 clause 4.3.2: the whole document and signature were
	 * at hand, not only hashes. */
	elem(r, "vr:HashOnly", "false");
	elem(r, "vr:DocHashOnly", "false");
	buf_reset(r);
	buf_text(r, doc->path);
	if (s != NULL) {
		buf_put(r, "#", 1);
		buf_text(r, s->id);
	}
	elem(r, "vr:DAIdentifier", r->buf);
	end(r);
}

static void
constraint(struct etsi_report *r, const struct tte_constraint *c,
	   int doc_scope)
{
	/* Disabled: the policy ignores it, or the facts it needs are
	 * missing so it was not applied (TS 119 102-2 clause 4.3.5.4.2). */
	int disabled = c->level == TTE_LEVEL_IGNORE ||
		       c->status == TTE_CST_SKIPPED;
	const char *ind = URI_MAIN "indeterminate";

	start(r, "vr:ValidationConstraint");
	buf_reset(r);
	buf_put(r, URI_CONSTRAINT, strlen(URI_CONSTRAINT));
	buf_uri(r, c->id);
	elem(r, "vr:ValidationConstraintIdentifier", r->buf);
	typed(r, "vr:ValidationConstraintParameter", URI_LEVEL,
	      tte_level_name(c->level));
	if (doc_scope)
		typed(r, "vr:ValidationConstraintParameter", URI_SCOPE,
		      "document");
	start(r, "vr:ConstraintStatus");
	elem(r, "vr:Status", disabled ? URI_DISABLED : URI_APPLIED);
	end(r);
	if (c->level != TTE_LEVEL_IGNORE) {
		switch (c->status) {
		case TTE_CST_PASSED:
			ind = URI_MAIN "passed";
			break;
		case TTE_CST_FAILED:
			ind = URI_MAIN "failed";
			break;
		case TTE_CST_SKIPPED:
			ind = URI_MAIN "indeterminate";
			break;
		}
		start(r, "vr:ValidationStatus");
		elem(r, "vr:MainIndication", ind);
		start(r, "vr:AssociatedValidationReportData");
		start(r, "vr:AdditionalValidationReportData");
		typed(r, "vr:ReportData", URI_MESSAGE, c->message);
		end(r);
		end(r);
		end(r);
	}
	end(r);
}

static void
constraints_report(struct etsi_report *r, const struct tte_doc *doc,
		   const struct tte_sig *s)
{
	const char *policy = r->policy_name ? r->policy_name : doc->policy_name;

	start(r, "vr:ValidationConstraintsEvaluationReport");
	start(r, "vr:SignatureValidationPolicy");
	/* No signature policy document (ETSI TS 119 172) exists for the
	 * agreement: the policy is implied (XAdES EN 319 132-1 §5.2.9). */
	start(r, "vr:SignaturePolicyIdentifier");
	empty(r, "XAdES:SignaturePolicyImplied");
	end(r);
	if (policy != NULL)
		elem(r, "vr:PolicyName", clean(r, policy));
	end(r);
	if (s != NULL)
		for (const struct tte_constraint *c = s->constraints.head;
		     c != NULL; c = c->next)
			constraint(r, c, 0);
	for (const struct tte_constraint *c = doc->constraints.head; c != NULL;
	     c = c->next)
		constraint(r, c, 1);
	end(r);
}

static void
time_info(struct etsi_report *r, const struct tte_sig *s)
{
	char bst[ISOTIME_LEN];
	/* EN 319 102-1 §5.6.2.1: without a proof of existence the best
	 * signature time is the validation time. A timestamp that gave one
	 * was validated here, so the proof was derived during validation
	 * ("validation", TS 119 102-2 clause 4.4.6.2), not "provided" as an
	 * input. */
	int64_t t = s->best_signature_time;

	if (!r->vtime_ok)
		return;
	if (t == 0)
		memcpy(bst, r->vtime, sizeof(bst));
	else
		isotime_format(t, bst);
	if (strcmp(bst, "out-of-range") == 0)
		return; /* not an xs:dateTime: leave the optional part out */
	start(r, "vr:ValidationTimeInfo");
	elem(r, "vr:ValidationTime", r->vtime);
	start(r, "vr:BestSignatureTime");
	elem(r, "vr:POETime", bst);
	elem(r, "vr:TypeOfProof", URI_POE_VALIDATION);
	end(r);
	end(r);
}

/* The claimed signing time (CMS signingTime, PDF /M): reported, never
 * trusted (DESIGN.md). */
static void
signature_attributes(struct etsi_report *r, const struct tte_sig *s)
{
	char t[ISOTIME_LEN];

	if (!s->has_signing_time)
		return;
	isotime_format(s->signing_time, t);
	if (strcmp(t, "out-of-range") == 0)
		return;
	start(r, "vr:SignatureAttributes");
	start(r, "vr:SigningTime");
	elem(r, "vr:Time", t);
	end(r);
	end(r);
}

/* Returns 0 when the signer certificate could not be referenced. */
static int
signer_information(struct etsi_report *r, const struct tte_sig *s)
{
	char id[CERT_ID_LEN];

	if (s->chain == NULL)
		return 1;
	if (!cert_ref(r, s->chain->sha256, id))
		return 0;
	start(r, "vr:SignerInformation");
	start(r, "vr:SignerCertificate");
	attr(r, "VOReference", id);
	end(r);
	if (s->chain->subject != NULL)
		elem(r, "vr:Signer", clean(r, s->chain->subject));
	end(r);
	return 1;
}

/* vr:CertificateChain, when every certificate of the chain is listed.
 * Returns 0 when one could not be. */
static int
certificate_chain(struct etsi_report *r, const struct tte_sig *s)
{
	char id[CERT_ID_LEN];
	const struct tte_cert *c;
	size_t n = 0;

	for (c = s->chain; c != NULL && n < ETSI_REPORT_MAX_CHAIN;
	     c = c->next) {
		if (!cert_ref(r, c->sha256, id))
			return 0;
		n++;
	}
	if (n == 0)
		return 1;
	start(r, "vr:CertificateChain");
	n = 0;
	for (c = s->chain; c != NULL && n < ETSI_REPORT_MAX_CHAIN;
	     c = c->next) {
		const char *name = "vr:IntermediateCertificate";

		if (n == 0)
			name = "vr:SigningCertificate";
		else if (c->is_anchor &&
			 (c->next == NULL || n + 1 == ETSI_REPORT_MAX_CHAIN))
			name = "vr:TrustAnchor";
		if (!cert_ref(r, c->sha256, id))
			return 0; /* listed just above: cannot happen */
		start(r, name);
		attr(r, "VOReference", id);
		end(r);
		n++;
	}
	end(r);
	return 1;
}

static void
report_data(struct etsi_report *r, const struct tte_doc *doc,
	    const struct tte_sig *s, int certs_missing)
{
	const char *kind = s->kind == TTE_KIND_SIGNATURE ? NULL :
							 tte_kind_name(s->kind);

	start(r, "vr:AssociatedValidationReportData");
	if (!certificate_chain(r, s))
		certs_missing = 1;
	if (kind != NULL || s->reasons.head != NULL ||
	    doc->errors.head != NULL || certs_missing) {
		start(r, "vr:AdditionalValidationReportData");
		if (kind != NULL)
			typed(r, "vr:ReportData", URI_KIND, kind);
		for (const struct tte_note *n = s->reasons.head; n != NULL;
		     n = n->next)
			typed(r, "vr:ReportData", URI_REASON, n->text);
		for (const struct tte_note *n = doc->errors.head; n != NULL;
		     n = n->next)
			typed(r, "vr:ReportData", URI_ERROR, n->text);
		if (certs_missing)
			typed(r, "vr:ReportData", URI_NOTE,
			      "certificates of this signature are not listed: "
			      "the report's certificate list is full or a "
			      "certificate has no SHA-256");
		end(r);
	}
	end(r);
}

static void
sig_report(struct etsi_report *r, const struct tte_doc *doc,
	   const struct tte_sig *s)
{
	int certs_missing;

	start(r, "vr:SignatureValidationReport");
	signature_identifier(r, doc, s);
	constraints_report(r, doc, s);
	time_info(r, s);
	signature_attributes(r, s);
	certs_missing = !signer_information(r, s);
	start(r, "vr:SignatureValidationStatus");
	elem(r, "vr:MainIndication", main_name(s->indication));
	sub_indication(r, s->sub);
	report_data(r, doc, s, certs_missing);
	end(r);
	end(r);
	r->n_reports++;
}

/* A document without signatures (DESIGN.md: INDETERMINATE /
 * SIGNED_DATA_NOT_FOUND, or FORMAT_FAILURE when unreadable). */
static void
unsigned_report(struct etsi_report *r, const struct tte_doc *doc)
{
	enum tte_sub sub = doc->sub;

	if (sub != TTE_SUB_SIGNED_DATA_NOT_FOUND &&
	    sub != TTE_SUB_FORMAT_FAILURE)
		sub = doc->errors.head != NULL ? TTE_SUB_FORMAT_FAILURE :
						 TTE_SUB_SIGNED_DATA_NOT_FOUND;
	start(r, "vr:SignatureValidationReport");
	signature_identifier(r, doc, NULL);
	constraints_report(r, doc, NULL);
	start(r, "vr:SignatureValidationStatus");
	elem(r, "vr:MainIndication", main_name(TTE_IND_INDETERMINATE));
	sub_indication(r, sub);
	start(r, "vr:AssociatedValidationReportData");
	start(r, "vr:AdditionalValidationReportData");
	typed(r, "vr:ReportData", URI_REASON,
	      sub == TTE_SUB_FORMAT_FAILURE ?
		      "the document could not be read" :
		      "the document holds no signature");
	for (const struct tte_note *n = doc->errors.head; n != NULL;
	     n = n->next)
		typed(r, "vr:ReportData", URI_ERROR, n->text);
	end(r);
	end(r);
	end(r);
	end(r);
	r->n_reports++;
}

/* The schema asks for at least one vr:SignatureValidationReport. */
static void
empty_run_report(struct etsi_report *r)
{
	start(r, "vr:SignatureValidationReport");
	start(r, "vr:SignatureValidationStatus");
	elem(r, "vr:MainIndication", main_name(TTE_IND_INDETERMINATE));
	sub_indication(r, TTE_SUB_SIGNED_DATA_NOT_FOUND);
	start(r, "vr:AssociatedValidationReportData");
	start(r, "vr:AdditionalValidationReportData");
	typed(r, "vr:ReportData", URI_REASON, "no document was verified");
	end(r);
	end(r);
	end(r);
	end(r);
	r->n_reports++;
}

static void
validation_objects(struct etsi_report *r)
{
	char id[CERT_ID_LEN];

	if (r->certs.n == 0)
		return;
	start(r, "vr:SignatureValidationObjects");
	for (size_t i = 0; i < r->certs.n; i++) {
		cert_id(r->certs.sha[i], id);
		start(r, "vr:ValidationObject");
		attr(r, "id", id);
		elem(r, "vr:ObjectType", URI_VO_CERT);
		start(r, "vr:ValidationObjectRepresentation");
		start(r, "vr:DigestAlgAndValue");
		start(r, "ds:DigestMethod");
		attr(r, "Algorithm", URI_SHA256);
		end(r);
		start(r, "ds:DigestValue");
		check(r, xmlTextWriterWriteBase64(
				 r->w, (const char *)r->certs.sha[i], 0,
				 SHA256_LEN));
		end(r);
		end(r);
		end(r);
		end(r);
	}
	end(r);
}

static void
report_free(struct etsi_report *r)
{
	if (r->w != NULL)
		xmlFreeTextWriter(r->w); /* closes the buffer, not the FILE */
	free(r->certs.sha);
	free(r->certs.tab);
	free(r->policy_name);
	free(r->buf);
	free(r);
}

/* ---- API ---- */

/* see etsi_report.h */
struct etsi_report *
etsi_report_begin(FILE *out, const char *policy_name, int64_t validation_time)
{
	struct etsi_report *r;
	xmlOutputBufferPtr ob;

	if (out == NULL)
		return NULL;
	xmlInitParser();
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->out = out;
	/* Not a secret, only unknown in advance: where r lies (ASLR) and the
	 * clock. The table's layout never shows in the output. */
	r->certs.seed = mix((uint64_t)(uintptr_t)r ^ (uint64_t)time(NULL) ^
			    (uint64_t)clock());
	r->buf = malloc(ETSI_REPORT_MAX_STR + 1);
	if (r->buf == NULL)
		goto fail;
	if (policy_name != NULL) {
		r->policy_name = strdup(clean(r, policy_name));
		if (r->policy_name == NULL)
			goto fail;
	}
	isotime_format(validation_time, r->vtime);
	r->vtime_ok = strcmp(r->vtime, "out-of-range") != 0;
	ob = xmlOutputBufferCreateFile(out, NULL);
	if (ob == NULL)
		goto fail;
	r->w = xmlNewTextWriter(ob); /* owns ob from here on */
	if (r->w == NULL) {
		xmlOutputBufferClose(ob);
		goto fail;
	}
	check(r, xmlTextWriterSetIndent(r->w, 1));
	check(r, xmlTextWriterSetIndentString(r->w, X(" ")));
	check(r, xmlTextWriterStartDocument(r->w, NULL, "UTF-8", NULL));
	start(r, "vr:ValidationReport");
	attr(r, "xmlns:vr", NS_VR);
	attr(r, "xmlns:ds", NS_DS);
	attr(r, "xmlns:XAdES", NS_XADES);
	if (r->failed)
		goto fail;
	return r;
fail:
	report_free(r);
	return NULL;
}

/* see etsi_report.h */
void
etsi_report_doc(struct etsi_report *r, const struct tte_doc *doc)
{
	if (r == NULL || doc == NULL || r->failed)
		return;
	if (doc->sigs == NULL) {
		unsigned_report(r, doc);
		return;
	}
	for (const struct tte_sig *s = doc->sigs; s != NULL; s = s->next)
		sig_report(r, doc, s);
}

/* see etsi_report.h */
int
etsi_report_end(struct etsi_report *r)
{
	int failed;

	if (r == NULL)
		return -1;
	if (!r->failed) {
		if (r->n_reports == 0)
			empty_run_report(r);
		validation_objects(r);
		end(r); /* vr:ValidationReport */
		check(r, xmlTextWriterEndDocument(r->w));
		check(r, xmlTextWriterFlush(r->w));
		if (!r->failed && fflush(r->out) != 0)
			r->failed = 1;
	}
	failed = r->failed;
	report_free(r);
	return failed ? -1 : 0;
}
