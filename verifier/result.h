/*
 * result.h - the verdict model shared by everything.
 *
 * Two layers, kept apart (issue 5: facts apart from judgement):
 *  - facts: what verification found, independent of time and policy
 *    (did the digest match, which certificates, when was one revoked);
 *  - verdict: the ETSI EN 319 102-1 indication, sub-indication and reasons
 *    that verdict.c derives from the facts at a validation time.
 * Everything here lives in the document's arena (struct tte_doc.arena) and
 * is freed with it. Every struct starts zeroed, and zero means "not done":
 * a result starts INDETERMINATE and only verdict.c may set TOTAL-PASSED.
 */
#ifndef TTE_RESULT_H
#define TTE_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "walk/sniff.h"

enum tte_ind {
	TTE_IND_INDETERMINATE = 0, /* the zero value: fail closed */
	TTE_IND_TOTAL_PASSED,
	TTE_IND_TOTAL_FAILED,
};

enum tte_sub {
	TTE_SUB_NONE = 0,
#define SUB(name) TTE_SUB_##name,
#include "subind.def"
#undef SUB
	TTE_SUB__COUNT
};

/* The outcome of one check among the facts. */
enum tte_check {
	TTE_CHECK_NOT_DONE = 0,
	TTE_CHECK_OK,
	TTE_CHECK_FAILED,
};

/* A list of plain-word messages, kept in order. */
struct tte_note {
	struct tte_note *next;
	const char *text;
};

struct tte_notes {
	struct tte_note *head;
	struct tte_note *tail;
	size_t count;
};

/* One piece of revocation data about one certificate (issue 4). The
 * verdict weighs each against the best signature time: whether it was
 * fresh then, and whether it says the certificate was revoked before. */
enum tte_rev_kind {
	TTE_REVK_CRL = 0,
	TTE_REVK_OCSP,
};

enum tte_rev_status {
	TTE_RS_GOOD = 0,  /* covers the certificate, does not revoke it */
	TTE_RS_REVOKED,   /* revoked (or on hold) since revoked_at */
	TTE_RS_UNKNOWN,   /* OCSP "unknown": the responder does not know */
	TTE_RS_INVALID,   /* the data failed a check: problem says which */
};

struct tte_rev_ev {
	struct tte_rev_ev *next;
	enum tte_rev_kind kind;
	enum tte_rev_status status;
	int64_t issued;      /* CRL thisUpdate; OCSP thisUpdate */
	int64_t produced;    /* OCSP producedAt; 0 for a CRL */
	int64_t next_update; /* 0 when absent */
	int64_t revoked_at;  /* for TTE_RS_REVOKED */
	const char *reason;  /* reason code name, or NULL */
	int hold;            /* certificateHold: suspended, not final */
	unsigned reasons;    /* a CRL for some reasons only (RFC 5280
				ReasonFlags bits 1-8); 0 for all reasons */
	const char *source;  /* plain words: which CRL or responder */
	const char *problem; /* for TTE_RS_INVALID */
};

/* keyUsage bits (RFC 5280 §4.2.1.3), as struct tte_cert.key_usage. */
enum tte_ku {
	TTE_KU_DIGITAL_SIGNATURE = 1 << 0,
	TTE_KU_NON_REPUDIATION = 1 << 1, /* contentCommitment */
	TTE_KU_KEY_ENCIPHERMENT = 1 << 2,
	TTE_KU_DATA_ENCIPHERMENT = 1 << 3,
	TTE_KU_KEY_AGREEMENT = 1 << 4,
	TTE_KU_KEY_CERT_SIGN = 1 << 5,
	TTE_KU_CRL_SIGN = 1 << 6,
	TTE_KU_ENCIPHER_ONLY = 1 << 7,
	TTE_KU_DECIPHER_ONLY = 1 << 8,
};

/* The name of one keyUsage bit ("digitalSignature", ...), NULL if none. */
const char *tte_ku_name(unsigned bit);

