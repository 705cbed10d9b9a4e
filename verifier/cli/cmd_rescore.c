/*
 * cmd_rescore.c - `tteaudit rescore [options] FACTS.jsonl...`: judge the
 * facts that `tteaudit verify --format facts` saved again, under a policy
 * (and at a time) of the user's choice, without reading any document
 * (issue 5). Each line goes through the two passes verify runs after
 * verification: verdict_judge_doc with the policy's rules, then
 * policy_judge_doc; the result is printed as verify prints it.
 *
 * Trust is the new policy's to decide, from the facts: a chain whose
 * anchor certificate (is_anchor) is neither among the policy's anchors
 * (files and pins, policy->anchor_sha256) nor a --trust certificate
 * loses its anchor (TTE_CHAIN_NO_ANCHOR, with the reason). Rescoring can
 * only take trust away: a chain verify found no anchor for was never
 * checked up to one, so a new anchor needs a new `verify`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../policy/policy.h"
#include "../base/arena.h"
#include "../base/isotime.h"
#include "../facts.h"
#include "../pki/pki_fpr.h"
#include "../verdict.h"
#include "cli.h"
#include "out.h"

#define MAX_TRUST_OPTS 256 /* --trust given on one command line */

enum out_format { FMT_TEXT, FMT_JSON };

struct rescore {
	const struct policy *pol;
	struct pki_fpr *trust; /* --trust certificates (from `a`) */
	size_t n_trust;
	int has_at;
	int64_t at;
	enum out_format format;
	enum out_lang lang;
	int quiet;
	struct cli_tally t;  /* the lines read and judged */
	size_t n_bad_lines;  /* lines (or files) that could not be read */
};

static void
help(FILE *f)
{
	fputs(
"usage: tteaudit rescore [options] FACTS.jsonl...\n"
"\n"
"Judges again the facts saved by `tteaudit verify --format facts` (one\n"
"JSON line per document; - reads standard input), under a policy and at\n"
"a time of your choice, without reading any document, and prints one\n"
"result per document as verify does.\n"
"\n"
"  --policy FILE|NAME validation policy: a file, or a shipped one:\n"
"                     bsre-default (the default), crypto-only\n"
"  --trust PATH       trust anchors besides the policy's: a PEM/DER\n"
"                     certificate file or a folder of them (repeatable)\n"
"  --at TIME          validation time, ISO 8601 (default: the time each\n"
"                     document was verified at)\n"
"  --format FMT       text (default) or json (JSON Lines)\n"
"  --lang id|en       language of the text output labels (default: en)\n"
"  --strict           compliance findings count in the exit status\n"
"  -q                 print nothing but errors and the results\n"
"  -h, --help         this text\n"
"\n"
"Trust: a chain keeps its trust anchor only when that certificate is one\n"
"of the policy's anchors or a --trust certificate. Rescoring can take\n"
"trust away, never add it: a chain verified without an anchor needs a\n"
"new `tteaudit verify`. The statement was matched against the wordings\n"
"of the policy used by verify; its result is kept as it was.\n"
"\n"
"Exit status: 0 every document TOTAL-PASSED (and, with --strict, without\n"
"findings), 1 at least one not (a line that cannot be read counts as\n"
"not passed), 2 usage error or nothing could be read.\n", f);
}

/* Nonzero when the certificate with SHA-256 hex is an anchor now. */
static int
trusted(const struct rescore *r, const char *hex)
{
	if (hex == NULL)
		return 0;
	for (size_t i = 0; i < r->pol->n_anchor_sha256; i++) {
		if (strcasecmp(r->pol->anchor_sha256[i], hex) == 0)
			return 1;
	}
	for (size_t i = 0; i < r->n_trust; i++) {
		if (strcasecmp(r->trust[i].sha256, hex) == 0)
			return 1;
	}
	return 0;
}

/*
 * Takes the anchor away from s (and its timestamps, signature and
 * archive) when this policy does not trust it. A chain verify found
 * (TTE_CHAIN_FOUND) ends in its anchor; one without an anchor
 * certificate is not trusted either. Recursion: one level per level of
 * the facts line's JSON nesting, which its depth limit bounds.
 */
