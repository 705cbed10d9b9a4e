/* out_text.c - the readable summary: one block per document. */
#include "../base/isotime.h"
#include "out.h"

static const char *
ind_label(enum tte_ind ind, enum out_lang lang)
{
	switch (ind) {
	case TTE_IND_TOTAL_PASSED:
		return lang == OUT_LANG_ID ? "TOTAL-PASSED (valid/sah)" :
					     "TOTAL-PASSED (valid)";
	case TTE_IND_TOTAL_FAILED:
		return lang == OUT_LANG_ID ? "TOTAL-FAILED (tidak valid)" :
					     "TOTAL-FAILED (invalid)";
	case TTE_IND_INDETERMINATE:
		return lang == OUT_LANG_ID ?
			       "INDETERMINATE (tidak dapat ditentukan)" :
			       "INDETERMINATE (cannot be decided)";
	}
	return "INDETERMINATE";
}

static void
verdict_line(FILE *f, enum tte_ind ind, enum tte_sub sub, enum out_lang lang)
{
	fputs(ind_label(ind, lang), f);
	if (tte_sub_name(sub) != NULL)
		fprintf(f, " / %s", tte_sub_name(sub));
	fputc('\n', f);
}

static void
notes(FILE *f, const char *indent, const char *bullet,
      const struct tte_notes *n)
{
	for (const struct tte_note *i = n->head; i != NULL; i = i->next)
		fprintf(f, "%s%s %s\n", indent, bullet, i->text);
}

/* see out.h */
void
out_text_doc(FILE *f, const struct tte_doc *doc, enum out_lang lang)
{
	char b1[ISOTIME_LEN];
	const int id = lang == OUT_LANG_ID;

	fprintf(f, "%s%s\n  %s: ", doc->path,
		doc->from_facts ? (id ? " (dari fakta tersimpan)" :
					" (from saved facts)") : "",
		id ? "hasil" : "verdict");
	verdict_line(f, doc->indication, doc->sub, lang);
	notes(f, "  ", "!", &doc->errors);
	if (doc->policy_name != NULL) {
		fprintf(f, "  %s: %s (%s '%s')\n",
			id ? "kepatuhan" : "compliance",
			doc->has_findings ?
				(id ? "ada temuan" : "findings") :
				(id ? "patuh" : "compliant"),
			id ? "kebijakan" : "policy", doc->policy_name);
		notes(f, "  ", "*", &doc->findings);
	}
	if (doc->statement != TTE_STMT_NA)
		fprintf(f, "  %s: %s\n", id ? "pernyataan BSrE" : "BSrE statement",
			tte_statement_name(doc->statement));
	for (const struct tte_sig *s = doc->sigs; s != NULL; s = s->next) {
		fprintf(f, "  %s %s: ", s->id,
			s->kind == TTE_KIND_DOC_TIMESTAMP ?
				(id ? "penanda waktu dokumen" :
				      "document timestamp") :
				(id ? "tanda tangan" : "signature"));
		verdict_line(f, s->indication, s->sub, lang);
		if (s->in_pdf) {
			fprintf(f, "     %s '%s', %s",
				id ? "ruas" : "field",
				s->field_name ? s->field_name : "?",
				s->sub_filter ? s->sub_filter : "?");
			if (s->revision >= 0)
				fprintf(f, ", %s %ld", id ? "revisi" : "revision",
					s->revision + 1);
			fprintf(f, "%s\n", s->covers_whole_document ?
					(id ? ", seluruh dokumen" :
					      ", whole document") : "");
			if (tte_mods_name(s->mods) != NULL)
				fprintf(f, "     %s: %s\n",
					id ? "perubahan sesudahnya" :
					     "changes after it",
					tte_mods_name(s->mods));
			notes(f, "       ", "~", &s->changes);
		}
		if (s->chain != NULL)
			fprintf(f, "     %s: %s\n",
				id ? "penanda tangan" : "signer",
				s->chain->subject);
		if (s->has_signing_time) {
			isotime_format(s->signing_time, b1);
			fprintf(f, "     %s: %s\n",
				id ? "waktu klaim" : "claimed signing time", b1);
		}
		if (s->timestamp != NULL) {
			const struct tte_sig *ts = s->timestamp;

			isotime_format(ts->ts_time, b1);
			fprintf(f, "     %s: %s, %s",
				id ? "penanda waktu" : "timestamp",
				ts->ts_time != 0 ? b1 : "?",
				tte_ind_name(ts->indication));
			if (tte_sub_name(ts->sub) != NULL)
				fprintf(f, "/%s", tte_sub_name(ts->sub));
			fprintf(f, " (TSA %s)\n",
				ts->chain != NULL ? ts->chain->subject : "?");
		}
		for (const struct tte_sig *ats = s->archive; ats != NULL;
		     ats = ats->next) {
			isotime_format(ats->ts_time, b1);
			fprintf(f, "     %s %s: %s, %s",
				id ? "penanda waktu arsip" : "archive timestamp",
				ats->id != NULL ? ats->id : "?",
				ats->ts_time != 0 ? b1 : "?",
				tte_ind_name(ats->indication));
			if (tte_sub_name(ats->sub) != NULL)
				fprintf(f, "/%s", tte_sub_name(ats->sub));
			fprintf(f, " (%s, TSA %s)\n",
				tte_ats_form_name(ats->ats_form),
				ats->chain != NULL ? ats->chain->subject : "?");
		}
		isotime_format(s->best_signature_time, b1);
		fprintf(f, "     %s: %s (%s)\n",
			id ? "waktu tanda tangan terbaik" : "best signature time",
			b1, s->best_signature_time_source);
		notes(f, "     ", "-", &s->reasons);
		notes(f, "     ", "·", &s->notes);
	}
}