struct tte_cert {
	struct tte_cert *next; /* toward the anchor in a chain */
	const char *subject, *issuer; /* RFC 2253 */
	const char *serial;           /* hex */
	const char *sha256;           /* of the DER, hex */
	const char *organization, *unit;
	const char **policy_oids;
	size_t n_policy_oids;
	int64_t not_before, not_after;
	const char *key_type; /* "RSA", "EC", ... */
	int key_bits;
	const char *sig_alg;  /* the certificate's own signature algorithm */
	int is_anchor;
	int ku_allows_signing;  /* keyUsage absent, digitalSignature or nR */
	int has_key_usage;      /* the keyUsage extension is present */
	unsigned key_usage;     /* its bits (enum tte_ku) */
	const char **eku_oids;  /* extKeyUsage purposes, dotted */
	size_t n_eku_oids;
	const char *sig_digest; /* digest of its own signature, "SHA256"
				   (NULL: none or unknown, e.g. EdDSA) */
	int eku_timestamping;   /* id-kp-timeStamping present */
	int eku_critical;       /* the extKeyUsage extension is critical */
	struct tte_rev_ev *rev_ev; /* every revocation datum found (none is
				      looked up for an anchor) */
};

/* Appends ev to c's evidence list (ev from the same arena). */
void tte_cert_add_rev(struct tte_cert *c, struct tte_rev_ev *ev);

enum tte_chain {
	TTE_CHAIN_NOT_DONE = 0,
	TTE_CHAIN_FOUND,         /* signer to a trust anchor */
	TTE_CHAIN_NO_ANCHOR,     /* no path to any trust anchor */
	TTE_CHAIN_BROKEN,        /* a certificate signature does not verify */
	TTE_CHAIN_CONSTRAINTS,   /* basicConstraints, path length, ... */
};

/* What later revisions of a PDF changed after a signature (issue 3). */
enum tte_mods {
	TTE_MODS_NOT_DONE = 0, /* not analysed: never passes in a PDF */
	TTE_MODS_NONE,
	TTE_MODS_ALLOWED,
	TTE_MODS_DISALLOWED,
};

/* The agreement's statement in a PDF's text (DOMAIN.md). */
enum tte_statement {
	TTE_STMT_NA = 0, /* not a PDF */
	TTE_STMT_EXACT,
	TTE_STMT_VARIANT,
	TTE_STMT_MISSING,
	TTE_STMT_NO_TEXT,
	TTE_STMT_UNKNOWN, /* the text could not be extracted */
};

/*
 * The policy's judgement of one constraint (policy/, verdict.c). The
 * level says what a failure does: FAIL changes the ETSI verdict, WARN
 * makes a compliance finding, INFORM is only reported; IGNORE is never
 * recorded.
 */
enum tte_level {
	TTE_LEVEL_IGNORE = 0,
	TTE_LEVEL_INFORM,
	TTE_LEVEL_WARN,
	TTE_LEVEL_FAIL,
};

enum tte_cstatus {
	TTE_CST_PASSED = 0,
	TTE_CST_FAILED,
	TTE_CST_SKIPPED, /* the facts it needs are missing (message: why) */
};

struct tte_constraint {
	struct tte_constraint *next;
	const char *id;      /* stable, e.g. "signer.policy-oids" */
	enum tte_level level;
	enum tte_cstatus status;
	const char *message; /* plain words, always set */
};

struct tte_constraints {
	struct tte_constraint *head;
	struct tte_constraint *tail;
	size_t count;
};

/* "FAIL", "WARN", "INFORM", "IGNORE"; "PASSED", "FAILED", "SKIPPED". */
const char *tte_level_name(enum tte_level l);
const char *tte_cstatus_name(enum tte_cstatus st);

/* Appends an outcome to list (memory from a; out of memory drops it:
 * callers decide the verdict from the outcome, not from the list). */