static void
retrust(const struct rescore *r, struct tte_sig *s, struct arena *a)
{
	for (; s != NULL; s = s->timestamp) {
		struct tte_cert *anchor = NULL;

		for (struct tte_sig *x = s->archive; x != NULL; x = x->next)
			retrust(r, x, a);
		if (s->chain_status != TTE_CHAIN_FOUND)
			continue;
		for (struct tte_cert *c = s->chain; c != NULL; c = c->next) {
			if (c->is_anchor)
				anchor = c;
		}
		if (anchor != NULL && trusted(r, anchor->sha256))
			continue;
		s->chain_status = TTE_CHAIN_NO_ANCHOR;
		if (anchor == NULL) {
			s->chain_msg = "the facts name no anchor certificate "
				       "for this chain";
			continue;
		}
		/* As verify reports a chain without an anchor. */
		anchor->is_anchor = 0;
		s->chain_msg = arena_printf(
			a, "the anchor '%s' (SHA-256 %s) is not among the "
			"anchors of the policy '%s'%s",
			anchor->subject != NULL ? anchor->subject : "",
			anchor->sha256 != NULL ? anchor->sha256 : "unknown",
			r->pol->name != NULL ? r->pol->name : "",
			r->n_trust > 0 ? " nor a --trust certificate" : "");
	}
}

/*
 * The statement was matched against the wordings verify's policy gave;
 * under other wordings that match says nothing (the page text is not
 * in the facts): the statement becomes unknown, which no policy
 * accepts, with the reason.
 */
static void
rematch_statement(const struct rescore *r, struct tte_doc *doc)
{
	char id[65];

	/* Only a signed document's statement is judged (and an error on
	 * an unsigned one would read as "unreadable"). */
	if (doc->sigs == NULL || (doc->statement != TTE_STMT_EXACT &&
				  doc->statement != TTE_STMT_VARIANT &&
				  doc->statement != TTE_STMT_MISSING))
		return;
	policy_wordings_id(r->pol, id);
	if (doc->wordings_id != NULL && strcmp(doc->wordings_id, id) == 0)
		return;
	doc->statement = TTE_STMT_UNKNOWN;
	tte_doc_error(doc, "the statement was matched against other "
		      "wordings than those of the policy '%s': verify the "
		      "document again to match it", r->pol->name);
}

/* One facts line: read, judge, print. Returns 0, or -1 when it could
 * not be read (the error is on stderr). */
static int
rescore_line(struct rescore *r, const char *name, size_t lineno,
	     const char *line, size_t len)
{
	struct tte_doc *doc = NULL;
	int64_t vt = 0;
	struct diag d;

	diag_clear(&d);
	if (facts_read_doc(line, len, &doc, &vt, &d) != TTE_OK) {
		fprintf(stderr, "tteaudit rescore: %s:%zu: %s\n", name, lineno,
			d.msg);
		return -1;
	}
	for (struct tte_sig *s = doc->sigs; s != NULL; s = s->next)
		retrust(r, s, &doc->arena);
	rematch_statement(r, doc);
	doc->from_facts = 1;
	verdict_judge_doc(doc, r->has_at ? r->at : vt, &r->pol->rules);
	policy_judge_doc(r->pol, doc);
	cli_tally_doc(&r->t, doc);
	if (r->format == FMT_JSON)
		out_json_doc(stdout, doc);
	else
		out_text_doc(stdout, doc, r->lang);
	fflush(stdout);
	tte_doc_free(doc);
	return 0;
}

static int
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return 1;
}

/*
 * Every line of f. A line over FACTS_MAX_LINE is skipped to its end and
 * reported; the buffer never grows past the limit.
 */
static void
rescore_file(struct rescore *r, const char *name, FILE *f)
{
	char *buf = NULL;
	size_t cap = 0, len = 0, lineno = 0;
	int c, too_long = 0;

	for (;;) {
		c = getc(f);
		if (c != EOF && c != '\n') {
			if (too_long)
				continue;
			if (len >= FACTS_MAX_LINE) {
				too_long = 1;
				continue;
			}
			if (len + 1 >= cap) {
				size_t ncap = cap == 0 ? 4096 : cap * 2;
				char *nb;

				if (ncap > (size_t)FACTS_MAX_LINE + 1)
					ncap = (size_t)FACTS_MAX_LINE + 1;
				nb = realloc(buf, ncap);
				if (nb == NULL) {
					fprintf(stderr, "tteaudit rescore: "
						"%s:%zu: out of memory\n", name,
						lineno + 1);
					r->n_bad_lines++;
					too_long = 2;
					continue;
				}
				buf = nb;
				cap = ncap;
			}
			buf[len++] = (char)c;
			continue;
		}
		if (c == EOF && len == 0 && !too_long)
			break;
		lineno++;
		if (too_long == 1) {
			fprintf(stderr, "tteaudit rescore: %s:%zu: facts: line "
				"longer than %u bytes\n", name, lineno,
				FACTS_MAX_LINE);
			r->n_bad_lines++;
		} else if (too_long == 0 && !is_blank(buf, len) &&
			   rescore_line(r, name, lineno, buf, len) != 0) {
			r->n_bad_lines++;
		}
		len = 0;
		too_long = 0;
		if (c == EOF)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "tteaudit rescore: %s: read error after line "
			"%zu\n", name, lineno);
		r->n_bad_lines++;
	}
	free(buf);
}

