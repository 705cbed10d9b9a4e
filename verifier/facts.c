/*
 * facts.c - see facts.h for the line's layout.
 *
 * The names of enum values below are the facts format's own vocabulary,
 * kept here and not borrowed from the display code: the line is a stored
 * format (the ledger will keep the same facts), so a wording change in
 * the text or JSON output must not make old lines unreadable.
 */
#include "facts.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/isotime.h"
#include "base/json.h"

#define WHERE_MAX 160 /* a field's path in messages, e.g.
			 "signatures[3].timestamp.chain[1].revocation[0]" */

/* ---- the vocabulary (NULL: not a value of the enum) ---- */

static const char *
check_name(int v)
{
	switch ((enum tte_check)v) {
	case TTE_CHECK_NOT_DONE:
		return "not-done";
	case TTE_CHECK_OK:
		return "ok";
	case TTE_CHECK_FAILED:
		return "failed";
	}
	return NULL;
}

static const char *
chain_name(int v)
{
	switch ((enum tte_chain)v) {
	case TTE_CHAIN_NOT_DONE:
		return "not-done";
	case TTE_CHAIN_FOUND:
		return "found";
	case TTE_CHAIN_NO_ANCHOR:
		return "no-trust-anchor";
	case TTE_CHAIN_BROKEN:
		return "bad-certificate-signature";
	case TTE_CHAIN_CONSTRAINTS:
		return "constraints-broken";
	}
	return NULL;
}

static const char *
kind_name(int v)
{
	switch ((enum tte_sig_kind)v) {
	case TTE_KIND_SIGNATURE:
		return "signature";
	case TTE_KIND_TIMESTAMP:
		return "timestamp";
	case TTE_KIND_DOC_TIMESTAMP:
		return "doc-timestamp";
	case TTE_KIND_ARCHIVE_TIMESTAMP:
		return "archive-timestamp";
	}
	return NULL;
}

static const char *
ats_form_name(int v)
{
	switch ((enum tte_ats_form)v) {
	case TTE_ATS_V3:
		return "v3";
	case TTE_ATS_V3_OLD_INDEX:
		return "v3-ats-hash-index";
	case TTE_ATS_V2:
		return "v2";
	case TTE_ATS_V1:
		return "v1";
	}
	return NULL;
}

static const char *
mods_name(int v)
{
	switch ((enum tte_mods)v) {
	case TTE_MODS_NOT_DONE:
		return "not-done";
	case TTE_MODS_NONE:
		return "none";
	case TTE_MODS_ALLOWED:
		return "allowed";
	case TTE_MODS_DISALLOWED:
		return "disallowed";
	}
	return NULL;
}

static const char *
statement_name(int v)
{
	switch ((enum tte_statement)v) {
	case TTE_STMT_NA:
		return "n/a";
	case TTE_STMT_EXACT:
		return "exact";
	case TTE_STMT_VARIANT:
		return "variant";
	case TTE_STMT_MISSING:
		return "missing";
	case TTE_STMT_NO_TEXT:
		return "no-text";
	case TTE_STMT_UNKNOWN:
		return "unknown";
	}
	return NULL;
}

static const char *
format_name(int v)
{
	switch ((enum tte_format)v) {
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
	return NULL;
}

static const char *
rev_kind_name(int v)
{
	switch ((enum tte_rev_kind)v) {
	case TTE_REVK_CRL:
		return "crl";
	case TTE_REVK_OCSP:
		return "ocsp";
	}
	return NULL;
}

static const char *
rev_status_name(int v)
{
	switch ((enum tte_rev_status)v) {
	case TTE_RS_GOOD:
		return "good";
	case TTE_RS_REVOKED:
		return "revoked";
	case TTE_RS_UNKNOWN:
		return "unknown";
	case TTE_RS_INVALID:
		return "rejected";
	}
	return NULL;
}

/* Times that isotime writes and reads back exactly: years 0000-9999. */
static int
time_is_iso(int64_t t)
{
	return t >= isotime_from_fields(0, 1, 1, 0, 0, 0) &&
	       t <= isotime_from_fields(9999, 12, 31, 23, 59, 59);
}

/* ---- writing ---- */

struct w {
	FILE *f;
	int first; /* no comma before the next member */
};

static void
open_obj(struct w *w)
{
	fputc('{', w->f);
	w->first = 1;
}

static void
close_obj(struct w *w)
{
	fputc('}', w->f);
	w->first = 0;
}

static void
key(struct w *w, const char *k)
{
	if (!w->first)
		fputc(',', w->f);
	w->first = 0;
	json_write_str(w->f, k);
	fputc(':', w->f);
}

static void
put_str(struct w *w, const char *k, const char *v)
{
	key(w, k);
	json_write_str(w->f, v);
}

static void
put_bool(struct w *w, const char *k, int v)
{
	key(w, k);
	fputs(v ? "true" : "false", w->f);
}

static void
put_int(struct w *w, const char *k, int64_t v)
{
	key(w, k);
	fprintf(w->f, "%" PRId64, v);
}

static void
time_value(FILE *f, int64_t t)
{
	char buf[ISOTIME_LEN];

	if (!time_is_iso(t)) {
		fprintf(f, "%" PRId64, t);
		return;
	}
	isotime_format(t, buf);
	json_write_str(f, buf);
}

static void
put_time(struct w *w, const char *k, int64_t t)
{
	key(w, k);
	time_value(w->f, t);
}

/* An enum value by its name; a value outside the enum is written as
 * null, which the reader refuses (fail closed). */
static void
put_enum(struct w *w, const char *k, const char *(*name)(int), int v)
{
	put_str(w, k, name(v));
}

static void
put_notes(struct w *w, const char *k, const struct tte_notes *n)
{
	key(w, k);
	fputc('[', w->f);
	for (const struct tte_note *i = n->head; i != NULL; i = i->next) {
		json_write_str(w->f, i->text);
		if (i->next != NULL)
			fputc(',', w->f);
	}
	fputc(']', w->f);
}

static void
put_strv(struct w *w, const char *k, const char *const *v, size_t n)
{
	key(w, k);
	fputc('[', w->f);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', w->f);
		json_write_str(w->f, v[i]);
	}
	fputc(']', w->f);
}

