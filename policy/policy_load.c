/*
 * policy_load.c - reading and checking a validation policy file (issue 5).
 *
 * The format (namespace urn:tteaudit:policy:1; tteaudit-policy.xsd is the
 * grammar and policy/README.md the meaning of each element):
 *
 *   <Policy name="NAME">
 *     <Description>?
 *     <TrustAnchors> (<Certificate file=/> | <Pin sha256= name=?/>)*
 *     <Algorithms level=> <Digest name= until=?/>+
 *                         <Key type= minBits=? until=?/>+
 *     <Revocation level= maxAgeDays=?/>
 *     <SignerPolicyOids level=> <Oid>+
 *     <SignerKeyUsage level=> <Bit>+
 *     <SignerExtKeyUsage level=> <Oid>+
 *     <SignerSubject level=> (<Attribute name=> <Value>+)+
 *     <SignatureLevel level= min=/>
 *     <AgreementWindow level= start= years= extensionYears=?/>
 *     <Statement level=> <Exact> <Variant>*
 *     <TimestampGap level= maxMinutes=/>
 *     <UnsignedDocument level=/>
 *     <AnnotationsAfterSigning level=/>
 *   </Policy>
 *
 * Every element after Description is optional, in this order. Three
 * passes, each over what the one before accepted: libxml2 parses, the
 * schema checks the shape (enumerations, ranges, patterns), then the walk
 * below checks the meaning (calendar dates, OID arcs, duplicates, anchor
 * files holding certificates) and fills struct policy. Every problem is
 * kept with its line so that lint can list them all; load reports the
 * first. The walk re-checks what it uses rather than trust the schema.
 *
 * Unsupported, on purpose: a DOCTYPE (refused when the parser meets it,
 * before any entity can be declared: no billion laughs, no external
 * entities), XInclude, network access, files over POLICY_MAX_FILE.
 */
#include "policy.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "../verifier/base/isotime.h"
#include "../verifier/pki/pki_chain.h"
#include "../verifier/pki/pki_ossl.h"
#include "../verifier/pki/pki_store.h"

#define POLICY_NS "urn:tteaudit:policy:1"
#define POLICY_XSD "tteaudit-policy.xsd"
#define POLICY_MAX_PROBLEMS 100 /* kept with their text; more are counted */
#define PROBLEM_MSG_MAX 400     /* longer messages are cut */
#define POLICY_NAME_MAX 64      /* a shipped policy's name */

/* Ranges of the numbers a policy gives, as tteaudit-policy.xsd has them:
 * far past any sensible value, and small enough that no sum or product
 * below can overflow. */
#define POL_MAX_BITS 16384       /* minBits */
#define POL_MAX_AGE_DAYS 36500   /* maxAgeDays: a century */
#define POL_MAX_YEARS 100        /* years, extensionYears */
#define POL_MAX_GAP_MINUTES 525600 /* maxMinutes: a year */
#define POL_MAX_OID_LEN 200      /* characters of a dotted OID */

/* No DTD loading, no entity substitution, no network: the parser never
 * reaches outside the buffer. BIG_LINES: true line numbers past 65535. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* libxml2 2.12 made the structured error const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_err_ptr;
#else
typedef xmlError *xml_err_ptr;
#endif

struct problem {
	long line; /* 0: none (the file as a whole) */
	const char *msg;
};

struct loader {
	struct policy *p;       /* being filled */
	const char *name;       /* the file as given, for messages */
	const char *base_dir;   /* relative anchor files start here */
	struct arena scratch;   /* problems, certificate facts */
	struct problem probs[POLICY_MAX_PROBLEMS];
	size_t n_probs;
	size_t n_dropped;       /* problems past POLICY_MAX_PROBLEMS */
	int nomem;
	int too_big;
	int has_algorithms, has_revocation;
};

/* ---- problems ---- */

static void problem(struct loader *L, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct loader *L, long line, const char *fmt, ...)
{
	char buf[PROBLEM_MSG_MAX];
	va_list ap;

	if (L->n_probs == POLICY_MAX_PROBLEMS) {
		L->n_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	L->probs[L->n_probs].line = line;
	L->probs[L->n_probs].msg = arena_strdup(&L->scratch, buf);
	if (L->probs[L->n_probs].msg == NULL) {
		L->nomem = 1;
		L->probs[L->n_probs].msg = "out of memory";
	}
	L->n_probs++;
}

static void
oom(struct loader *L)
{
	if (!L->nomem)
		problem(L, 0, "out of memory");
	L->nomem = 1;
}

static size_t
n_problems(const struct loader *L)
{
	return L->n_probs + L->n_dropped;
}

/* A libxml2 message, tidied: no namespace braces, newline or full stop. */
static void
xml_problem(struct loader *L, xml_err_ptr e)
{
	static const char ns[] = "{" POLICY_NS "}";
	const char *m = e->message != NULL ? e->message : "XML error";
	char buf[PROBLEM_MSG_MAX];
	size_t n = 0;

	while (*m != '\0' && n + 1 < sizeof(buf)) {
		if (strncmp(m, ns, sizeof(ns) - 1) == 0) {
			m += sizeof(ns) - 1;
			continue;
		}
		buf[n++] = *m == '\n' ? ' ' : *m;
		m++;
	}
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '.'))
		n--;
	buf[n] = '\0';
	problem(L, e->line, "%s", buf);
}

/* ---- libxml2 ---- */

