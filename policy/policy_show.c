/*
 * policy_show.c - the effective rules of a loaded policy, in English, one
 * line per constraint (`tteaudit policy show`). What the file left out is
 * said too: "not checked", or "built-in" for the two constraints that
 * fail safe when absent.
 */
#include "policy.h"

#include <string.h>

#include "../verifier/base/isotime.h"

#define ID_WIDTH 36 /* "document.annotations-after-signing" and a space */

static const char *
sig_level_name(enum pol_sig_level l)
{
	switch (l) {
	case POL_LEVEL_NONE:
		return "none";
	case POL_LEVEL_B_B:
		return "B-B";
	case POL_LEVEL_B_T:
		return "B-T";
	case POL_LEVEL_B_LT:
		return "B-LT";
	case POL_LEVEL_B_LTA:
		return "B-LTA";
	}
	return "?";
}

/* The start of a constraint's line: id and level. */
static void
head(FILE *out, const char *id, enum tte_level level)
{
	fprintf(out, "  %-*s %-7s", ID_WIDTH - 1, id, tte_level_name(level));
}

/* A constraint the file does not set: nothing is checked. */
static int
absent(FILE *out, const char *id, const struct pol_level *pl)
{
	if (pl->set)
		return 0;
	head(out, id, TTE_LEVEL_IGNORE);
	fputs("not checked (not in the policy)\n", out);
	return 1;
}

static void
list(FILE *out, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : "", v[i]);
}

/* t in ISO 8601 UTC, only the date when it is midnight. */
static void
when(int64_t t, char out[ISOTIME_LEN])
{
	isotime_format(t, out);
	if (strcmp(out + 10, "T00:00:00Z") == 0)
		out[10] = '\0';
}

static void
algo_list(FILE *out, const struct tte_algo_rule *v, size_t n)
{
	char at[ISOTIME_LEN];

	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s%s", i > 0 ? ", " : "", v[i].name);
		if (v[i].min_bits > 0)
			fprintf(out, " >= %d bits", v[i].min_bits);
		if (v[i].until != 0) {
			when(v[i].until, at);
			fprintf(out, " until %s", at);
		}
	}
}

static void
show_anchors(const struct policy *p, FILE *out)
{
	size_t k = 0;

	if (p->n_anchor_sha256 == 0) {
		fputs("anchors:     none (give --trust)\n", out);
		return;
	}
	fprintf(out, "anchors:     %zu\n", p->n_anchor_sha256);
	for (size_t f = 0; f < p->n_anchor_files; f++) {
		fprintf(out, "  file %s\n", p->anchor_files[f]);
		for (size_t i = 0; i < p->anchor_file_n_certs[f]; i++, k++) {
			fprintf(out, "    subject %s\n", p->anchor_subjects[k]);
			fprintf(out, "    sha256  %s\n", p->anchor_sha256[k]);
		}
	}
	for (size_t i = 0; i < p->n_anchor_pins; i++) {
		fprintf(out, "  pin  %s\n",
			p->anchor_pin_names[i][0] != '\0'
				? p->anchor_pin_names[i]
				: "(no name)");
		fprintf(out, "    sha256  %s\n", p->anchor_pins[i]);
	}
}

static void
show_crypto(const struct policy *p, FILE *out)
{
	const struct tte_rules *r = &p->rules;

	head(out, "crypto.algorithms", r->crypto_level);
	fprintf(out, "%sdigests: ", p->algorithms_builtin ? "(built-in) " : "");
	algo_list(out, r->digests, r->n_digests);
	fputs("; keys: ", out);
	algo_list(out, r->keys, r->n_keys);
	fputs("\n", out);

	head(out, "revocation.fresh", r->revocation_level);
	fprintf(out, "%severy certificate below the anchor has revocation "
		"data fresh at the best signature time", p->revocation_builtin
		? "(built-in) " : "");
	if (r->revocation_max_age > 0)
		fprintf(out, ", at most %lld days old",
			(long long)(r->revocation_max_age / 86400));
	else
		fputs(" (before its nextUpdate)", out);
	fputs("\n", out);
}