static void
put_key_usage(struct w *w, unsigned bits)
{
	int any = 0;

	key(w, "key_usage");
	fputc('[', w->f);
	for (unsigned i = 0; i < sizeof(bits) * CHAR_BIT; i++) {
		const unsigned bit = 1U << i;
		const char *name = tte_ku_name(bit);

		if ((bits & bit) == 0)
			continue;
		if (any)
			fputc(',', w->f);
		any = 1;
		if (name != NULL)
			json_write_str(w->f, name);
		else
			fprintf(w->f, "%u", bit);
	}
	fputc(']', w->f);
}

static void
write_rev(struct w *w, const struct tte_rev_ev *ev)
{
	open_obj(w);
	put_enum(w, "kind", rev_kind_name, (int)ev->kind);
	put_enum(w, "status", rev_status_name, (int)ev->status);
	put_time(w, "issued", ev->issued);
	put_time(w, "produced", ev->produced);
	put_time(w, "next_update", ev->next_update);
	put_time(w, "revoked_at", ev->revoked_at);
	put_str(w, "reason", ev->reason);
	put_bool(w, "hold", ev->hold);
	put_int(w, "reasons", ev->reasons);
	put_str(w, "source", ev->source);
	put_str(w, "problem", ev->problem);
	close_obj(w);
}

static void
write_cert(struct w *w, const struct tte_cert *c)
{
	open_obj(w);
	put_str(w, "subject", c->subject);
	put_str(w, "issuer", c->issuer);
	put_str(w, "serial", c->serial);
	put_str(w, "sha256", c->sha256);
	put_str(w, "organization", c->organization);
	put_str(w, "unit", c->unit);
	put_strv(w, "policy_oids", c->policy_oids, c->n_policy_oids);
	put_time(w, "not_before", c->not_before);
	put_time(w, "not_after", c->not_after);
	put_str(w, "key_type", c->key_type);
	put_int(w, "key_bits", c->key_bits);
	put_str(w, "sig_alg", c->sig_alg);
	put_bool(w, "is_anchor", c->is_anchor);
	put_bool(w, "ku_allows_signing", c->ku_allows_signing);
	put_bool(w, "has_key_usage", c->has_key_usage);
	put_key_usage(w, c->key_usage);
	put_strv(w, "eku_oids", c->eku_oids, c->n_eku_oids);
	put_str(w, "sig_digest", c->sig_digest);
	put_bool(w, "eku_timestamping", c->eku_timestamping);
	put_bool(w, "eku_critical", c->eku_critical);
	key(w, "revocation");
	fputc('[', w->f);
	for (const struct tte_rev_ev *ev = c->rev_ev; ev != NULL;
	     ev = ev->next) {
		write_rev(w, ev);
		if (ev->next != NULL)
			fputc(',', w->f);
	}
	fputc(']', w->f);
	close_obj(w);
}

static void
write_sig(struct w *w, const struct tte_sig *s)
{
	open_obj(w);
	put_str(w, "id", s->id);
	put_enum(w, "kind", kind_name, (int)s->kind);
	put_str(w, "format_error", s->format_error);
	put_bool(w, "content_missing", s->content_missing);
	put_enum(w, "hash", check_name, (int)s->hash);
	put_str(w, "hash_msg", s->hash_msg);
	put_enum(w, "signature", check_name, (int)s->signature);
	put_str(w, "signature_msg", s->signature_msg);
	put_enum(w, "signer_found", check_name, (int)s->signer_found);
	put_enum(w, "ess", check_name, (int)s->ess);
	put_str(w, "signer_msg", s->signer_msg);
	put_enum(w, "content_type", check_name, (int)s->content_type);
	put_str(w, "digest_alg", s->digest_alg);
	put_str(w, "sig_alg", s->sig_alg);
	if (s->has_signing_time)
		put_time(w, "signing_time", s->signing_time);
	else
		put_str(w, "signing_time", NULL);
	key(w, "chain");
	fputc('[', w->f);
	for (const struct tte_cert *c = s->chain; c != NULL; c = c->next) {
		write_cert(w, c);
		if (c->next != NULL)
			fputc(',', w->f);
	}
	fputc(']', w->f);
	w->first = 0;
	put_enum(w, "chain_status", chain_name, (int)s->chain_status);
	put_str(w, "chain_msg", s->chain_msg);
	key(w, "timestamp");
	if (s->timestamp != NULL)
		write_sig(w, s->timestamp);
	else
		fputs("null", w->f);
	w->first = 0;
	put_time(w, "ts_time", s->ts_time);
	put_enum(w, "imprint", check_name, (int)s->imprint);
	put_str(w, "imprint_msg", s->imprint_msg);
	put_notes(w, "notes", &s->notes);
	put_bool(w, "in_pdf", s->in_pdf);
	put_str(w, "field_name", s->field_name);
	put_str(w, "sub_filter", s->sub_filter);
	put_int(w, "revision", s->revision);
	put_bool(w, "covers_whole_document", s->covers_whole_document);
	put_str(w, "byterange_error", s->byterange_error);
	put_int(w, "docmdp_p", s->docmdp_p);
	put_enum(w, "mods", mods_name, (int)s->mods);
	put_notes(w, "changes", &s->changes);
	put_int(w, "annots_added", s->annots_added);
	put_str(w, "level", s->level);
	/* facts_version 2: archive timestamps (issue 4) */
	key(w, "archive_timestamps");
	fputc('[', w->f);
	for (const struct tte_sig *x = s->archive; x != NULL; x = x->next) {
		write_sig(w, x);
		if (x->next != NULL)
			fputc(',', w->f);
	}
	fputc(']', w->f);
	w->first = 0;
	put_enum(w, "ats_form", ats_form_name, (int)s->ats_form);
	put_enum(w, "hash_index", check_name, (int)s->hash_index);
	put_str(w, "hash_index_msg", s->hash_index_msg);
	put_bool(w, "covers_timestamp", (s->covers & TTE_COVERS_TS) != 0);
	key(w, "covers_archive");
	fputc('[', w->f);
	for (int i = 0, any = 0; i < TTE_ATS_MAX; i++) {
		if (!(s->covers & TTE_COVERS_ATS(i)))
			continue;
		fprintf(w->f, "%s%d", any++ ? "," : "", i);
	}
	fputc(']', w->f);
	close_obj(w);
}