/* Parser errors: ctx is the parser context (its userData). */
static void
on_parse_error(void *ctx, xml_err_ptr e)
{
	xmlParserCtxtPtr ctxt = ctx;

	xml_problem(ctxt->_private, e);
}

/* A DOCTYPE: stop here, before its internal subset declares anything
 * (billion laughs, external entities). */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
	   const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	problem(ctxt->_private, ctxt->input != NULL ? ctxt->input->line : 0,
		"a DOCTYPE is not allowed in a policy (no DTD, no entities)");
	xmlStopParser(ctxt);
}

static void
on_schema_error(void *ctx, xml_err_ptr e)
{
	xml_problem(ctx, e);
}

/* Errors while compiling our own schema: the file names the schema. */
static void
on_xsd_error(void *ctx, xml_err_ptr e)
{
	(void)ctx;
	(void)e;
}

static xmlDocPtr
parse(struct loader *L, const uint8_t *xml, size_t len)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (ctxt == NULL) {
		oom(L);
		return NULL;
	}
	ctxt->_private = L;
	ctxt->sax->serror = on_parse_error;
	ctxt->sax->internalSubset = on_doctype;
	/* len <= POLICY_MAX_FILE, far below INT_MAX */
	doc = xmlCtxtReadMemory(ctxt, len > 0 ? (const char *)xml : "",
				(int)len, NULL, NULL, PARSE_OPTIONS);
	if (doc == NULL && n_problems(L) == 0)
		problem(L, 0, "not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	return doc;
}

static const char *
policy_dir(void)
{
	const char *env = getenv("TTEAUDIT_POLICY_DIR");

	return env != NULL && env[0] != '\0' ? env : TTE_POLICY_DIR;
}

/* Validates doc against tteaudit-policy.xsd, compiled for this load. */
static void
validate(struct loader *L, xmlDocPtr doc)
{
	xmlSchemaParserCtxtPtr pc = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	xmlSchemaPtr schema = NULL;
	char *xsd;
	int rc;

	xsd = arena_printf(&L->scratch, "%s/%s", policy_dir(), POLICY_XSD);
	if (xsd == NULL) {
		oom(L);
		return;
	}
	if (access(xsd, R_OK) != 0) {
		problem(L, 0, "cannot read the policy schema '%s': %s (set "
			"TTEAUDIT_POLICY_DIR)", xsd, strerror(errno));
		return;
	}
	pc = xmlSchemaNewParserCtxt(xsd);
	if (pc == NULL) {
		oom(L);
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pc, on_xsd_error, NULL);
	schema = xmlSchemaParse(pc);
	if (schema == NULL) {
		problem(L, 0, "cannot compile the policy schema '%s'", xsd);
		goto out;
	}
	vc = xmlSchemaNewValidCtxt(schema);
	if (vc == NULL) {
		oom(L);
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vc, on_schema_error, L);
	rc = xmlSchemaValidateDoc(vc, doc);
	if (rc != 0 && n_problems(L) == 0)
		problem(L, 0, "not valid against '%s'", xsd);
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
}

/* ---- small readers over the tree ---- */

static int
is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       xmlStrEqual(n->ns->href, BAD_CAST POLICY_NS) &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

static long
line_of(const xmlNode *n)
{
	return xmlGetLineNo(n);
}

static size_t
count(const xmlNode *n, const char *name)
{
	size_t k = 0;

	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		k += is_el(c, name);
	return k;
}

static void *
alloc(struct loader *L, size_t n, size_t size)
{
	void *v;

	if (n == 0)
		n = 1; /* a list the schema forbids empty: still a pointer */
	if (n > SIZE_MAX / size) {
		oom(L);
		return NULL;
	}
	v = arena_alloc(&L->p->arena, n * size);
	if (v == NULL)
		oom(L);
	return v;
}

