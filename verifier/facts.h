/*
 * facts.h - the facts of a document (result.h, "facts") as one JSON line,
 * and back (issue 5: facts apart from judgement).
 *
 * Verification finds the facts once; the verdict (verdict.c) and the
 * policy's pass (policy/) are derived from them. `tteaudit verify --format
 * facts` writes one line per document with facts_write_doc, and
 * `tteaudit rescore` reads each back with facts_read_doc and judges it
 * again, under another policy or at another time, without the document.
 *
 * The line (facts_version 2) holds every fact and nothing judged:
 *
 *   {"facts_version": 2, "validation_time": TIME,
 *    "path": STR, "format": "pdf|cms|xml|zip|asic|unknown",
 *    "sha256": STR|null, "errors": [STR...], "stopped": STR|null,
 *    "statement": "n/a|exact|variant|missing|no-text|unknown",
 *    "signatures": [SIG...],
 *    "statement_wordings": "builtin"|SHA256HEX|null (version 2)}
 *
 *   SIG = {"id": STR|null, "kind": "signature|timestamp|doc-timestamp|
 *                                archive-timestamp",
 *    "format_error": STR|null, "content_missing": BOOL,
 *    "hash": CHECK, "hash_msg": STR|null,
 *    "signature": CHECK, "signature_msg": STR|null,
 *    "signer_found": CHECK, "ess": CHECK, "signer_msg": STR|null,
 *    "content_type": CHECK, "digest_alg": STR|null, "sig_alg": STR|null,
 *    "signing_time": TIME|null, "chain": [CERT...] (signer first),
 *    "chain_status": "not-done|found|no-trust-anchor|
 *                     bad-certificate-signature|constraints-broken",
 *    "chain_msg": STR|null, "timestamp": SIG|null, "ts_time": TIME,
 *    "imprint": CHECK, "imprint_msg": STR|null, "notes": [STR...],
 *    "in_pdf": BOOL, "field_name": STR|null, "sub_filter": STR|null,
 *    "revision": INT, "covers_whole_document": BOOL,
 *    "byterange_error": STR|null, "docmdp_p": INT,
 *    "mods": "not-done|none|allowed|disallowed", "changes": [STR...],
 *    "annots_added": INT, "level": STR|null,
 *    "archive_timestamps": [SIG...] (each of kind archive-timestamp, at
 *      most TTE_ATS_MAX), and for an archive timestamp:
 *    "ats_form": "v3|v3-ats-hash-index|v2|v1", "hash_index": CHECK,
 *    "hash_index_msg": STR|null, "covers_timestamp": BOOL,
 *    "covers_archive": [INT...] (positions in its signature's
 *      archive_timestamps, each once)}
 *
 *   CERT = {"subject", "issuer", "serial", "sha256", "organization",
 *    "unit": STR|null, "policy_oids": [STR...], "not_before",
 *    "not_after": TIME, "key_type": STR|null, "key_bits": INT,
 *    "sig_alg": STR|null, "is_anchor", "ku_allows_signing",
 *    "has_key_usage": BOOL, "key_usage": [NAME|INT...] (tte_ku_name,
 *    or the bit's value when it has no name), "eku_oids": [STR...],
 *    "sig_digest": STR|null, "eku_timestamping", "eku_critical": BOOL,
 *    "revocation": [REV...]}
 *
 *   REV = {"kind": "crl|ocsp", "status": "good|revoked|unknown|rejected",
 *    "issued", "produced", "next_update", "revoked_at": TIME,
 *    "reason": STR|null, "hold": BOOL, "reasons": INT (ReasonFlags
 *    bits), "source": STR|null, "problem": STR|null}
 *
 *   CHECK = "not-done" | "ok" | "failed"
 *   TIME  = "YYYY-MM-DDTHH:MM:SSZ" (UTC) for years 0000-9999, else the
 *           epoch seconds as an integer (sentinels such as INT64_MAX for
 *           an unreadable validity survive exactly)
 *
 * A facts_version 1 line (written before archive timestamps were read)
 * is read too: it has no field from "archive_timestamps" on, and its
 * signatures read as having no archive timestamps, which is what the
 * engine that wrote it found.
 *
 * The verdict (indication, sub-indication, reasons, best signature time,
 * constraint outcomes, findings) is never written: it is recomputed.
 *
 * Unsupported, on purpose:
 *  - reading is strict: every field above must be present with its type,
 *    and a field not listed is an error (a judgement field in a facts
 *    line means the line is not what it claims to be). Nothing missing is
 *    given a default: a default could let a signature pass. One
 *    invariant of the engine is checked too: a chain_status "found"
 *    needs a chain whose last certificate is_anchor;
 *  - strings that are not UTF-8 are written with U+FFFD in place of the
 *    bad bytes (JSON carries only Unicode); nothing judged depends on
 *    those bytes;
 *  - facts the engine never keeps cannot be rescored: the page text a
 *    statement was matched in (only the match is kept), the certificates'
 *    DER (only what was read from them).
 */
#ifndef TTE_FACTS_H
#define TTE_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "result.h"

#define FACTS_VERSION 2 /* the one written; 1 is read too */

/* The longest facts line read: a PDF with a thousand signatures, long
 * chains and change lists stays far below (JSON_MAX_NODES bounds the
 * tree of a line). */
#define FACTS_MAX_LINE (64u << 20)

/*
 * Writes the facts of doc, with the validation time it was verified at,
 * as one JSON object and a newline to f. doc is only read.
 */
void facts_write_doc(FILE *f, const struct tte_doc *doc,
		     int64_t validation_time);

/*
 * Rebuilds a document from one facts line line[0..len) (a trailing
 * newline is allowed). On success *out is a new document holding exactly
 * the facts written (judgement fields zero: not judged yet), which the
 * caller frees with tte_doc_free, and *validation_time the time it was
 * verified at. Otherwise *out is NULL and d says which field is wrong
 * (by its path, e.g. 'signatures[0].chain[1].not_after'):
 * TTE_E_MALFORMED (a field missing, of the wrong type or with an unknown
 * value, an unknown or repeated field, or not JSON), TTE_E_TRUNCATED /
 * TTE_E_TRAILING (the JSON ends early / goes on after the object),
 * TTE_E_UNSUPPORTED (a facts_version other than 1 or 2, U+0000 in a
 * string),
 * TTE_E_TOO_BIG (over FACTS_MAX_LINE or a JSON limit), TTE_E_NOMEM.
 */
TTE_MUST_USE tte_err facts_read_doc(const char *line, size_t len,
				    struct tte_doc **out,
				    int64_t *validation_time, struct diag *d);

#endif