int
cmd_rescore(int argc, char **argv)
{
	enum { O_TRUST = 256, O_AT, O_FORMAT, O_LANG, O_POLICY, O_STRICT };
	static const struct option opts[] = {
		{"trust", required_argument, NULL, O_TRUST},
		{"at", required_argument, NULL, O_AT},
		{"format", required_argument, NULL, O_FORMAT},
		{"lang", required_argument, NULL, O_LANG},
		{"policy", required_argument, NULL, O_POLICY},
		{"strict", no_argument, NULL, O_STRICT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *trust[MAX_TRUST_OPTS];
	const char *policy_name = POLICY_DEFAULT_NAME;
	struct rescore r = {0};
	struct policy *pol = NULL;
	struct arena a;
	size_t n_trust = 0;
	struct diag d;
	int c, status = CLI_EXIT_USAGE;

	arena_init(&a);
	r.format = FMT_TEXT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		switch (c) {
		case O_TRUST:
			if (n_trust >= MAX_TRUST_OPTS) {
				fprintf(stderr, "tteaudit rescore: too many "
					"--trust options (limit %d)\n",
					MAX_TRUST_OPTS);
				goto out;
			}
			trust[n_trust++] = optarg;
			break;
		case O_AT:
			if (isotime_parse(optarg, &r.at) != 0) {
				fprintf(stderr, "tteaudit rescore: --at '%s' "
					"is not an ISO 8601 time with a zone "
					"(e.g. 2025-03-01T08:00:00Z)\n",
					optarg);
				goto out;
			}
			r.has_at = 1;
			break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0) {
				r.format = FMT_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				r.format = FMT_JSON;
			} else {
				fprintf(stderr, "tteaudit rescore: --format is "
					"text or json, not '%s'\n", optarg);
				goto out;
			}
			break;
		case O_LANG:
			if (cli_parse_lang("rescore", optarg, &r.lang) != 0)
				goto out;
			break;
		case O_POLICY:
			policy_name = optarg;
			break;
		case O_STRICT:
			r.t.strict = 1;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 'h':
			help(stdout);
			status = CLI_EXIT_OK;
			goto out;
		default:
			help(stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tteaudit rescore: no FACTS file given (- for "
			"standard input)\n");
		help(stderr);
		goto out;
	}
	diag_clear(&d);
	if (policy_load_named(policy_name, &pol, &d) != TTE_OK) {
		fprintf(stderr, "tteaudit rescore: policy: %s\n", d.msg);
		goto out;
	}
	r.pol = pol;
	for (size_t i = 0; i < n_trust; i++) {
		diag_clear(&d);
		if (pki_fpr_load(trust[i], &a, &r.trust, &r.n_trust, &d) !=
		    TTE_OK) {
			fprintf(stderr, "tteaudit rescore: --trust '%s': %s\n",
				trust[i], d.msg);
			goto out;
		}
	}
	if (pol->n_anchor_sha256 == 0 && r.n_trust == 0 && !r.quiet)
		fprintf(stderr, "tteaudit rescore: no trust anchors (the "
			"policy '%s' has none; give --trust): no chain keeps "
			"its anchor\n", pol->name);
	for (int i = optind; i < argc; i++) {
		const int is_stdin = strcmp(argv[i], "-") == 0;
		FILE *f = stdin;

		if (!is_stdin) {
			f = fopen(argv[i], "r");
			if (f == NULL) {
				fprintf(stderr, "tteaudit rescore: cannot open "
					"'%s'\n", argv[i]);
				r.n_bad_lines++;
				continue;
			}
		}
		rescore_file(&r, is_stdin ? "(stdin)" : argv[i], f);
		if (!is_stdin)
			fclose(f);
	}
	if (r.t.n_docs == 0 || r.t.n_unreadable == r.t.n_docs)
		status = CLI_EXIT_USAGE;
	else if (r.t.n_passed == r.t.n_docs && r.n_bad_lines == 0)
		status = CLI_EXIT_OK;
	else
		status = CLI_EXIT_NOT_OK;
	if (!r.quiet && r.format == FMT_TEXT) {
		cli_tally_print(&r.t, stderr);
		fprintf(stderr, "; %zu lines not read\n", r.n_bad_lines);
	}
out:
	policy_free(pol);
	arena_release(&a);
	return status;
}