static int
is_space(xmlChar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s with runs of XML white space made one space and trimmed, in the
 * policy's arena ("" when out of memory, recorded). */
static const char *
collapse(struct loader *L, const xmlChar *s)
{
	size_t len = (size_t)xmlStrlen(s), n = 0;
	char *out = arena_alloc(&L->p->arena, len + 1);

	if (out == NULL) {
		oom(L);
		return "";
	}
	for (size_t i = 0; i < len; i++) {
		if (!is_space(s[i]))
			out[n++] = (char)s[i];
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* Attribute name of n (no namespace), collapsed; NULL when absent. */
static const char *
attr(struct loader *L, const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	const char *s;

	if (v == NULL)
		return NULL;
	s = collapse(L, v);
	xmlFree(v);
	return s;
}

/* The text of element n, collapsed. */
static const char *
text(struct loader *L, const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	const char *s;

	if (v == NULL)
		return "";
	s = collapse(L, v);
	xmlFree(v);
	return s;
}

static const struct {
	const char *name;
	enum tte_level level;
} levels[] = {
	{"FAIL", TTE_LEVEL_FAIL},
	{"WARN", TTE_LEVEL_WARN},
	{"INFORM", TTE_LEVEL_INFORM},
	{"IGNORE", TTE_LEVEL_IGNORE},
};

/* The level attribute of n; a problem and IGNORE when it is not one. */
static enum tte_level
level_of(struct loader *L, const xmlNode *n)
{
	const char *v = attr(L, n, "level");

	for (size_t i = 0; v != NULL && i < sizeof(levels) / sizeof(levels[0]);
	     i++) {
		if (strcmp(v, levels[i].name) == 0)
			return levels[i].level;
	}
	problem(L, line_of(n), "level '%s' is not FAIL, WARN, INFORM or "
		"IGNORE", v != NULL ? v : "");
	return TTE_LEVEL_IGNORE;
}

static void
set_level(struct loader *L, const xmlNode *n, struct pol_level *pl)
{
	pl->level = level_of(L, n);
	pl->set = 1;
}

/*
 * Reads attribute name of n as a whole number in [min, max] into *out;
 * absent: dflt, or a problem when required. XML Schema integers may
 * carry a '+' and leading zeros. Returns 0, or -1 after a problem.
 */
static int
number(struct loader *L, const xmlNode *n, const char *name, long min,
       long max, int required, long dflt, long *out)
{
	const char *v = attr(L, n, name), *s;
	long x = 0;

	*out = dflt;
	if (v == NULL) {
		if (!required)
			return 0;
		problem(L, line_of(n), "%s is missing", name);
		return -1;
	}
	s = v + (*v == '+');
	if (*s == '\0')
		goto bad;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		x = x * 10 + (*s - '0');
		if (x > max)
			goto bad;
	}
	if (x < min)
		goto bad;
	*out = x;
	return 0;
bad:
	problem(L, line_of(n), "%s '%s' is not a whole number from %ld to "
		"%ld", name, v, min, max);
	return -1;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A date the policy may give: what isotime_parse takes, without the
 * 29 February of a common year (isotime_parse lets any year have it). */
static int
parse_date(const char *s, int64_t *t)
{
	int y, m, d;

	if (isotime_parse(s, t) != 0)
		return -1;
	/* isotime_parse read "YYYY-MM-DD" first */
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m == 2 && d == 29 && !is_leap(y))
		return -1;
	return 0;
}

/* Attribute name of n as a date into *t (absent: 0, a problem when
 * required). Returns 0, or -1 after a problem. */
static int
date(struct loader *L, const xmlNode *n, const char *name, int required,
     int64_t *t)
{
	const char *v = attr(L, n, name);

	*t = 0;
	if (v == NULL) {
		if (!required)
			return 0;
		problem(L, line_of(n), "%s is missing", name);
		return -1;
	}
	if (parse_date(v, t) != 0) {
		problem(L, line_of(n), "%s '%s' is not a date (YYYY-MM-DD, or "
			"ISO 8601 with a zone such as 2021-09-01T00:00:00+08:00)",
			name, v);
		return -1;
	}
	return 0;
}

/* A dotted OID as X.660 allows: first arc 0-2, second under 40 below 0
 * and 1, no leading zeros, at least two arcs. */
static int
is_oid(const char *s)
{
	size_t arcs = 0;
	long first = 0, v;

	if (strlen(s) > POL_MAX_OID_LEN)
		return 0;
	for (;;) {
		if (*s < '0' || *s > '9')
			return 0;
		if (*s == '0' && s[1] >= '0' && s[1] <= '9')
			return 0;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			if (v < 1000) /* only small arcs are compared */
				v = v * 10 + (*s - '0');
		}
		if (arcs == 0 && v > 2)
			return 0;
		if (arcs == 0)
			first = v;
		if (arcs == 1 && first < 2 && v > 39)
			return 0;
		arcs++;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return 0;
	}
	return arcs >= 2;
}

static int
listed(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

/* A list of at most POLICY_MAX_LIST children called name; NULL after a
 * problem. */
static const char **
list_alloc(struct loader *L, const xmlNode *n, const char *name,
	   size_t *cap)
{
	*cap = count(n, name);
	if (*cap > POLICY_MAX_LIST) {
		problem(L, line_of(n), "more than %d %s elements", POLICY_MAX_LIST,
			name);
		return NULL;
	}
	return alloc(L, *cap, sizeof(const char *));
}

/* The <Oid> children of n: dotted, each once. */
static void
oid_list(struct loader *L, const xmlNode *n, const char ***out, size_t *n_out)
{
	size_t cap, k = 0;
	const char **v = list_alloc(L, n, "Oid", &cap);

	if (v == NULL)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		const char *s;

		if (!is_el(c, "Oid"))
			continue;
		s = text(L, c);
		if (!is_oid(s))
			problem(L, line_of(c), "'%s' is not an OID (dotted "
				"arcs: the first 0-2, the second under 40 after "
				"0 or 1)", s);
		else if (listed(v, k, s))
			problem(L, line_of(c), "OID %s is listed twice", s);
		else
			v[k++] = s;
	}
	*out = v;
	*n_out = k;
}

/* ---- the sections, in the file's order ---- */

static void
description(struct loader *L, const xmlNode *n)
{
	L->p->description = text(L, n);
}

/* Adds one anchor's SHA-256 (lowercase hex) unless over the limit or a
 * duplicate. */
static void
add_anchor(struct loader *L, const xmlNode *n, const char *sha256,
	   const char *subject)
{
	struct policy *p = L->p;

	if (p->n_anchor_sha256 == POLICY_MAX_ANCHORS) {
		problem(L, line_of(n), "more than %d trust anchors",
			POLICY_MAX_ANCHORS);
		return;
	}
	if (listed(p->anchor_sha256, p->n_anchor_sha256, sha256)) {
		problem(L, line_of(n), "trust anchor %s is listed twice",
			sha256);
		return;
	}
	p->anchor_sha256[p->n_anchor_sha256] = sha256;
	p->anchor_subjects[p->n_anchor_sha256] = subject;
	p->n_anchor_sha256++;
}

/* A <Certificate file=>: every certificate in it (PEM or DER) becomes an
 * anchor; the file is resolved against the policy's folder. */
static void
anchor_file(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	const char *file = attr(L, n, "file");
	char *joined, *real = NULL;
	struct pki_store *s = NULL;
	struct stat st;
	struct diag d;
	size_t before = p->n_anchor_sha256;

	if (file == NULL || file[0] == '\0') {
		problem(L, line_of(n), "anchor certificate without a file");
		return;
	}
	joined = file[0] == '/' ? arena_strdup(&L->scratch, file)
				: arena_printf(&L->scratch, "%s/%s",
					       L->base_dir, file);
	if (joined == NULL) {
		oom(L);
		return;
	}
	real = realpath(joined, NULL);
	if (real == NULL) {
		problem(L, line_of(n), "anchor file '%s': cannot open: %s",
			file, strerror(errno));
		goto out;
	}
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		problem(L, line_of(n), "anchor file '%s' is not a regular file",
			file);
		goto out;
	}
	/* A few certificates; POLICY_MAX_ANCHORS of them fit easily. */
	if ((unsigned long long)st.st_size > POLICY_MAX_FILE) {
		problem(L, line_of(n), "anchor file '%s' is over %lu bytes",
			file, POLICY_MAX_FILE);
		goto out;
	}
	s = pki_store_new();
	if (s == NULL) {
		oom(L);
		goto out;
	}
	diag_clear(&d);
	if (pki_store_add_trust(s, real, &d) != TTE_OK) {
		problem(L, line_of(n), "anchor file '%s': %s", file, d.msg);
		goto out;
	}
	for (int i = 0; i < sk_X509_num(s->anchors); i++) {
		struct tte_cert *c = pki_cert_info(sk_X509_value(s->anchors, i),
						   &L->scratch);
		const char *sha, *subj;

		if (c == NULL || c->sha256 == NULL) {
			oom(L);
			goto out;
		}
		sha = arena_strdup(&p->arena, c->sha256);
		subj = arena_strdup(&p->arena,
				    c->subject != NULL ? c->subject : "");
		if (sha == NULL || subj == NULL) {
			oom(L);
			goto out;
		}
		add_anchor(L, n, sha, subj);
	}
	p->anchor_files[p->n_anchor_files] = arena_strdup(&p->arena, real);
	if (p->anchor_files[p->n_anchor_files] == NULL) {
		oom(L);
		goto out;
	}
	p->anchor_file_n_certs[p->n_anchor_files] = p->n_anchor_sha256 - before;
	p->n_anchor_files++;
out:
	free(real);
	pki_store_free(s);
}