static void
show_signer(const struct policy *p, FILE *out)
{
	if (!absent(out, "signer.policy-oids", &p->policy_oids)) {
		head(out, "signer.policy-oids", p->policy_oids.level);
		fputs("one of: ", out);
		list(out, p->oids, p->n_oids);
		fputs("\n", out);
	}
	if (!absent(out, "signer.key-usage", &p->key_usage)) {
		const char *sep = "";

		head(out, "signer.key-usage", p->key_usage.level);
		fputs("all of: ", out);
		for (unsigned b = 1; b != 0 && tte_ku_name(b) != NULL; b <<= 1) {
			if (p->key_usage_bits & b) {
				fprintf(out, "%s%s", sep, tte_ku_name(b));
				sep = ", ";
			}
		}
		fputs("\n", out);
	}
	if (!absent(out, "signer.ext-key-usage", &p->ext_key_usage)) {
		head(out, "signer.ext-key-usage", p->ext_key_usage.level);
		fputs("one of: ", out);
		list(out, p->eku_oids, p->n_eku_oids);
		fputs("\n", out);
	}
	if (!absent(out, "signer.subject", &p->subject)) {
		head(out, "signer.subject", p->subject.level);
		for (size_t i = 0; i < p->n_subject_rules; i++) {
			const struct pol_subject_rule *r = &p->subject_rules[i];

			fprintf(out, "%s%s one of: ", i > 0 ? "; " : "",
				r->attribute);
			for (size_t j = 0; j < r->n_values; j++)
				fprintf(out, "%s\"%s\"", j > 0 ? ", " : "",
					r->values[j]);
		}
		fputs("\n", out);
	}
	if (!absent(out, "signature.level", &p->sig_level)) {
		head(out, "signature.level", p->sig_level.level);
		fprintf(out, "at least %s\n", sig_level_name(p->min_level));
	}
}

static void
show_agreement(const struct policy *p, FILE *out)
{
	char from[ISOTIME_LEN], to[ISOTIME_LEN];

	if (!absent(out, "agreement.window", &p->window)) {
		when(p->window_start, from);
		when(p->window_end, to);
		head(out, "agreement.window", p->window.level);
		fprintf(out, "signed from %s to before %s (%d years", from, to,
			p->window_years);
		if (p->window_extension_years > 0)
			fprintf(out, " + %d extension",
				p->window_extension_years);
		fputs(")\n", out);
	}
	if (!absent(out, "agreement.statement", &p->statement)) {
		head(out, "agreement.statement", p->statement.level);
		fprintf(out, "a signed PDF shows the exact wording or one of "
			"%zu variants\n", p->n_statement_variants);
		fprintf(out, "      exact:   \"%s\"\n",
			p->statement_exact != NULL ? p->statement_exact : "");
		for (size_t i = 0; i < p->n_statement_variants; i++)
			fprintf(out, "      variant: \"%s\"\n",
				p->statement_variants[i]);
		fprintf(out, "      %s\n", p->statement_clause_rule ?
			"and any sentence \"...ditandatangani secara "
			"elektronik menggunakan sertifikat elektronik yang "
			"diterbitkan oleh\" BSrE/BSSN (clauseRule)" :
			"nothing else (clauseRule=\"false\")");
	}
	if (!absent(out, "agreement.timestamp-gap", &p->timestamp_gap)) {
		head(out, "agreement.timestamp-gap", p->timestamp_gap.level);
		fprintf(out, "claimed signing time within %lld minutes of the "
			"signature timestamp\n", (long long)(p->max_gap / 60));
	}
}

static void
show_document(const struct policy *p, FILE *out)
{
	if (!absent(out, "document.signed", &p->unsigned_doc)) {
		head(out, "document.signed", p->unsigned_doc.level);
		fputs("a document holds at least one signature\n", out);
	}
	if (!absent(out, "document.annotations-after-signing",
		    &p->later_annotations)) {
		head(out, "document.annotations-after-signing",
		     p->later_annotations.level);
		fputs("no annotation added after an approval signature\n",
		      out);
	}
}

/* see policy.h */
void
policy_show(const struct policy *p, FILE *out)
{
	fprintf(out, "policy:      %s\n", p->name != NULL ? p->name : "");
	if (p->path != NULL)
		fprintf(out, "file:        %s\n", p->path);
	if (p->description != NULL && p->description[0] != '\0')
		fprintf(out, "description: %s\n", p->description);
	show_anchors(p, out);
	fputs("constraints:\n", out);
	show_crypto(p, out);
	show_signer(p, out);
	show_agreement(p, out);
	show_document(p, out);
}
