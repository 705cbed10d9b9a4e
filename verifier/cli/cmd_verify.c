/*
 * cmd_verify.c - `tteaudit verify [options] PATH...`: verify files,
 * directories and zip archives and print one result per document.
 */
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../policy/policy.h"
#include "../base/isotime.h"
#include "../../reports/etsi_report.h"
#include "../facts.h"
#include "cli.h"
#include "out.h"

#define MAX_PATH_OPTS 256 /* --trust / --crl given on one command line */

enum out_format { FMT_TEXT, FMT_JSON, FMT_FACTS, FMT_ETSI };

struct run {
	enum out_format format;
	enum out_lang lang;
	int quiet;
	int progress;
	struct cli_tally t;
	int64_t at;           /* validation time, for the facts */
	struct etsi_report *etsi; /* FMT_ETSI: the run's one report */
};

static void
help(FILE *f)
{
	fputs(
"usage: tteaudit verify [options] PATH...\n"
"\n"
"Verifies every signed document in the files, directories and zip archives\n"
"given, and prints one result per document.\n"
"\n"
"  --trust PATH       trust anchors besides the policy's: a PEM/DER\n"
"                     certificate file or a folder of them (repeatable)\n"
"  --crl PATH         CRLs (PEM or DER), a file or a folder (repeatable);\n"
"                     OCSP responses are read from issue 4 on\n"
"  --at TIME          validation time, ISO 8601 (default: now)\n"
"  --format FMT       text (default), json (JSON Lines, results), facts\n"
"                     (JSON Lines of what was found, for `tteaudit\n"
"                     rescore`), etsi (one ETSI TS 119 102-2 XML report)\n"
"  --lang id|en       language of the text output labels (default: en)\n"
"  --policy FILE|NAME validation policy: a file, or a shipped one:\n"
"                     bsre-default (the default), crypto-only\n"
"  --strict           compliance findings count in the exit status\n"
"  -j N               worker threads: accepted; verification is sequential\n"
"                     until the performance issue\n"
"  --db FILE          audit ledger: used by `scan` (later issue)\n"
"  --doc-time-limit S   stop a document after S seconds (default 120):\n"
"                     it is then INDETERMINATE with the reason\n"
"  --doc-memory-limit M stop a document past M MiB (default 2048)\n"
"  -q                 print nothing but errors and the results\n"
"  --no-progress      no progress line on stderr\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 every document TOTAL-PASSED (and, with --strict, without\n"
"findings), 1 at least one not,\n"
"2 usage error or nothing could be read, 130/143 interrupted by SIGINT/\n"
"SIGTERM (every result line written is whole).\n", f);
}

/* Set by SIGINT/SIGTERM: the walk stops after the document in hand, so
 * every line written is whole (issue 6). */
static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* a write in progress completes */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
on_doc(const struct tte_doc *doc, void *arg)
{
	struct run *r = arg;

	cli_tally_doc(&r->t, doc);
	if (r->progress)
		fputs("\r\033[K", stderr);
	switch (r->format) {
	case FMT_JSON:
		out_json_doc(stdout, doc);
		break;
	case FMT_FACTS:
		facts_write_doc(stdout, doc, r->at);
		break;
	case FMT_ETSI:
		etsi_report_doc(r->etsi, doc);
		break;
	case FMT_TEXT:
		out_text_doc(stdout, doc, r->lang);
		break;
	}
	fflush(stdout);
	if (r->progress)
		fprintf(stderr, "%zu documents, %zu passed", r->t.n_docs,
			r->t.n_passed);
}

static int
add_path(const char **v, size_t *n, const char *p)
{
	if (*n >= MAX_PATH_OPTS) {
		fprintf(stderr, "tteaudit verify: too many --trust/--crl "
				"options (limit %d)\n", MAX_PATH_OPTS);
		return -1;
	}
	v[(*n)++] = p;
	return 0;
}