/* A <Pin sha256= name=?>: 64 hex digits, kept lowercase. */
static void
anchor_pin(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	const char *v = attr(L, n, "sha256"), *name = attr(L, n, "name");
	char *hex;
	size_t len;

	if (v == NULL)
		v = "";
	len = strlen(v);
	hex = arena_strdup(&p->arena, v);
	if (hex == NULL) {
		oom(L);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (hex[i] >= 'A' && hex[i] <= 'F')
			hex[i] = (char)(hex[i] - 'A' + 'a');
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		      (hex[i] >= 'a' && hex[i] <= 'f')))
			len = 0; /* not hex: reported below */
	}
	if (len != 64) {
		problem(L, line_of(n), "pin '%s' is not 64 hex digits (the "
			"SHA-256 of a certificate's DER)", v);
		return;
	}
	p->anchor_pins[p->n_anchor_pins] = hex;
	p->anchor_pin_names[p->n_anchor_pins] = name != NULL ? name : "";
	p->n_anchor_pins++;
	add_anchor(L, n, hex, NULL);
}

/* Files first, then pins: anchor_sha256 lists them in that order. */
static void
anchors(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	size_t n_files = count(n, "Certificate"), n_pins = count(n, "Pin");

	if (n_files > POLICY_MAX_ANCHORS || n_pins > POLICY_MAX_ANCHORS) {
		problem(L, line_of(n), "more than %d trust anchors",
			POLICY_MAX_ANCHORS);
		return;
	}
	p->anchor_files = alloc(L, n_files, sizeof(*p->anchor_files));
	p->anchor_file_n_certs = alloc(L, n_files,
				       sizeof(*p->anchor_file_n_certs));
	p->anchor_pins = alloc(L, n_pins, sizeof(*p->anchor_pins));
	p->anchor_pin_names = alloc(L, n_pins, sizeof(*p->anchor_pin_names));
	p->anchor_sha256 = alloc(L, POLICY_MAX_ANCHORS,
				 sizeof(*p->anchor_sha256));
	p->anchor_subjects = alloc(L, POLICY_MAX_ANCHORS,
				   sizeof(*p->anchor_subjects));
	if (L->nomem)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is_el(c, "Certificate"))
			anchor_file(L, c);
	}
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is_el(c, "Pin"))
			anchor_pin(L, c);
	}
}

static const char *const digest_names[] = {
	"MD5",      "SHA1",       "SHA224",     "SHA256",
	"SHA384",   "SHA512",     "SHA512-224", "SHA512-256",
	"SHA3-224", "SHA3-256",   "SHA3-384",   "SHA3-512",
};

static const struct {
	const char *name;
	int sized; /* minBits is required: a bare "RSA" would take any size */
} key_types[] = {
	{"RSA", 1}, {"RSA-PSS", 1}, {"EC", 1},
	{"DSA", 1}, {"Ed25519", 0}, {"Ed448", 0},
};