void tte_constraint_add(struct tte_constraints *list, struct arena *a,
			const char *id, enum tte_level level,
			enum tte_cstatus status, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

enum tte_sig_kind {
	TTE_KIND_SIGNATURE = 0,
	TTE_KIND_TIMESTAMP,     /* RFC 3161 signature timestamp */
	TTE_KIND_DOC_TIMESTAMP, /* PDF document timestamp */
	TTE_KIND_ARCHIVE_TIMESTAMP, /* CAdES archive timestamp (struct
				       tte_sig.archive) */
};

/*
 * Which CAdES archive timestamp attribute, and so how its message imprint
 * is computed (cms_ats.h).
 */
enum tte_ats_form {
	TTE_ATS_V3 = 0,       /* archive-time-stamp-v3 (0.4.0.1733.2.4) with
				 ats-hash-index-v3 (0.4.0.19122.1.5),
				 ETSI EN 319 122-1 §5.5.2-5.5.3 */
	TTE_ATS_V3_OLD_INDEX, /* archive-time-stamp-v3 with the older
				 ats-hash-index (0.4.0.1733.2.5), ETSI TS
				 101 733 v2.2.1 §6.4.3 */
	TTE_ATS_V2,           /* id-aa-ets-archiveTimestampV2
				 (1.2.840.113549.1.9.16.2.48), ETSI TS 101
				 733 v2.2.1 §6.4.1 and Annex K */
	TTE_ATS_V1,           /* id-aa-ets-archiveTimeStamp
				 (1.2.840.113549.1.9.16.2.27), TS 101 733
				 v1: recognised, never verified */
};

/* The most archive timestamps kept per signature (cms_ats.h: more are
 * noted and not verified); struct tte_sig.covers has a bit for each. */
#define TTE_ATS_MAX 16

/* struct tte_sig.covers: the signature timestamp, and the i-th archive
 * timestamp of the same signature (0-based, in its archive list). */
#define TTE_COVERS_TS 1u
#define TTE_COVERS_ATS(i) (2u << (i))

struct tte_sig {
	struct tte_sig *next;
	const char *id;
	enum tte_sig_kind kind;

	/* ---- facts ---- */
	const char *format_error; /* set: the structure could not be read */
	int content_missing;      /* detached content not found */
	enum tte_check hash;      /* messageDigest (or imprint) matches */
	const char *hash_msg;
	enum tte_check signature; /* signature value verifies */
	const char *signature_msg;
	enum tte_check signer_found; /* signer certificate identified */
	enum tte_check ess;          /* ESS signing-certificate binding */
	const char *signer_msg;
	enum tte_check content_type; /* contentType attribute = eContentType */
	const char *digest_alg;      /* e.g. "SHA256" */
	const char *sig_alg;         /* e.g. "RSA", "ECDSA", "RSASSA-PSS" */
	int has_signing_time;
	int64_t signing_time;        /* claimed, never trusted */
	struct tte_cert *chain;      /* signer first; NULL: no signer cert */
	enum tte_chain chain_status;
	const char *chain_msg;
	struct tte_sig *timestamp;   /* signature timestamp, or NULL */
	struct tte_sig *archive;     /* archive timestamps over this
					signature (kind ARCHIVE_TIMESTAMP),
					in the order of its unsigned
					attributes, linked by next; at most
					TTE_ATS_MAX */
	/* for TTE_KIND_TIMESTAMP, _DOC_TIMESTAMP, _ARCHIVE_TIMESTAMP: */
	int64_t ts_time;             /* genTime */
	enum tte_check imprint;      /* messageImprint over what it stamps;
					for an archive timestamp NOT_DONE
					with imprint_msg set means "could
					not be verified", and why */
	const char *imprint_msg;
	/* for TTE_KIND_ARCHIVE_TIMESTAMP: */
	enum tte_ats_form ats_form;
	enum tte_check hash_index;   /* every entry of its ats-hash-index(-v3)
					names an element still present */
	const char *hash_index_msg;  /* what the index names that is gone */
	unsigned covers;             /* TTE_COVERS_* bits: which other
					timestamps of the signature its
					imprint covers */
	struct tte_notes notes;      /* other facts worth telling */
	/* for signatures inside a PDF: */
	int in_pdf;
	const char *field_name;      /* /T of the signature field */
	const char *sub_filter;      /* e.g. "ETSI.CAdES.detached" */
	long revision;               /* index of the revision it covers */
	int covers_whole_document;   /* its ranges end at the file's end */
	const char *byterange_error; /* set: the ByteRange rules fail */
	int docmdp_p;                /* certification level 1..3, 0 none */
	enum tte_mods mods;          /* what later revisions changed */
	struct tte_notes changes;    /* those changes, in plain words */
	int annots_added;            /* annotations later revisions added
					(allowed by DocMDP, listed in
					changes; the policy judges them) */
	const char *level;           /* "PAdES-B-T", ... (NULL: not PDF) */
	int64_t external_poe;        /* earliest later document timestamp
					(or, for a timestamp of a CMS
					signature, archive timestamp over
					it) that passed, 0 none (verdict.c) */
	int judged;                  /* verdict.c: already judged */

	/* ---- verdict (verdict.c) ---- */
	enum tte_ind indication;
	enum tte_sub sub;
	struct tte_notes reasons;
	int64_t best_signature_time;
	const char *best_signature_time_source;
	int has_poe;                 /* best_signature_time is proven by a
					timestamp, not the validation time */
	struct tte_constraints constraints; /* every outcome, in order */
};

/* The statement wordings a policy accepts (pdf_statement.h). */
struct tte_wordings {
	const char *exact;
	const char *const *variants;
	size_t n_variants;
	int clause_rule; /* the clause rule applies too */
};

struct tte_doc {
	struct arena arena;    /* owns everything below */
	const struct tte_wordings *wordings; /* input: the policy's, or
						NULL for the built-in ones
						(not owned) */
	const char *wordings_id; /* fact: which wordings `statement` was
				    matched against (policy_wordings_id) */
	const char *path;      /* display name */
	enum tte_format format;
	char sha256[65];       /* of the document's bytes, hex */
	struct tte_notes errors;
	const char *stopped;   /* set: verification stopped before the end
				  (over the time or memory budget), why;
				  no signature of it can then pass */
	enum tte_statement statement;
	struct tte_sig *sigs;
	struct tte_sig *sigs_tail;
	size_t n_sigs;
	enum tte_ind indication;
	enum tte_sub sub;
	int from_facts;        /* judged from saved facts (rescore), not
				  from the document's bytes */
	/* ---- the policy's judgement (policy/policy_judge.c) ---- */
	const char *policy_name;            /* the policy judged under */
	struct tte_constraints constraints; /* document-level outcomes */
	struct tte_notes findings;  /* failed FAIL/WARN constraints of the
				       document and its signatures */
	int has_findings;           /* set with the first finding, even when
				       its text could not be stored: what
				       "compliance" says */
};

/* "exact", "variant", ... and "none", "allowed", "disallowed" (NULL for
 * not done). */
const char *tte_statement_name(enum tte_statement st);
const char *tte_mods_name(enum tte_mods m);

/* "archive-time-stamp-v3", ... (for display; facts.c has its own). */
const char *tte_ats_form_name(enum tte_ats_form f);

/* Display names (JSON, reports): "signature", "timestamp",
 * "doc-timestamp", "archive-timestamp"; "not-done", "ok", "failed";
 * "found", "no-trust-anchor", ...; "good", "revoked", "unknown",
 * "rejected". (The facts format keeps its own names: facts.c.) */
const char *tte_kind_name(enum tte_sig_kind k);
const char *tte_check_name(enum tte_check c);
const char *tte_chain_name(enum tte_chain c);
const char *tte_rev_status_name(enum tte_rev_status st);

/* ETSI names, e.g. "TOTAL-PASSED", "HASH_FAILURE" (NONE gives NULL). */
const char *tte_ind_name(enum tte_ind ind);
const char *tte_sub_name(enum tte_sub sub);

/* Starts a document result named path (copied into its arena). NULL when
 * out of memory. Free with tte_doc_free. */
struct tte_doc *tte_doc_new(const char *path, enum tte_format format);
void tte_doc_free(struct tte_doc *doc);

/* Adds an empty signature to doc (arena-owned); NULL when out of memory. */
struct tte_sig *tte_doc_add_sig(struct tte_doc *doc, enum tte_sig_kind kind);

/* Appends a printf-formatted message to a list; memory from a. Out of
 * memory drops the message (the verdict never depends on notes). */
void tte_notes_add(struct tte_notes *n, struct arena *a, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

/* Records a document-level error (FORMAT_FAILURE material). */
void tte_doc_error(struct tte_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
