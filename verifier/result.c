#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const sub_names[] = {
	NULL,
#define SUB(name) #name,
#include "subind.def"
#undef SUB
};

/* see result.h */
const char *
tte_ind_name(enum tte_ind ind)
{
	switch (ind) {
	case TTE_IND_INDETERMINATE:
		return "INDETERMINATE";
	case TTE_IND_TOTAL_PASSED:
		return "TOTAL-PASSED";
	case TTE_IND_TOTAL_FAILED:
		return "TOTAL-FAILED";
	}
	return "INDETERMINATE";
}

/* see result.h */
const char *
tte_sub_name(enum tte_sub sub)
{
	if ((unsigned)sub >= TTE_SUB__COUNT)
		return NULL;
	return sub_names[sub];
}

/* see result.h */
const char *
tte_statement_name(enum tte_statement st)
{
	switch (st) {
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
	return "unknown";
}

/* see result.h */
const char *
tte_mods_name(enum tte_mods m)
{
	switch (m) {
	case TTE_MODS_NOT_DONE:
		return NULL;
	case TTE_MODS_NONE:
		return "none";
	case TTE_MODS_ALLOWED:
		return "allowed";
	case TTE_MODS_DISALLOWED:
		return "disallowed";
	}
	return NULL;
}

/* see result.h */
const char *
tte_ats_form_name(enum tte_ats_form f)
{
	switch (f) {
	case TTE_ATS_V3:
		return "archive-time-stamp-v3";
	case TTE_ATS_V3_OLD_INDEX:
		return "archive-time-stamp-v3 (ats-hash-index)";
	case TTE_ATS_V2:
		return "archive-time-stamp-v2";
	case TTE_ATS_V1:
		return "archive-time-stamp-v1";
	}
	return "archive-time-stamp";
}

/* see result.h */
struct tte_doc *
tte_doc_new(const char *path, enum tte_format format)
{
	struct tte_doc *doc = calloc(1, sizeof(*doc));

	if (doc == NULL)
		return NULL;
	arena_init(&doc->arena);
	doc->path = arena_strdup(&doc->arena, path);
	if (doc->path == NULL) {
		free(doc);
		return NULL;
	}
	doc->format = format;
	return doc;
}

/* see result.h */
void
tte_doc_free(struct tte_doc *doc)
{
	if (doc == NULL)
		return;
	arena_release(&doc->arena);
	free(doc);
}

/* see result.h */
struct tte_sig *
tte_doc_add_sig(struct tte_doc *doc, enum tte_sig_kind kind)
{
	struct tte_sig *s = arena_alloc(&doc->arena, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->kind = kind;
	doc->n_sigs++;
	s->id = arena_printf(&doc->arena, "S%zu", doc->n_sigs);
	if (doc->sigs_tail == NULL)
		doc->sigs = s;
	else
		doc->sigs_tail->next = s;
	doc->sigs_tail = s;
	return s;
}

/* The attribute lets clang's -Wformat=2 check callers instead of
 * refusing the vsnprintf below (gcc does not ask for it). */
static void notes_addv(struct tte_notes *n, struct arena *a, const char *fmt,
		       va_list ap) __attribute__((format(printf, 3, 0)));

static void
notes_addv(struct tte_notes *n, struct arena *a, const char *fmt, va_list ap)
{
	struct tte_note *note;
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	note = arena_alloc(a, sizeof(*note));
	if (note == NULL)
		return;
	note->text = arena_strdup(a, buf);
	if (note->text == NULL)
		return;
	if (n->tail == NULL)
		n->head = note;
	else
		n->tail->next = note;
	n->tail = note;
	n->count++;
}

/* see result.h */
void
tte_notes_add(struct tte_notes *n, struct arena *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	notes_addv(n, a, fmt, ap);
	va_end(ap);
}

/* see result.h */
void
tte_doc_error(struct tte_doc *doc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	notes_addv(&doc->errors, &doc->arena, fmt, ap);
	va_end(ap);
}

/* see result.h */
void
tte_cert_add_rev(struct tte_cert *c, struct tte_rev_ev *ev)
{
	struct tte_rev_ev **p = &c->rev_ev;

	while (*p != NULL)
		p = &(*p)->next;
	ev->next = NULL;
	*p = ev;
}

/* see result.h */
const char *
tte_ku_name(unsigned bit)
{
	static const char *const names[] = {
		"digitalSignature", "nonRepudiation", "keyEncipherment",
		"dataEncipherment", "keyAgreement",   "keyCertSign",
		"cRLSign",          "encipherOnly",   "decipherOnly",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (bit == 1U << i)
			return names[i];
	}
	return NULL;
}

/* see result.h */
const char *
tte_level_name(enum tte_level l)
{
	switch (l) {
	case TTE_LEVEL_IGNORE:
		return "IGNORE";
	case TTE_LEVEL_INFORM:
		return "INFORM";
	case TTE_LEVEL_WARN:
		return "WARN";
	case TTE_LEVEL_FAIL:
		return "FAIL";
	}
	return "IGNORE";
}

/* see result.h */
const char *
tte_cstatus_name(enum tte_cstatus st)
{
	switch (st) {
	case TTE_CST_PASSED:
		return "PASSED";
	case TTE_CST_FAILED:
		return "FAILED";
	case TTE_CST_SKIPPED:
		return "SKIPPED";
	}
	return "SKIPPED";
}

/* see result.h */
void
tte_constraint_add(struct tte_constraints *list, struct arena *a,
		   const char *id, enum tte_level level,
		   enum tte_cstatus status, const char *fmt, ...)
{
	struct tte_constraint *c;
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c = arena_alloc(a, sizeof(*c));
	if (c == NULL)
		return;
	c->id = arena_strdup(a, id);
	c->message = arena_strdup(a, buf);
	if (c->id == NULL || c->message == NULL)
		return;
	c->level = level;
	c->status = status;
	if (list->tail == NULL)
		list->head = c;
	else
		list->tail->next = c;
	list->tail = c;
	list->count++;
}

/* see result.h */
const char *
tte_kind_name(enum tte_sig_kind k)
{
	switch (k) {
	case TTE_KIND_SIGNATURE:
		return "signature";
	case TTE_KIND_TIMESTAMP:
		return "timestamp";
	case TTE_KIND_DOC_TIMESTAMP:
		return "doc-timestamp";
	case TTE_KIND_ARCHIVE_TIMESTAMP:
		return "archive-timestamp";
	}
	return "signature";
}

/* see result.h */
const char *
tte_check_name(enum tte_check c)
{
	switch (c) {
	case TTE_CHECK_NOT_DONE:
		return "not-done";
	case TTE_CHECK_OK:
		return "ok";
	case TTE_CHECK_FAILED:
		return "failed";
	}
	return "not-done";
}

/* see result.h */
const char *
tte_chain_name(enum tte_chain c)
{
	switch (c) {
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
	return "not-done";
}

/* see result.h */
const char *
tte_rev_status_name(enum tte_rev_status st)
{
	switch (st) {
	case TTE_RS_GOOD:
		return "good";
	case TTE_RS_REVOKED:
		return "revoked";
	case TTE_RS_UNKNOWN:
		return "unknown";
	case TTE_RS_INVALID:
		return "rejected";
	}
	return "rejected";
}