static int
same_rule(const struct tte_algo_rule *a, const struct tte_algo_rule *b)
{
	return strcmp(a->name, b->name) == 0 && a->min_bits == b->min_bits &&
	       a->until == b->until;
}

static int
rule_listed(const struct tte_algo_rule *v, size_t n,
	    const struct tte_algo_rule *r)
{
	for (size_t i = 0; i < n; i++) {
		if (same_rule(&v[i], r))
			return 1;
	}
	return 0;
}

static void
digest_rule(struct loader *L, const xmlNode *c, struct tte_algo_rule *v,
	    size_t *k)
{
	const char *name = attr(L, c, "name");
	struct tte_algo_rule r = {NULL, 0, 0};

	for (size_t i = 0; name != NULL &&
			   i < sizeof(digest_names) / sizeof(digest_names[0]);
	     i++) {
		if (strcmp(name, digest_names[i]) == 0)
			r.name = digest_names[i];
	}
	if (r.name == NULL) {
		problem(L, line_of(c), "unknown digest '%s'",
			name != NULL ? name : "");
		return;
	}
	if (date(L, c, "until", 0, &r.until) != 0)
		return;
	if (rule_listed(v, *k, &r)) {
		problem(L, line_of(c), "digest %s is listed twice", r.name);
		return;
	}
	v[(*k)++] = r;
}

static void
key_rule(struct loader *L, const xmlNode *c, struct tte_algo_rule *v,
	 size_t *k)
{
	const char *type = attr(L, c, "type");
	struct tte_algo_rule r = {NULL, 0, 0};
	int sized = 0;
	long bits;

	for (size_t i = 0;
	     type != NULL && i < sizeof(key_types) / sizeof(key_types[0]);
	     i++) {
		if (strcmp(type, key_types[i].name) == 0) {
			r.name = key_types[i].name;
			sized = key_types[i].sized;
		}
	}
	if (r.name == NULL) {
		problem(L, line_of(c), "unknown key type '%s'",
			type != NULL ? type : "");
		return;
	}
	if (number(L, c, "minBits", 1, POL_MAX_BITS, 0, 0, &bits) != 0 ||
	    date(L, c, "until", 0, &r.until) != 0)
		return;
	r.min_bits = (int)bits;
	if (sized && r.min_bits == 0) {
		problem(L, line_of(c), "key type %s needs minBits", r.name);
		return;
	}
	if (rule_listed(v, *k, &r)) {
		problem(L, line_of(c), "key %s is listed twice", r.name);
		return;
	}
	v[(*k)++] = r;
}

static void
algorithms(struct loader *L, const xmlNode *n)
{
	struct tte_rules *r = &L->p->rules;
	size_t nd = count(n, "Digest"), nk = count(n, "Key"), kd = 0, kk = 0;
	struct tte_algo_rule *digests, *keys;

	L->has_algorithms = 1;
	r->crypto_level = level_of(L, n);
	if (nd > POLICY_MAX_LIST || nk > POLICY_MAX_LIST) {
		problem(L, line_of(n), "more than %d algorithms",
			POLICY_MAX_LIST);
		return;
	}
	digests = alloc(L, nd, sizeof(*digests));
	keys = alloc(L, nk, sizeof(*keys));
	if (digests == NULL || keys == NULL)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (is_el(c, "Digest"))
			digest_rule(L, c, digests, &kd);
		else if (is_el(c, "Key"))
			key_rule(L, c, keys, &kk);
	}
	/* An empty list would fail every signature: surely a mistake. */
	if (kd == 0 && nd == 0)
		problem(L, line_of(n), "Algorithms lists no Digest");
	if (kk == 0 && nk == 0)
		problem(L, line_of(n), "Algorithms lists no Key");
	r->digests = digests;
	r->n_digests = kd;
	r->keys = keys;
	r->n_keys = kk;
}

static void
revocation(struct loader *L, const xmlNode *n)
{
	long days;

	L->has_revocation = 1;
	L->p->rules.revocation_level = level_of(L, n);
	if (number(L, n, "maxAgeDays", 0, POL_MAX_AGE_DAYS, 0, 0,
		   &days) == 0)
		L->p->rules.revocation_max_age = (int64_t)days * 86400;
}

static void
policy_oids(struct loader *L, const xmlNode *n)
{
	set_level(L, n, &L->p->policy_oids);
	oid_list(L, n, &L->p->oids, &L->p->n_oids);
}

static void
key_usage(struct loader *L, const xmlNode *n)
{
	set_level(L, n, &L->p->key_usage);
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		const char *name;
		unsigned bit = 0;

		if (!is_el(c, "Bit"))
			continue;
		name = text(L, c);
		for (unsigned b = 1; b != 0 && tte_ku_name(b) != NULL; b <<= 1) {
			if (strcmp(name, tte_ku_name(b)) == 0)
				bit = b;
		}
		if (bit == 0)
			problem(L, line_of(c), "unknown key usage '%s'", name);
		else if (L->p->key_usage_bits & bit)
			problem(L, line_of(c), "key usage %s is listed twice",
				name);
		L->p->key_usage_bits |= bit;
	}
}

static void
ext_key_usage(struct loader *L, const xmlNode *n)
{
	set_level(L, n, &L->p->ext_key_usage);
	oid_list(L, n, &L->p->eku_oids, &L->p->n_eku_oids);
}