int
cmd_verify(int argc, char **argv)
{
	enum { O_TRUST = 256, O_CRL, O_AT, O_FORMAT, O_LANG, O_POLICY,
	       O_STRICT, O_DB, O_NO_PROGRESS, O_DOC_TIME, O_DOC_MEMORY };
	static const struct option opts[] = {
		{"trust", required_argument, NULL, O_TRUST},
		{"crl", required_argument, NULL, O_CRL},
		{"at", required_argument, NULL, O_AT},
		{"format", required_argument, NULL, O_FORMAT},
		{"lang", required_argument, NULL, O_LANG},
		{"policy", required_argument, NULL, O_POLICY},
		{"strict", no_argument, NULL, O_STRICT},
		{"db", required_argument, NULL, O_DB},
		{"no-progress", no_argument, NULL, O_NO_PROGRESS},
		{"doc-time-limit", required_argument, NULL, O_DOC_TIME},
		{"doc-memory-limit", required_argument, NULL, O_DOC_MEMORY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *trust[MAX_PATH_OPTS], *crl[MAX_PATH_OPTS];
	struct tte_config cfg = {0};
	struct run r = {0};
	struct tte_engine *e = NULL;
	struct policy *pol = NULL;
	const char *policy_name = POLICY_DEFAULT_NAME;
	struct diag d;
	int c, no_progress = 0, walked = 0, status;
	char *end;

	cfg.trust = trust;
	cfg.crl = crl;
	cfg.at = (int64_t)time(NULL);
	walk_opts_default(&cfg.walk);
	cfg.walk.stop = &stop_signal;
	cfg.doc_memory_limit = TTE_DOC_MEMORY_DEFAULT;
	cfg.doc_time_limit = TTE_DOC_TIME_DEFAULT;
	r.format = FMT_TEXT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hqj:", opts, NULL)) != -1) {
		switch (c) {
		case O_TRUST:
			if (add_path(trust, &cfg.n_trust, optarg) != 0)
				return CLI_EXIT_USAGE;
			break;
		case O_CRL:
			if (add_path(crl, &cfg.n_crl, optarg) != 0)
				return CLI_EXIT_USAGE;
			break;
		case O_AT:
			if (isotime_parse(optarg, &cfg.at) != 0) {
				fprintf(stderr, "tteaudit verify: --at '%s' is "
					"not an ISO 8601 time with a zone "
					"(e.g. 2025-03-01T08:00:00Z)\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case O_FORMAT:
			if (strcmp(optarg, "text") == 0) {
				r.format = FMT_TEXT;
			} else if (strcmp(optarg, "json") == 0) {
				r.format = FMT_JSON;
			} else if (strcmp(optarg, "facts") == 0) {
				r.format = FMT_FACTS;
			} else if (strcmp(optarg, "etsi") == 0) {
				r.format = FMT_ETSI;
			} else {
				fprintf(stderr, "tteaudit verify: unknown "
					"--format '%s'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case O_LANG:
			if (cli_parse_lang("verify", optarg, &r.lang) != 0)
				return CLI_EXIT_USAGE;
			break;
		case O_POLICY:
			policy_name = optarg;
			break;
		case O_STRICT:
			r.t.strict = 1;
			break;
		case O_DB:
			break;
		case O_NO_PROGRESS:
			no_progress = 1;
			break;
		case O_DOC_TIME:
			cfg.doc_time_limit = strtod(optarg, &end);
			if (*end != '\0' || !(cfg.doc_time_limit > 0)) {
				fprintf(stderr, "tteaudit verify: "
					"--doc-time-limit needs seconds > 0\n");
				return CLI_EXIT_USAGE;
			}
			break;
		case O_DOC_MEMORY: {
			long mib = strtol(optarg, &end, 10);

			if (*end != '\0' || mib < 1 || mib > (1L << 20)) {
				fprintf(stderr, "tteaudit verify: "
					"--doc-memory-limit needs MiB, 1 or "
					"more\n");
				return CLI_EXIT_USAGE;
			}
			cfg.doc_memory_limit = (size_t)mib << 20;
			break;
		}
		case 'j':
			if (strtol(optarg, &end, 10) < 1 || *end != '\0') {
				fprintf(stderr, "tteaudit verify: -j needs a "
					"positive number\n");
				return CLI_EXIT_USAGE;
			}
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 'h':
			help(stdout);
			return CLI_EXIT_OK;
		default:
			help(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tteaudit verify: no PATH given\n");
		help(stderr);
		return CLI_EXIT_USAGE;
	}
	r.progress = !no_progress && !r.quiet && isatty(STDERR_FILENO);
	r.at = cfg.at;

	diag_clear(&d);
	if (policy_load_named(policy_name, &pol, &d) != TTE_OK) {
		fprintf(stderr, "tteaudit verify: policy: %s\n", d.msg);
		return CLI_EXIT_USAGE;
	}
	cfg.policy = pol;
	diag_clear(&d);
	if (tte_engine_new(&cfg, &e, &d) != TTE_OK) {
		fprintf(stderr, "tteaudit verify: %s\n", d.msg);
		policy_free(pol);
		return CLI_EXIT_USAGE;
	}
	if (tte_engine_anchor_count(e) == 0 && !r.quiet)
		fprintf(stderr, "tteaudit verify: no trust anchors (the policy "
			"'%s' has none; give --trust): no chain can be "
			"validated\n", pol->name);
	if (r.format == FMT_ETSI) {
		r.etsi = etsi_report_begin(stdout, pol->name, cfg.at);
		if (r.etsi == NULL) {
			fprintf(stderr, "tteaudit verify: cannot start the ETSI "
				"report\n");
			tte_engine_free(e);
			policy_free(pol);
			return CLI_EXIT_USAGE;
		}
	}
	catch_signals();
	for (int i = optind; i < argc && !stop_signal; i++) {
		diag_clear(&d);
		if (tte_engine_verify_path(e, argv[i], on_doc, &r, &d) !=
		    TTE_OK) {
			if (r.progress)
				fputs("\r\033[K", stderr);
			fprintf(stderr, "tteaudit verify: %s\n", d.msg);
			continue;
		}
		walked++;
	}
	if (r.progress)
		fputs("\r\033[K", stderr);
	tte_engine_free(e);
	policy_free(pol);
	/* Closed on an interrupt too: the report stays well-formed XML. */
	if (r.etsi != NULL && etsi_report_end(r.etsi) != 0) {
		fprintf(stderr, "tteaudit verify: writing the ETSI report "
			"failed\n");
		return CLI_EXIT_USAGE;
	}
	if (stop_signal) {
		fprintf(stderr, "tteaudit verify: interrupted by signal %d "
			"after %zu documents: the results above are whole, the "
			"run is not\n", (int)stop_signal, r.t.n_docs);
		return 128 + (int)stop_signal; /* the shell's convention */
	}
	if (walked == 0 || r.t.n_docs == 0 || r.t.n_unreadable == r.t.n_docs)
		status = CLI_EXIT_USAGE;
	else if (r.t.n_passed == r.t.n_docs && walked == argc - optind)
		status = CLI_EXIT_OK;
	else
		status = CLI_EXIT_NOT_OK;
	if (!r.quiet && r.format == FMT_TEXT) {
		cli_tally_print(&r.t, stderr);
		fputc('\n', stderr);
	}
	return status;
}