/* see facts.h */
void
facts_write_doc(FILE *f, const struct tte_doc *doc, int64_t validation_time)
{
	struct w w = {f, 1};

	open_obj(&w);
	put_int(&w, "facts_version", FACTS_VERSION);
	put_time(&w, "validation_time", validation_time);
	put_str(&w, "path", doc->path);
	put_enum(&w, "format", format_name, (int)doc->format);
	put_str(&w, "sha256", doc->sha256[0] != '\0' ? doc->sha256 : NULL);
	put_notes(&w, "errors", &doc->errors);
	put_str(&w, "stopped", doc->stopped);
	put_enum(&w, "statement", statement_name, (int)doc->statement);
	key(&w, "signatures");
	fputc('[', f);
	for (const struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		write_sig(&w, s);
		if (s->next != NULL)
			fputc(',', f);
	}
	fputc(']', f);
	put_str(&w, "statement_wordings", doc->wordings_id);
	close_obj(&w);
	fputc('\n', f);
}

/* ---- reading ---- */

/* A JSON type for messages: "null", "a number", "an object", ... */
static const char *
a_type(const struct json *v)
{
	if (v == NULL)
		return "nothing";
	switch (v->type) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
		return "false";
	case JSON_TRUE:
		return "true";
	case JSON_NUMBER:
		return "a number";
	case JSON_STRING:
		return "a string";
	case JSON_ARRAY:
		return "an array";
	case JSON_OBJECT:
		return "an object";
	}
	return "?";
}

struct rd_ctx {
	struct arena *a; /* the new document's */
	struct diag *d;
	int64_t version; /* the line's facts_version */
};

/* The fields of each object, in the order written. */
static const char *const doc_keys[] = {
	"facts_version", "validation_time", "path", "format", "sha256",
	"errors", "stopped", "statement", "signatures",
	/* facts_version 2 */
	"statement_wordings",
};

/* The fields of a document in a facts_version 1 line: the first ones. */
#define DOC_KEYS_V1 9

static const char *const sig_keys[] = {
	"id", "kind", "format_error", "content_missing", "hash", "hash_msg",
	"signature", "signature_msg", "signer_found", "ess", "signer_msg",
	"content_type", "digest_alg", "sig_alg", "signing_time", "chain",
	"chain_status", "chain_msg", "timestamp", "ts_time", "imprint",
	"imprint_msg", "notes", "in_pdf", "field_name", "sub_filter",
	"revision", "covers_whole_document", "byterange_error", "docmdp_p",
	"mods", "changes", "annots_added", "level",
	/* facts_version 2 */
	"archive_timestamps", "ats_form", "hash_index", "hash_index_msg",
	"covers_timestamp", "covers_archive",
};

/* The fields of a signature in a facts_version 1 line: the first ones. */
#define SIG_KEYS_V1 34

static const char *const cert_keys[] = {
	"subject", "issuer", "serial", "sha256", "organization", "unit",
	"policy_oids", "not_before", "not_after", "key_type", "key_bits",
	"sig_alg", "is_anchor", "ku_allows_signing", "has_key_usage",
	"key_usage", "eku_oids", "sig_digest", "eku_timestamping",
	"eku_critical", "revocation",
};

static const char *const rev_keys[] = {
	"kind", "status", "issued", "produced", "next_update", "revoked_at",
	"reason", "hold", "reasons", "source", "problem",
};

#define N_KEYS(k) (sizeof(k) / sizeof((k)[0]))