static void
subject_rule(struct loader *L, const xmlNode *n, struct pol_subject_rule *r)
{
	const char *name = attr(L, n, "name");
	size_t cap, k = 0;
	const char **v;

	if (name == NULL || (strcmp(name, "C") != 0 && strcmp(name, "O") != 0 &&
			     strcmp(name, "OU") != 0 &&
			     strcmp(name, "CN") != 0 && !is_oid(name))) {
		problem(L, line_of(n), "subject attribute '%s' is not C, O, "
			"OU, CN or a dotted OID", name != NULL ? name : "");
		return;
	}
	r->attribute = name;
	v = list_alloc(L, n, "Value", &cap);
	if (v == NULL)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		const char *s;

		if (!is_el(c, "Value"))
			continue;
		s = text(L, c);
		if (s[0] == '\0')
			problem(L, line_of(c), "empty value for %s", name);
		else if (listed(v, k, s))
			problem(L, line_of(c), "%s value '%s' is listed twice",
				name, s);
		else
			v[k++] = s;
	}
	r->values = v;
	r->n_values = k;
}

static void
subject(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	size_t cap = count(n, "Attribute");

	set_level(L, n, &p->subject);
	if (cap > POLICY_MAX_LIST) {
		problem(L, line_of(n), "more than %d Attribute elements",
			POLICY_MAX_LIST);
		return;
	}
	p->subject_rules = alloc(L, cap, sizeof(*p->subject_rules));
	if (p->subject_rules == NULL)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		struct pol_subject_rule *r = &p->subject_rules[p->n_subject_rules];

		if (!is_el(c, "Attribute"))
			continue;
		subject_rule(L, c, r);
		if (r->attribute == NULL)
			continue;
		/* Rules all hold: two for one attribute contradict or repeat
		 * each other; its values belong in one list. */
		for (size_t i = 0; i < p->n_subject_rules; i++) {
			if (strcmp(p->subject_rules[i].attribute,
				   r->attribute) == 0) {
				problem(L, line_of(c), "subject attribute %s "
					"has two rules (list its values in one)",
					r->attribute);
				r->attribute = NULL;
				break;
			}
		}
		if (r->attribute != NULL)
			p->n_subject_rules++;
	}
}

static void
sig_level(struct loader *L, const xmlNode *n)
{
	static const struct {
		const char *name;
		enum pol_sig_level level;
	} names[] = {
		{"B-B", POL_LEVEL_B_B},
		{"B-T", POL_LEVEL_B_T},
		{"B-LT", POL_LEVEL_B_LT},
		{"B-LTA", POL_LEVEL_B_LTA},
	};
	const char *v = attr(L, n, "min");

	set_level(L, n, &L->p->sig_level);
	for (size_t i = 0; v != NULL && i < sizeof(names) / sizeof(names[0]);
	     i++) {
		if (strcmp(v, names[i].name) == 0)
			L->p->min_level = names[i].level;
	}
	if (L->p->min_level == POL_LEVEL_NONE)
		problem(L, line_of(n), "signature level '%s' is not B-B, B-T, "
			"B-LT or B-LTA", v != NULL ? v : "");
}

/* t plus n calendar years, by its UTC fields (29 February then becomes
 * 1 March). Returns 0, or -1 when t is outside years 0000-9999. */
static int
add_years(int64_t t, int n, int64_t *out)
{
	char iso[ISOTIME_LEN];
	int f[6], pos[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};

	isotime_format(t, iso);
	for (int i = 0; i < 6; i++) {
		f[i] = 0;
		for (int j = 0; j < len[i]; j++) {
			char c = iso[pos[i] + j];

			if (c < '0' || c > '9')
				return -1; /* "out-of-range" */
			f[i] = f[i] * 10 + (c - '0');
		}
	}
	*out = isotime_from_fields(f[0] + n, f[1], f[2], f[3], f[4], f[5]);
	return 0;
}

static void
window(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	long years, ext;

	set_level(L, n, &p->window);
	if (date(L, n, "start", 1, &p->window_start) != 0 ||
	    number(L, n, "years", 1, POL_MAX_YEARS, 1, 0, &years) != 0 ||
	    number(L, n, "extensionYears", 0, POL_MAX_YEARS, 0, 0, &ext) != 0)
		return;
	p->window_years = (int)years;
	p->window_extension_years = (int)ext;
	if (add_years(p->window_start, (int)(years + ext), &p->window_end) != 0)
		problem(L, line_of(n), "start is out of range");
	else if (p->window_end <= p->window_start)
		problem(L, line_of(n), "the window ends before it starts");
}

/* A statement wording: not empty, short enough to be matched. */
static const char *
wording(struct loader *L, const xmlNode *n, const char *what)
{
	const char *s = text(L, n);

	if (s[0] == '\0') {
		problem(L, line_of(n), "the statement's %s wording is empty",
			what);
		return NULL;
	}
	if (strlen(s) > POLICY_MAX_WORDING) {
		problem(L, line_of(n), "the statement's %s wording is over %d "
			"bytes", what, POLICY_MAX_WORDING);
		return NULL;
	}
	return s;
}

