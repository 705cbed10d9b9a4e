/* out_json.c - the JSON Lines contract of DESIGN.md. */
#include <stdint.h>
#include <string.h>

#include "../base/isotime.h"
#include "out.h"

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629 §4). */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0; /* overlong */
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0; /* surrogates */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* see out.h */
void
out_json_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*s != '\0') {
		if (*s == '"' || *s == '\\') {
			fputc('\\', f);
			fputc(*s++, f);
		} else if (*s < 0x20) {
			fprintf(f, "\\u%04x", *s++);
		} else if ((n = utf8_len(s)) == 0) {
			fputs("\\ufffd", f);
			s++;
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
	fputc('"', f);
}

static void
key(FILE *f, const char *k, int *first)
{
	if (!*first)
		fputs(", ", f);
	*first = 0;
	out_json_str(f, k);
	fputs(": ", f);
}

static void
str_field(FILE *f, const char *k, const char *v, int *first)
{
	key(f, k, first);
	out_json_str(f, v);
}

static void
time_field(FILE *f, const char *k, int64_t t, int *first)
{
	char buf[ISOTIME_LEN];

	isotime_format(t, buf);
	str_field(f, k, buf, first);
}

static void
notes_field(FILE *f, const char *k, const struct tte_notes *n, int *first)
{
	key(f, k, first);
	fputc('[', f);
	for (const struct tte_note *i = n->head; i != NULL; i = i->next) {
		out_json_str(f, i->text);
		if (i->next != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
}

/* One revocation datum: what it says and when it was issued. */
static void
rev_obj(FILE *f, const struct tte_rev_ev *ev)
{
	int first = 1;

	fputc('{', f);
	str_field(f, "kind", ev->kind == TTE_REVK_OCSP ? "ocsp" : "crl", &first);
	str_field(f, "status", tte_rev_status_name(ev->status), &first);
	time_field(f, "issued", ev->issued, &first);
	if (ev->next_update != 0)
		time_field(f, "next_update", ev->next_update, &first);
	if (ev->produced != 0)
		time_field(f, "produced_at", ev->produced, &first);
	if (ev->status == TTE_RS_REVOKED) {
		time_field(f, "revoked_at", ev->revoked_at, &first);
		str_field(f, "reason", ev->reason, &first);
	}
	str_field(f, "source", ev->source, &first);
	if (ev->problem != NULL)
		str_field(f, "problem", ev->problem, &first);
	fputc('}', f);
}

static void
cert_obj(FILE *f, const struct tte_cert *c)
{
	int first = 1;

	fputc('{', f);
	str_field(f, "subject", c->subject, &first);
	str_field(f, "issuer", c->issuer, &first);
	str_field(f, "serial", c->serial, &first);
	str_field(f, "sha256", c->sha256, &first);
	time_field(f, "not_before", c->not_before, &first);
	time_field(f, "not_after", c->not_after, &first);
	key(f, "policy_oids", &first);
	fputc('[', f);
	for (size_t i = 0; i < c->n_policy_oids; i++) {
		out_json_str(f, c->policy_oids[i]);
		if (i + 1 < c->n_policy_oids)
			fputs(", ", f);
	}
	fputc(']', f);
	str_field(f, "organization", c->organization, &first);
	str_field(f, "unit", c->unit, &first);
	str_field(f, "key", c->key_type, &first);
	key(f, "key_bits", &first);
	fprintf(f, "%d", c->key_bits);
	key(f, "revocation", &first);
	fputc('[', f);
	for (const struct tte_rev_ev *ev = c->rev_ev; ev != NULL; ev = ev->next) {
		rev_obj(f, ev);
		if (ev->next != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
	fputc('}', f);
}

/* The level a CMS signature reaches (ETSI EN 319 122-1 baseline): an
 * archive timestamp that passed makes it B-LTA, as a document timestamp
 * makes a PDF signature PAdES-B-LTA (structural: the revocation data it
 * archives is weighed by the verdict, not here). */
static const char *
level(const struct tte_sig *s)
{
	if (s->ess != TTE_CHECK_OK)
		return "CMS";
	for (const struct tte_sig *x = s->archive; x != NULL; x = x->next) {
		if (x->indication == TTE_IND_TOTAL_PASSED)
			return "CAdES-B-LTA";
	}
	if (s->timestamp != NULL &&
	    s->timestamp->indication == TTE_IND_TOTAL_PASSED)
		return "CAdES-B-T";
	return "CAdES-B-B";
}

/* The facts behind the verdict, one word each, so that scripts can tell
 * "altered" from "untrusted" without parsing reasons. */
static void
checks_obj(FILE *f, const struct tte_sig *s)
{
	int first = 1;

	fputc('{', f);
	str_field(f, "format", s->format_error ? "failed" : "ok", &first);
	str_field(f, "content_found", s->content_missing ? "failed" : "ok",
		  &first);
	str_field(f, "digest", tte_check_name(s->hash), &first);
	str_field(f, "signature_value", tte_check_name(s->signature), &first);
	str_field(f, "signer_certificate", tte_check_name(s->signer_found),
		  &first);
	str_field(f, "signing_certificate_attribute", tte_check_name(s->ess),
		  &first);
	str_field(f, "content_type", tte_check_name(s->content_type), &first);
	if (s->kind == TTE_KIND_TIMESTAMP ||
	    s->kind == TTE_KIND_ARCHIVE_TIMESTAMP)
		str_field(f, "message_imprint", tte_check_name(s->imprint), &first);
	if (s->kind == TTE_KIND_ARCHIVE_TIMESTAMP &&
	    (s->ats_form == TTE_ATS_V3 || s->ats_form == TTE_ATS_V3_OLD_INDEX))
		str_field(f, "hash_index", tte_check_name(s->hash_index), &first);
	str_field(f, "chain", tte_chain_name(s->chain_status), &first);
	fputc('}', f);
}

/* Constraint outcomes: [{"id", "level", "status", "message"}...]. */
static void
constraints_arr(FILE *f, const struct tte_constraints *list)
{
	fputc('[', f);
	for (const struct tte_constraint *c = list->head; c != NULL;
	     c = c->next) {
		int cf = 1;

		fputc('{', f);
		str_field(f, "id", c->id, &cf);
		str_field(f, "level", tte_level_name(c->level), &cf);
		str_field(f, "status", tte_cstatus_name(c->status), &cf);
		str_field(f, "message", c->message, &cf);
		fputc('}', f);
		if (c->next != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
}

/* "archive_timestamps": [{"id", "form", "time", "tsa", "indication",
 * "subindication", "reasons", "notes", "checks", "covers":
 * {"signature_timestamp": BOOL, "archive_timestamps": [ID...]}}...] */
static void
archive_arr(FILE *f, const struct tte_sig *s, int *first)
{
	key(f, "archive_timestamps", first);
	fputc('[', f);
	for (const struct tte_sig *x = s->archive; x != NULL; x = x->next) {
		int af = 1, cf = 1, i = 0, any = 0;

		fputc('{', f);
		str_field(f, "id", x->id, &af);
		str_field(f, "form", tte_ats_form_name(x->ats_form), &af);
		if (x->ts_time != 0)
			time_field(f, "time", x->ts_time, &af);
		else
			str_field(f, "time", NULL, &af);
		str_field(f, "tsa", x->chain ? x->chain->subject : NULL, &af);
		str_field(f, "indication", tte_ind_name(x->indication), &af);
		str_field(f, "subindication", tte_sub_name(x->sub), &af);
		notes_field(f, "reasons", &x->reasons, &af);
		notes_field(f, "notes", &x->notes, &af);
		key(f, "checks", &af);
		checks_obj(f, x);
		key(f, "covers", &af);
		fputc('{', f);
		key(f, "signature_timestamp", &cf);
		fputs(x->covers & TTE_COVERS_TS ? "true" : "false", f);
		key(f, "archive_timestamps", &cf);
		fputc('[', f);
		for (const struct tte_sig *y = s->archive; y != NULL;
		     y = y->next, i++) {
			if (i >= TTE_ATS_MAX ||
			    !(x->covers & TTE_COVERS_ATS(i)))
				continue;
			if (any++)
				fputs(", ", f);
			out_json_str(f, y->id);
		}
		fputs("]}", f);
		fputc('}', f);
		if (x->next != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
}

static void
sig_obj(FILE *f, const struct tte_sig *s)
{
	int first = 1;

	fputc('{', f);
	str_field(f, "id", s->id, &first);
	str_field(f, "kind", tte_kind_name(s->kind), &first);
	str_field(f, "indication", tte_ind_name(s->indication), &first);
	str_field(f, "subindication", tte_sub_name(s->sub), &first);
	notes_field(f, "reasons", &s->reasons, &first);
	notes_field(f, "notes", &s->notes, &first);
	key(f, "checks", &first);
	checks_obj(f, s);
	if (s->level != NULL)
		str_field(f, "level", s->level, &first);
	else if (s->kind == TTE_KIND_SIGNATURE)
		str_field(f, "level", level(s), &first);
	if (s->in_pdf) {
		str_field(f, "field", s->field_name, &first);
		str_field(f, "sub_filter", s->sub_filter, &first);
		key(f, "revision", &first);
		if (s->revision >= 0)
			fprintf(f, "%ld", s->revision + 1);
		else
			fputs("null", f);
		key(f, "covers_whole_document", &first);
		fputs(s->covers_whole_document ? "true" : "false", f);
		str_field(f, "modifications_after", tte_mods_name(s->mods),
			  &first);
		notes_field(f, "changes_after", &s->changes, &first);
		if (s->docmdp_p != 0) {
			key(f, "docmdp_p", &first);
			fprintf(f, "%d", s->docmdp_p);
		}
	}
	str_field(f, "digest_algorithm", s->digest_alg, &first);
	str_field(f, "signature_algorithm", s->sig_alg, &first);
	if (s->has_signing_time)
		time_field(f, "signing_time", s->signing_time, &first);
	else
		str_field(f, "signing_time", NULL, &first);
	time_field(f, "best_signature_time", s->best_signature_time, &first);
	str_field(f, "best_signature_time_source",
		  s->best_signature_time_source, &first);
	if (s->timestamp != NULL) {
		const struct tte_sig *ts = s->timestamp;
		int tf = 1;

		key(f, "timestamp", &first);
		fputc('{', f);
		if (ts->ts_time != 0)
			time_field(f, "time", ts->ts_time, &tf);
		else
			str_field(f, "time", NULL, &tf);
		str_field(f, "tsa", ts->chain ? ts->chain->subject : NULL, &tf);
		str_field(f, "indication", tte_ind_name(ts->indication), &tf);
		str_field(f, "subindication", tte_sub_name(ts->sub), &tf);
		notes_field(f, "reasons", &ts->reasons, &tf);
		key(f, "checks", &tf);
		checks_obj(f, ts);
		key(f, "constraints", &tf);
		constraints_arr(f, &ts->constraints);
		fputc('}', f);
	} else {
		str_field(f, "timestamp", NULL, &first);
	}
	if (s->kind == TTE_KIND_SIGNATURE)
		archive_arr(f, s, &first);
	key(f, "signer", &first);
	if (s->chain != NULL)
		cert_obj(f, s->chain);
	else
		fputs("null", f);
	key(f, "chain", &first);
	fputc('[', f);
	for (const struct tte_cert *c = s->chain; c != NULL; c = c->next) {
		out_json_str(f, c->subject);
		if (c->next != NULL)
			fputs(", ", f);
	}
	fputc(']', f);
	key(f, "constraints", &first);
	constraints_arr(f, &s->constraints);
	fputc('}', f);
}

/* see out.h */
void
out_json_doc(FILE *f, const struct tte_doc *doc)
{
	int first = 1;

	fputc('{', f);
	str_field(f, "path", doc->path, &first);
	str_field(f, "format", sniff_format_name(doc->format), &first);
	str_field(f, "sha256", doc->sha256[0] ? doc->sha256 : NULL, &first);
	str_field(f, "indication", tte_ind_name(doc->indication), &first);
	str_field(f, "subindication", tte_sub_name(doc->sub), &first);
	notes_field(f, "errors", &doc->errors, &first);
	/* Rescored results say so: their facts are only as good as the
	 * file they came from. */
	str_field(f, "source", doc->from_facts ? "facts" : "document", &first);
	str_field(f, "policy", doc->policy_name, &first);
	str_field(f, "compliance", doc->has_findings ? "findings" : "compliant",
		  &first);
	notes_field(f, "findings", &doc->findings, &first);
	key(f, "constraints", &first);
	constraints_arr(f, &doc->constraints);
	str_field(f, "statement", tte_statement_name(doc->statement), &first);
	key(f, "signatures", &first);
	fputc('[', f);
	for (const struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		sig_obj(f, s);
		if (s->next != NULL)
			fputs(", ", f);
	}
	fputs("]}\n", f);
}