/* The path of a field for messages; a path over WHERE_MAX is cut. */
static void where_fmt(char out[WHERE_MAX], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
where_fmt(char out[WHERE_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, WHERE_MAX, fmt, ap);
	va_end(ap);
}

/*
 * obj must be an object with exactly the fields keys[0..n) (n at most
 * 64), each once: nothing missing, unknown or repeated.
 */
static tte_err
check_fields(const struct rd_ctx *c, const struct json *obj,
	     const char *const *keys, size_t n, const char *where)
{
	uint64_t seen = 0;
	tte_err rc = TTE_OK;

	ENSURE(obj != NULL && obj->type == JSON_OBJECT, TTE_E_MALFORMED, c->d,
	       "facts: '%s' is %s, not an object", where, a_type(obj));
	for (size_t i = 0; i < obj->n; i++) {
		const char *k = obj->items[i]->key;
		size_t j = 0;

		while (j < n && strcmp(keys[j], k) != 0)
			j++;
		ENSURE(j < n, TTE_E_MALFORMED, c->d,
		       "facts: unknown field '%s' in '%s'", k, where);
		ENSURE((seen & (UINT64_C(1) << j)) == 0, TTE_E_MALFORMED, c->d,
		       "facts: field '%s' repeated in '%s'", k, where);
		seen |= UINT64_C(1) << j;
	}
	for (size_t j = 0; j < n; j++)
		ENSURE(seen & (UINT64_C(1) << j), TTE_E_MALFORMED, c->d,
		       "facts: '%s.%s' is missing", where, keys[j]);
out:
	return rc;
}

/* A string field (null allowed when nullable), copied into the arena. */
static tte_err
get_str(const struct rd_ctx *c, const struct json *obj, const char *k,
	const char *where, int nullable, const char **out)
{
	const struct json *v = json_get(obj, k);
	tte_err rc = TTE_OK;

	*out = NULL;
	if (nullable && json_is_null(v))
		goto out;
	ENSURE(json_str(v) != NULL, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is %s, not a string%s", where, k, a_type(v),
	       nullable ? " or null" : "");
	*out = arena_strndup(c->a, v->str, v->len);
	ENSURE(*out != NULL, TTE_E_NOMEM, c->d, "facts: '%s.%s'", where, k);
out:
	return rc;
}

static tte_err
get_bool(const struct rd_ctx *c, const struct json *obj, const char *k,
	 const char *where, int *out)
{
	const struct json *v = json_get(obj, k);
	tte_err rc = TTE_OK;

	ENSURE(json_bool(v, out) == 0, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is %s, not true or false", where, k,
	       a_type(v));
out:
	return rc;
}

static tte_err
get_int(const struct rd_ctx *c, const struct json *obj, const char *k,
	const char *where, int64_t min, int64_t max, int64_t *out)
{
	const struct json *v = json_get(obj, k);
	tte_err rc = TTE_OK;

	ENSURE(json_int(v, out) == 0, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is not an integer", where, k);
	ENSURE(*out >= min && *out <= max, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is %" PRId64 ", outside %" PRId64 "..%" PRId64,
	       where, k, *out, min, max);
out:
	return rc;
}

/* A TIME value (facts.h): the canonical UTC string, or an integer. */
static tte_err
time_of(const struct rd_ctx *c, const struct json *v, const char *where,
	const char *k, int64_t *out)
{
	char again[ISOTIME_LEN];
	tte_err rc = TTE_OK;

	if (json_int(v, out) == 0)
		goto out;
	ENSURE(json_str(v) != NULL, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is %s, not a time", where, k, a_type(v));
	ENSURE(isotime_parse(v->str, out) == 0 && time_is_iso(*out),
	       TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is '%s', not a UTC time such as "
	       "2025-03-01T08:00:00Z", where, k, v->str);
	isotime_format(*out, again);
	ENSURE(strcmp(again, v->str) == 0, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is '%s', not in the form %s", where, k, v->str,
	       again);
out:
	return rc;
}

static tte_err
get_time(const struct rd_ctx *c, const struct json *obj, const char *k,
	 const char *where, int64_t *out)
{
	return time_of(c, json_get(obj, k), where, k, out);
}

/* An enum field by name: *out is the value whose name(v) it is. */
static tte_err
get_enum(const struct rd_ctx *c, const struct json *obj, const char *k,
	 const char *where, const char *(*name)(int), int *out)
{
	const char *s = json_str(json_get(obj, k));
	char want[160];
	size_t used = 0;
	tte_err rc = TTE_OK;

	for (int v = 0; s != NULL && name(v) != NULL; v++) {
		if (strcmp(name(v), s) == 0) {
			*out = v;
			goto out;
		}
	}
	want[0] = '\0';
	for (int v = 0; name(v) != NULL && used < sizeof(want); v++) {
		int m = snprintf(want + used, sizeof(want) - used, "%s%s",
				 v > 0 ? ", " : "", name(v));

		if (m < 0)
			break;
		used += (size_t)m;
	}
	BAIL(TTE_E_MALFORMED, c->d, "facts: '%s.%s' is not one of %s", where, k,
	     want);
out:
	return rc;
}

/* An array field (its elements checked by the caller). */
static tte_err
get_array(const struct rd_ctx *c, const struct json *obj, const char *k,
	  const char *where, const struct json **out)
{
	const struct json *v = json_get(obj, k);
	tte_err rc = TTE_OK;

	*out = v;
	ENSURE(v->type == JSON_ARRAY, TTE_E_MALFORMED, c->d,
	       "facts: '%s.%s' is %s, not an array", where, k, a_type(v));
out:
	return rc;
}

/* Appends text to list, whole (tte_notes_add would cut it at 1 KiB). */
static tte_err
note_append(const struct rd_ctx *c, struct tte_notes *list, const char *text)
{
	struct tte_note *n = arena_alloc(c->a, sizeof(*n));
	tte_err rc = TTE_OK;

	ENSURE(n != NULL, TTE_E_NOMEM, c->d, "facts: note");
	n->text = text;
	if (list->tail == NULL)
		list->head = n;
	else
		list->tail->next = n;
	list->tail = n;
	list->count++;
out:
	return rc;
}

static tte_err
get_notes(const struct rd_ctx *c, const struct json *obj, const char *k,
	  const char *where, struct tte_notes *out)
{
	const struct json *arr = NULL;
	tte_err rc = TTE_OK;

	TRY(get_array(c, obj, k, where, &arr));
	for (size_t i = 0; i < arr->n; i++) {
		const struct json *v = arr->items[i];
		const char *s;

		ENSURE(v->type == JSON_STRING, TTE_E_MALFORMED, c->d,
		       "facts: '%s.%s[%zu]' is %s, not a string", where, k, i,
		       a_type(v));
		s = arena_strndup(c->a, v->str, v->len);
		ENSURE(s != NULL, TTE_E_NOMEM, c->d, "facts: '%s.%s'", where,
		       k);
		TRY(note_append(c, out, s));
	}
out:
	return rc;
}

/* An array of strings as a NULL-terminated vector and its length. */
static tte_err
get_strv(const struct rd_ctx *c, const struct json *obj, const char *k,
	 const char *where, const char ***out, size_t *n)
{
	const struct json *arr = NULL;
	const char **v = NULL;
	tte_err rc = TTE_OK;

	*out = NULL;
	*n = 0;
	TRY(get_array(c, obj, k, where, &arr));
	if (arr->n == 0)
		goto out;
	v = arena_alloc(c->a, (arr->n + 1) * sizeof(*v));
	ENSURE(v != NULL, TTE_E_NOMEM, c->d, "facts: '%s.%s'", where, k);
	for (size_t i = 0; i < arr->n; i++) {
		const struct json *e = arr->items[i];

		ENSURE(e->type == JSON_STRING, TTE_E_MALFORMED, c->d,
		       "facts: '%s.%s[%zu]' is %s, not a string", where, k, i,
		       a_type(e));
		v[i] = arena_strndup(c->a, e->str, e->len);
		ENSURE(v[i] != NULL, TTE_E_NOMEM, c->d, "facts: '%s.%s'", where,
		       k);
	}
	*out = v;
	*n = arr->n;
out:
	return rc;
}

/* keyUsage: names of tte_ku_name, or the values of bits it does not
 * name, each bit once. */
static tte_err
get_key_usage(const struct rd_ctx *c, const struct json *obj,
	      const char *where, unsigned *out)
{
	const struct json *arr = NULL;
	tte_err rc = TTE_OK;

	*out = 0;
	TRY(get_array(c, obj, "key_usage", where, &arr));
	for (size_t i = 0; i < arr->n; i++) {
		const struct json *e = arr->items[i];
		unsigned bit = 0;
		int64_t v = 0;

		if (e->type == JSON_STRING) {
			for (unsigned b = 0; b < sizeof(bit) * CHAR_BIT; b++) {
				const char *nm = tte_ku_name(1U << b);

				if (nm != NULL && strcmp(nm, e->str) == 0)
					bit = 1U << b;
			}
			ENSURE(bit != 0, TTE_E_MALFORMED, c->d,
			       "facts: '%s.key_usage[%zu]' is '%s', not a "
			       "keyUsage name such as digitalSignature", where,
			       i, e->str);
		} else {
			ENSURE(json_int(e, &v) == 0 && v > 0 &&
				       v <= (int64_t)(UINT_MAX / 2 + 1) &&
				       (v & (v - 1)) == 0 &&
				       tte_ku_name((unsigned)v) == NULL,
			       TTE_E_MALFORMED, c->d,
			       "facts: '%s.key_usage[%zu]' is neither a "
			       "keyUsage name nor the value of an unnamed bit",
			       where, i);
			bit = (unsigned)v;
		}
		ENSURE((*out & bit) == 0, TTE_E_MALFORMED, c->d,
		       "facts: '%s.key_usage' lists a bit twice", where);
		*out |= bit;
	}
out:
	return rc;
}

static tte_err
read_rev(const struct rd_ctx *c, const struct json *o, const char *where,
	 struct tte_rev_ev *ev)
{
	int v = 0;
	int64_t n = 0;
	tte_err rc = TTE_OK;

	TRY(check_fields(c, o, rev_keys, N_KEYS(rev_keys), where));
	TRY(get_enum(c, o, "kind", where, rev_kind_name, &v));
	ev->kind = (enum tte_rev_kind)v;
	TRY(get_enum(c, o, "status", where, rev_status_name, &v));
	ev->status = (enum tte_rev_status)v;
	TRY(get_time(c, o, "issued", where, &ev->issued));
	TRY(get_time(c, o, "produced", where, &ev->produced));
	TRY(get_time(c, o, "next_update", where, &ev->next_update));
	TRY(get_time(c, o, "revoked_at", where, &ev->revoked_at));
	TRY(get_str(c, o, "reason", where, 1, &ev->reason));
	TRY(get_bool(c, o, "hold", where, &ev->hold));
	TRY(get_int(c, o, "reasons", where, 0, UINT_MAX, &n));
	ev->reasons = (unsigned)n;
	TRY(get_str(c, o, "source", where, 1, &ev->source));
	TRY(get_str(c, o, "problem", where, 1, &ev->problem));
out:
	return rc;
}

static tte_err
read_cert(const struct rd_ctx *c, const struct json *o, const char *where,
	  struct tte_cert *cert)
{
	const struct json *revs = NULL;
	struct tte_rev_ev **tail = &cert->rev_ev;
	char sub[WHERE_MAX];
	int64_t n = 0;
	tte_err rc = TTE_OK;

	TRY(check_fields(c, o, cert_keys, N_KEYS(cert_keys), where));
	TRY(get_str(c, o, "subject", where, 1, &cert->subject));
	TRY(get_str(c, o, "issuer", where, 1, &cert->issuer));
	TRY(get_str(c, o, "serial", where, 1, &cert->serial));
	TRY(get_str(c, o, "sha256", where, 1, &cert->sha256));
	TRY(get_str(c, o, "organization", where, 1, &cert->organization));
	TRY(get_str(c, o, "unit", where, 1, &cert->unit));
	TRY(get_strv(c, o, "policy_oids", where, &cert->policy_oids,
		     &cert->n_policy_oids));
	TRY(get_time(c, o, "not_before", where, &cert->not_before));
	TRY(get_time(c, o, "not_after", where, &cert->not_after));
	TRY(get_str(c, o, "key_type", where, 1, &cert->key_type));
	TRY(get_int(c, o, "key_bits", where, INT_MIN, INT_MAX, &n));
	cert->key_bits = (int)n;
	TRY(get_str(c, o, "sig_alg", where, 1, &cert->sig_alg));
	TRY(get_bool(c, o, "is_anchor", where, &cert->is_anchor));
	TRY(get_bool(c, o, "ku_allows_signing", where,
		     &cert->ku_allows_signing));
	TRY(get_bool(c, o, "has_key_usage", where, &cert->has_key_usage));
	TRY(get_key_usage(c, o, where, &cert->key_usage));
	TRY(get_strv(c, o, "eku_oids", where, &cert->eku_oids,
		     &cert->n_eku_oids));
	TRY(get_str(c, o, "sig_digest", where, 1, &cert->sig_digest));
	TRY(get_bool(c, o, "eku_timestamping", where,
		     &cert->eku_timestamping));
	TRY(get_bool(c, o, "eku_critical", where, &cert->eku_critical));
	TRY(get_array(c, o, "revocation", where, &revs));
	for (size_t i = 0; i < revs->n; i++) {
		struct tte_rev_ev *ev = arena_alloc(c->a, sizeof(*ev));

		ENSURE(ev != NULL, TTE_E_NOMEM, c->d, "facts: revocation");
		where_fmt(sub, "%s.revocation[%zu]", where, i);
		TRY(read_rev(c, revs->items[i], sub, ev));
		*tail = ev; /* in order, as tte_cert_add_rev, in O(1) */
		tail = &ev->next;
	}
out:
	return rc;
}

static tte_err read_sig(const struct rd_ctx *c, const struct json *o,
			const char *where, struct tte_sig *s);

/*
 * The facts_version 2 fields of s: its archive timestamps (each of kind
 * archive-timestamp, at most TTE_ATS_MAX, as verify records) and, for
 * an archive timestamp, its form, hash index and what it covers
 * (positions in its signature's list, each once).
 */
static tte_err
read_archive(const struct rd_ctx *c, const struct json *o, const char *where,
	     struct tte_sig *s)
{
	const struct json *arr = NULL;
	struct tte_sig **tail = &s->archive;
	char sub[WHERE_MAX];
	int v = 0, b = 0;
	int64_t n = 0;
	tte_err rc = TTE_OK;

	TRY(get_array(c, o, "archive_timestamps", where, &arr));
	ENSURE(arr->n <= TTE_ATS_MAX, TTE_E_MALFORMED, c->d,
	       "facts: '%s.archive_timestamps' lists %zu, more than verify "
	       "records (%d)", where, arr->n, TTE_ATS_MAX);
	for (size_t i = 0; i < arr->n; i++) {
		struct tte_sig *x = arena_alloc(c->a, sizeof(*x));

		ENSURE(x != NULL, TTE_E_NOMEM, c->d, "facts: archive timestamp");
		where_fmt(sub, "%s.archive_timestamps[%zu]", where, i);
		TRY(read_sig(c, arr->items[i], sub, x));
		ENSURE(x->kind == TTE_KIND_ARCHIVE_TIMESTAMP, TTE_E_MALFORMED,
		       c->d, "facts: '%s.kind' is not archive-timestamp", sub);
		*tail = x;
		tail = &x->next;
	}
	TRY(get_enum(c, o, "ats_form", where, ats_form_name, &v));
	s->ats_form = (enum tte_ats_form)v;
	TRY(get_enum(c, o, "hash_index", where, check_name, &v));
	s->hash_index = (enum tte_check)v;
	TRY(get_str(c, o, "hash_index_msg", where, 1, &s->hash_index_msg));
	TRY(get_bool(c, o, "covers_timestamp", where, &b));
	s->covers = b ? TTE_COVERS_TS : 0;
	TRY(get_array(c, o, "covers_archive", where, &arr));
	for (size_t i = 0; i < arr->n; i++) {
		ENSURE(json_int(arr->items[i], &n) == 0 && n >= 0 &&
			       n < TTE_ATS_MAX,
		       TTE_E_MALFORMED, c->d, "facts: '%s.covers_archive[%zu]' "
		       "is not a position 0..%d", where, i, TTE_ATS_MAX - 1);
		ENSURE(!(s->covers & TTE_COVERS_ATS(n)), TTE_E_MALFORMED, c->d,
		       "facts: '%s.covers_archive' lists %d twice", where,
		       (int)n);
		s->covers |= TTE_COVERS_ATS(n);
	}
out:
	return rc;
}

static tte_err
read_sig(const struct rd_ctx *c, const struct json *o, const char *where,
	 struct tte_sig *s)
{
	const struct json *arr = NULL, *ts = NULL, *st = NULL;
	struct tte_cert **tail = &s->chain;
	char sub[WHERE_MAX];
	int v = 0;
	int64_t n = 0;
	tte_err rc = TTE_OK;

	TRY(check_fields(c, o, sig_keys,
			 c->version >= 2 ? N_KEYS(sig_keys) : SIG_KEYS_V1,
			 where));
	TRY(get_str(c, o, "id", where, 1, &s->id));
	TRY(get_enum(c, o, "kind", where, kind_name, &v));
	s->kind = (enum tte_sig_kind)v;
	TRY(get_str(c, o, "format_error", where, 1, &s->format_error));
	TRY(get_bool(c, o, "content_missing", where, &s->content_missing));
	TRY(get_enum(c, o, "hash", where, check_name, &v));
	s->hash = (enum tte_check)v;
	TRY(get_str(c, o, "hash_msg", where, 1, &s->hash_msg));
	TRY(get_enum(c, o, "signature", where, check_name, &v));
	s->signature = (enum tte_check)v;
	TRY(get_str(c, o, "signature_msg", where, 1, &s->signature_msg));
	TRY(get_enum(c, o, "signer_found", where, check_name, &v));
	s->signer_found = (enum tte_check)v;
	TRY(get_enum(c, o, "ess", where, check_name, &v));
	s->ess = (enum tte_check)v;
	TRY(get_str(c, o, "signer_msg", where, 1, &s->signer_msg));
	TRY(get_enum(c, o, "content_type", where, check_name, &v));
	s->content_type = (enum tte_check)v;
	TRY(get_str(c, o, "digest_alg", where, 1, &s->digest_alg));
	TRY(get_str(c, o, "sig_alg", where, 1, &s->sig_alg));
	st = json_get(o, "signing_time");
	if (!json_is_null(st)) {
		TRY(time_of(c, st, where, "signing_time", &s->signing_time));
		s->has_signing_time = 1;
	}
	TRY(get_array(c, o, "chain", where, &arr));
	for (size_t i = 0; i < arr->n; i++) {
		struct tte_cert *cert = arena_alloc(c->a, sizeof(*cert));

		ENSURE(cert != NULL, TTE_E_NOMEM, c->d, "facts: certificate");
		where_fmt(sub, "%s.chain[%zu]", where, i);
		TRY(read_cert(c, arr->items[i], sub, cert));
		*tail = cert;
		tail = &cert->next;
	}
	TRY(get_enum(c, o, "chain_status", where, chain_name, &v));
	s->chain_status = (enum tte_chain)v;
	/* pki_chain.c sets "found" only for a chain that ends in its anchor,
	 * and the verdict names that anchor: anything else is not a line
	 * verify wrote. */
	if (s->chain_status == TTE_CHAIN_FOUND) {
		const struct tte_cert *top = s->chain;

		while (top != NULL && top->next != NULL)
			top = top->next;
		ENSURE(top != NULL && top->is_anchor, TTE_E_MALFORMED, c->d,
		       "facts: '%s.chain_status' is found, but the chain does "
		       "not end in an anchor certificate", where);
	}
	/* Only the top of a chain is ever its anchor: one below would stop
	 * the verdict's checks early (validity, revocation, algorithms). */
	for (const struct tte_cert *k = s->chain; k != NULL && k->next != NULL;
	     k = k->next)
		ENSURE(!k->is_anchor, TTE_E_MALFORMED, c->d,
		       "facts: '%s.chain' marks a certificate below its top as "
		       "the anchor", where);
	TRY(get_str(c, o, "chain_msg", where, 1, &s->chain_msg));
	ts = json_get(o, "timestamp");
	if (!json_is_null(ts)) {
		/* Recursion: one level of JSON nesting per level, so the JSON
		 * depth limit bounds it. */
		s->timestamp = arena_alloc(c->a, sizeof(*s->timestamp));
		ENSURE(s->timestamp != NULL, TTE_E_NOMEM, c->d,
		       "facts: timestamp");
		where_fmt(sub, "%s.timestamp", where);
		TRY(read_sig(c, ts, sub, s->timestamp));
		/* A signature timestamp is judged as one (its imprint). */
		ENSURE(s->timestamp->kind == TTE_KIND_TIMESTAMP,
		       TTE_E_MALFORMED, c->d, "facts: '%s' is not of kind "
		       "timestamp", sub);
	}
	TRY(get_time(c, o, "ts_time", where, &s->ts_time));
	TRY(get_enum(c, o, "imprint", where, check_name, &v));
	s->imprint = (enum tte_check)v;
	TRY(get_str(c, o, "imprint_msg", where, 1, &s->imprint_msg));
	TRY(get_notes(c, o, "notes", where, &s->notes));
	TRY(get_bool(c, o, "in_pdf", where, &s->in_pdf));
	TRY(get_str(c, o, "field_name", where, 1, &s->field_name));
	TRY(get_str(c, o, "sub_filter", where, 1, &s->sub_filter));
	TRY(get_int(c, o, "revision", where, LONG_MIN, LONG_MAX, &n));
	s->revision = (long)n;
	TRY(get_bool(c, o, "covers_whole_document", where,
		     &s->covers_whole_document));
	TRY(get_str(c, o, "byterange_error", where, 1, &s->byterange_error));
	TRY(get_int(c, o, "docmdp_p", where, INT_MIN, INT_MAX, &n));
	s->docmdp_p = (int)n;
	TRY(get_enum(c, o, "mods", where, mods_name, &v));
	s->mods = (enum tte_mods)v;
	TRY(get_notes(c, o, "changes", where, &s->changes));
	TRY(get_int(c, o, "annots_added", where, 0, INT_MAX, &n));
	s->annots_added = (int)n;
	TRY(get_str(c, o, "level", where, 1, &s->level));
	if (c->version >= 2)
		TRY(read_archive(c, o, where, s));
out:
	return rc;
}

static int
is_sha256_hex(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	}
	return n == 64;
}

/* see facts.h */
tte_err
facts_read_doc(const char *line, size_t len, struct tte_doc **out,
	       int64_t *validation_time, struct diag *d)
{
	const struct json *root = NULL, *v = NULL, *sigs = NULL;
	struct tte_doc *doc = NULL;
	struct rd_ctx c = {NULL, d, 0};
	struct arena tmp;
	const char *path = NULL, *sha = NULL;
	char sub[WHERE_MAX];
	int fmt = 0, stmt = 0;
	int64_t version = 0, at = 0;
	tte_err rc = TTE_OK;

	*out = NULL;
	arena_init(&tmp);
	ENSURE(len <= FACTS_MAX_LINE, TTE_E_TOO_BIG, d,
	       "facts: line of %zu bytes (limit %u)", len, FACTS_MAX_LINE);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	TRY(json_parse(line, len, &tmp, NULL, &root, d));
	ENSURE(root->type == JSON_OBJECT, TTE_E_MALFORMED, d,
	       "facts: the line is %s, not an object", a_type(root));
	/* The version first: a newer writer's fields are not "unknown". */
	v = json_get(root, "facts_version");
	ENSURE(v != NULL, TTE_E_MALFORMED, d,
	       "facts: 'facts_version' is missing (is this a facts line of "
	       "`tteaudit verify --format facts`?)");
	/* Version 1 lines (before archive timestamps) read as written: an
	 * engine that did not look for archive timestamps found none. */
	ENSURE(json_int(v, &version) == 0 && version >= 1 &&
		       version <= FACTS_VERSION,
	       TTE_E_UNSUPPORTED, d,
	       "facts: facts_version is not one this tteaudit reads (1 to "
	       "%d)", FACTS_VERSION);
	c.version = version;
	c.a = &tmp;
	TRY(check_fields(&c, root, doc_keys,
			 c.version >= 2 ? N_KEYS(doc_keys) : DOC_KEYS_V1,
			 "doc"));
	TRY(get_time(&c, root, "validation_time", "doc", &at));
	TRY(get_str(&c, root, "path", "doc", 0, &path));
	TRY(get_enum(&c, root, "format", "doc", format_name, &fmt));
	TRY(get_str(&c, root, "sha256", "doc", 1, &sha));
	ENSURE(sha == NULL || is_sha256_hex(sha), TTE_E_MALFORMED, d,
	       "facts: 'doc.sha256' is not 64 lowercase hex digits");
	TRY(get_enum(&c, root, "statement", "doc", statement_name, &stmt));
	TRY(get_array(&c, root, "signatures", "doc", &sigs));

	doc = tte_doc_new(path, (enum tte_format)fmt);
	ENSURE(doc != NULL, TTE_E_NOMEM, d, "facts: document");
	c.a = &doc->arena;
	if (sha != NULL)
		memcpy(doc->sha256, sha, sizeof(doc->sha256));
	doc->statement = (enum tte_statement)stmt;
	TRY(get_notes(&c, root, "errors", "doc", &doc->errors));
	TRY(get_str(&c, root, "stopped", "doc", 1, &doc->stopped));
	/* Version 1 did not say which wordings matched: NULL, which no
	 * policy's wordings equal (rescore then does not reuse the match). */
	if (c.version >= 2)
		TRY(get_str(&c, root, "statement_wordings", "doc", 1,
			    &doc->wordings_id));
	for (size_t i = 0; i < sigs->n; i++) {
		const struct json *so = sigs->items[i];
		struct tte_sig *s;
		int kind = 0;

		where_fmt(sub, "signatures[%zu]", i);
		/* The kind first: tte_doc_add_sig takes it. */
		TRY(check_fields(&c, so, sig_keys,
				 c.version >= 2 ? N_KEYS(sig_keys) :
						  SIG_KEYS_V1,
				 sub));
		TRY(get_enum(&c, so, "kind", sub, kind_name, &kind));
		s = tte_doc_add_sig(doc, (enum tte_sig_kind)kind);
		ENSURE(s != NULL, TTE_E_NOMEM, d, "facts: signature");
		TRY(read_sig(&c, so, sub, s));
	}
	*out = doc;
	*validation_time = at;
	doc = NULL;
out:
	tte_doc_free(doc);
	arena_release(&tmp);
	return rc;
}