static void
statement(struct loader *L, const xmlNode *n)
{
	struct policy *p = L->p;
	size_t cap;
	const char **v;
	const char *cr;

	set_level(L, n, &p->statement);
	cr = attr(L, n, "clauseRule"); /* xs:boolean, checked by the XSD */
	p->statement_clause_rule = cr == NULL || strcmp(cr, "true") == 0 ||
				   strcmp(cr, "1") == 0;
	v = list_alloc(L, n, "Variant", &cap);
	if (v == NULL)
		return;
	p->statement_variants = v;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		const char *s;

		if (is_el(c, "Exact")) {
			p->statement_exact = wording(L, c, "exact");
			continue;
		}
		if (!is_el(c, "Variant"))
			continue;
		s = wording(L, c, "variant");
		if (s == NULL)
			continue;
		if (listed(v, p->n_statement_variants, s) ||
		    (p->statement_exact != NULL &&
		     strcmp(s, p->statement_exact) == 0))
			problem(L, line_of(c), "this wording is listed twice");
		else
			v[p->n_statement_variants++] = s;
	}
	if (p->statement_exact == NULL && count(n, "Exact") == 0)
		problem(L, line_of(n), "the statement has no Exact wording");
}

static void
timestamp_gap(struct loader *L, const xmlNode *n)
{
	long minutes;

	set_level(L, n, &L->p->timestamp_gap);
	if (number(L, n, "maxMinutes", 1, POL_MAX_GAP_MINUTES, 1, 0,
		   &minutes) == 0)
		L->p->max_gap = (int64_t)minutes * 60;
}

static void
unsigned_doc(struct loader *L, const xmlNode *n)
{
	set_level(L, n, &L->p->unsigned_doc);
}

static void
later_annotations(struct loader *L, const xmlNode *n)
{
	set_level(L, n, &L->p->later_annotations);
}

static const struct section {
	const char *element;
	void (*fn)(struct loader *L, const xmlNode *n);
} sections[] = {
	{"Description", description},
	{"TrustAnchors", anchors},
	{"Algorithms", algorithms},
	{"Revocation", revocation},
	{"SignerPolicyOids", policy_oids},
	{"SignerKeyUsage", key_usage},
	{"SignerExtKeyUsage", ext_key_usage},
	{"SignerSubject", subject},
	{"SignatureLevel", sig_level},
	{"AgreementWindow", window},
	{"Statement", statement},
	{"TimestampGap", timestamp_gap},
	{"UnsignedDocument", unsigned_doc},
	{"AnnotationsAfterSigning", later_annotations},
};

/* The meaning pass over a schema-valid document. */
static void
walk(struct loader *L, const xmlNode *root)
{
	struct policy *p = L->p;
	const struct tte_rules *def = verdict_rules_default();

	if (root == NULL || !is_el(root, "Policy")) {
		problem(L, root != NULL ? line_of(root) : 0,
			"the root element is not a Policy of %s", POLICY_NS);
		return;
	}
	p->name = attr(L, root, "name");
	if (p->name == NULL || p->name[0] == '\0')
		problem(L, line_of(root), "the policy has no name");
	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		size_t i;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
			if (is_el(c, sections[i].element)) {
				sections[i].fn(L, c);
				break;
			}
		}
		if (i == sizeof(sections) / sizeof(sections[0]))
			problem(L, line_of(c), "unknown element '%s'",
				(const char *)c->name);
	}
	/* Absent, these two fail safe: the built-in catalogue, and
	 * revocation data required (EN 319 102-1 §5.2.5.4). */
	if (!L->has_algorithms) {
		p->rules.crypto_level = def->crypto_level;
		p->rules.digests = def->digests;
		p->rules.n_digests = def->n_digests;
		p->rules.keys = def->keys;
		p->rules.n_keys = def->n_keys;
		p->algorithms_builtin = 1;
	}
	if (!L->has_revocation) {
		p->rules.revocation_level = TTE_LEVEL_FAIL;
		p->rules.revocation_max_age = 0;
		p->revocation_builtin = 1;
	}
}

/* ---- entry points ---- */

static void
loader_init(struct loader *L, const char *name, const char *base_dir)
{
	memset(L, 0, sizeof(*L));
	L->name = name;
	L->base_dir = base_dir != NULL ? base_dir : ".";
	arena_init(&L->scratch);
}

/* The three passes over xml; *out gets the policy when no problem was
 * found, else stays NULL. */
static void
check(struct loader *L, const uint8_t *xml, size_t len, struct policy **out)
{
	struct policy *p;
	xmlDocPtr doc = NULL;

	*out = NULL;
	if (len > POLICY_MAX_FILE) {
		L->too_big = 1;
		problem(L, 0, "over %lu bytes", POLICY_MAX_FILE);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		oom(L);
		return;
	}
	arena_init(&p->arena);
	L->p = p;
	xmlInitParser();
	doc = parse(L, xml, len);
	if (doc != NULL && n_problems(L) == 0)
		validate(L, doc);
	if (doc != NULL && n_problems(L) == 0)
		walk(L, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	L->p = NULL;
	if (n_problems(L) > 0) {
		policy_free(p);
		return;
	}
	*out = p;
}

/* Reads the policy file at path, refusing more than POLICY_MAX_FILE. */
static tte_err
read_policy(const char *path, unsigned char **buf, size_t *len,
	    struct diag *d)
{
	struct stat st;
	tte_err rc = TTE_OK;

	*buf = NULL;
	ENSURE(stat(path, &st) == 0, TTE_E_IO, d, "%s: cannot open: %s", path,
	       strerror(errno));
	ENSURE(S_ISREG(st.st_mode), TTE_E_IO, d, "%s: not a regular file",
	       path);
	ENSURE((unsigned long long)st.st_size <= POLICY_MAX_FILE,
	       TTE_E_TOO_BIG, d, "%s: over %lu bytes", path, POLICY_MAX_FILE);
	TRY(pki_ossl_read_file(path, buf, len, d));
	ENSURE(*len <= POLICY_MAX_FILE, TTE_E_TOO_BIG, d, "%s: over %lu bytes",
	       path, POLICY_MAX_FILE);
out:
	if (rc != TTE_OK) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

/* The folder of path, absolute (malloc'd), or NULL. */
static char *
folder_of(const char *path)
{
	char *real = realpath(path, NULL), *slash;

	if (real == NULL)
		return NULL;
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0'; /* "/x.xml" */
	else if (slash != NULL)
		*slash = '\0';
	return real;
}

static tte_err
load(const char *name, const char *shown, const uint8_t *xml, size_t len,
     const char *base_dir, struct policy **out, struct diag *d)
{
	struct loader L;
	struct policy *p = NULL;
	tte_err rc = TTE_OK;

	loader_init(&L, name, base_dir);
	check(&L, xml, len, &p);
	ENSURE(!L.too_big, TTE_E_TOO_BIG, d, "%s: over %lu bytes", name,
	       POLICY_MAX_FILE);
	ENSURE(!L.nomem, TTE_E_NOMEM, d, "%s: out of memory", name);
	if (n_problems(&L) > 0) {
		char more[64] = "";

		if (n_problems(&L) > 1)
			snprintf(more, sizeof(more), " (and %zu more problems)",
				 n_problems(&L) - 1);
		if (L.probs[0].line > 0)
			BAIL(TTE_E_MALFORMED, d, "%s:%ld: %s%s", name,
			     L.probs[0].line, L.probs[0].msg, more);
		BAIL(TTE_E_MALFORMED, d, "%s: %s%s", name, L.probs[0].msg,
		     more);
	}
	p->path = arena_strdup(&p->arena, shown);
	ENSURE(p->path != NULL, TTE_E_NOMEM, d, "%s: out of memory", name);
	*out = p;
	p = NULL;
out:
	policy_free(p);
	arena_release(&L.scratch);
	return rc;
}

/* see policy.h */
tte_err
policy_load_buffer(const char *name, const uint8_t *xml, size_t len,
		   const char *base_dir, struct policy **out, struct diag *d)
{
	return load(name, name, xml, len, base_dir, out, d);
}

/* see policy.h */
tte_err
policy_load(const char *path, struct policy **out, struct diag *d)
{
	unsigned char *buf = NULL;
	char *dir = NULL, *real = NULL;
	size_t len = 0;
	tte_err rc = TTE_OK;

	TRY(read_policy(path, &buf, &len, d));
	real = realpath(path, NULL);
	dir = folder_of(path);
	ENSURE(real != NULL && dir != NULL, TTE_E_IO, d, "%s: cannot open: %s",
	       path, strerror(errno));
	TRY(load(path, real, buf, len, dir, out, d));
out:
	free(buf);
	free(dir);
	free(real);
	return rc;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A shipped policy's name: letters, digits, '.', '_', '-', not first '.'. */
static int
is_policy_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > POLICY_NAME_MAX || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* see policy.h */
tte_err
policy_load_named(const char *name, struct policy **out, struct diag *d)
{
	char path[PATH_MAX];
	tte_err rc = TTE_OK;
	int n;

	if (strchr(name, '/') != NULL || ends_with(name, ".xml"))
		return policy_load(name, out, d);
	ENSURE(is_policy_name(name), TTE_E_USAGE, d,
	       "'%s' is not the name of a shipped policy", name);
	n = snprintf(path, sizeof(path), "%s/%s.xml", policy_dir(), name);
	ENSURE(n > 0 && (size_t)n < sizeof(path), TTE_E_USAGE, d,
	       "policy folder '%s' is too long", policy_dir());
	ENSURE(access(path, F_OK) == 0, TTE_E_IO, d,
	       "no shipped policy '%s' (looked for '%s')", name, path);
	TRY(policy_load(path, out, d));
out:
	return rc;
}

/* see policy.h */
void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	arena_release(&p->arena);
	free(p);
}

static size_t
print_problems(const struct loader *L, FILE *out)
{
	for (size_t i = 0; i < L->n_probs; i++) {
		if (L->probs[i].line > 0)
			fprintf(out, "%s:%ld: %s\n", L->name, L->probs[i].line,
				L->probs[i].msg);
		else
			fprintf(out, "%s: %s\n", L->name, L->probs[i].msg);
	}
	if (L->n_dropped > 0)
		fprintf(out, "%s: and %zu more problems\n", L->name,
			L->n_dropped);
	return n_problems(L);
}

/* see policy.h */
size_t
policy_lint_buffer(const char *name, const uint8_t *xml, size_t len,
		   const char *base_dir, FILE *out)
{
	struct loader L;
	struct policy *p = NULL;
	size_t n;

	loader_init(&L, name, base_dir);
	check(&L, xml, len, &p);
	policy_free(p);
	n = print_problems(&L, out);
	arena_release(&L.scratch);
	return n;
}

/* see policy.h */
size_t
policy_lint(const char *path, FILE *out)
{
	unsigned char *buf = NULL;
	char *dir = NULL;
	size_t len = 0, n;
	struct diag d;

	diag_clear(&d);
	if (read_policy(path, &buf, &len, &d) != TTE_OK) {
		fprintf(out, "%s\n", d.msg);
		return 1;
	}
	dir = folder_of(path);
	n = policy_lint_buffer(path, buf, len, dir != NULL ? dir : ".", out);
	free(dir);
	free(buf);
	return n;
}
