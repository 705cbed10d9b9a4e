/*
 * etsi_report.h - one ETSI TS 119 102-2 validation report (XML) per run,
 * written as the documents come (`--format etsi`, issue 5).
 *
 * The report is a vr:ValidationReport (namespace
 * http://uri.etsi.org/19102/v1.2.1#) valid against
 * policy/etsi/1910202xmlSchema.xsd (policy/etsi/README.md says where the
 * schema comes from). Its shape, in the schema's order:
 *
 *   vr:ValidationReport
 *     vr:SignatureValidationReport      one per signature of every
 *                                       document, in order; one for a
 *                                       document without signatures
 *       vr:SignatureIdentifier          HashOnly, DocHashOnly false;
 *                                       DAIdentifier "path#S1"
 *       vr:ValidationConstraintsEvaluationReport
 *         vr:SignatureValidationPolicy  SignaturePolicyImplied, PolicyName
 *         vr:ValidationConstraint *     the signature's constraints, then
 *                                       the document's
 *       vr:ValidationTimeInfo           validation and best signature time
 *       vr:SignatureAttributes          the claimed signing time, if any
 *       vr:SignerInformation            the signer certificate, by id
 *       vr:SignatureValidationStatus    indication, sub-indication,
 *                                       chain, reasons
 *     vr:SignatureValidationObjects     one vr:ValidationObject per
 *                                       distinct certificate referenced,
 *                                       id "C-<SHA-256 upper-case hex>"
 *                                       (as EU DSS names them)
 *
 * URIs of our own (TS 119 102-2 leaves these to the validator):
 *   urn:tteaudit:constraint:<id>   a constraint of the policy
 *   urn:tteaudit:level             its level (FAIL, WARN, INFORM, IGNORE)
 *   urn:tteaudit:scope             "document" for a document's constraint
 *   urn:tteaudit:message           a constraint's outcome in plain words
 *   urn:tteaudit:reason            a reason for the verdict
 *   urn:tteaudit:error             a document that could not be read
 *   urn:tteaudit:kind              "timestamp" or "doc-timestamp"
 *   urn:tteaudit:note              something the report itself left out
 *
 * The writer streams: only the certificates' SHA-256 values are kept until
 * the end (SignatureValidationObjects come after every report), at most
 * ETSI_REPORT_MAX_CERTS of them. Past that a signature's certificates are
 * not referenced (a note says so) and the report stays valid.
 *
 * One writer is used by one thread at a time.
 */
#ifndef TTE_ETSI_REPORT_H
#define TTE_ETSI_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../verifier/tteaudit.h"

/* Distinct certificates one report lists (32 bytes each, plus the hash
 * table): a run over every document of a province names a few thousand
 * signers; this bounds memory at about 10 MiB whatever the input. */
#define ETSI_REPORT_MAX_CERTS (1U << 18)

/* Certificates of one chain walked at most: chains come from our own
 * builder, the bound only guards against a cycle. */
#define ETSI_REPORT_MAX_CHAIN 32

/* Bytes of one string (path, subject, reason) written at most; longer
 * ones are cut at a character boundary and end with "...". */
#define ETSI_REPORT_MAX_STR (16U * 1024)

struct etsi_report;

/*
 * Starts a report on out: writes the XML declaration and opens
 * vr:ValidationReport. policy_name names the policy in every report
 * (NULL: each document's own policy_name, or none). validation_time is
 * the run's validation time (epoch seconds, `--at`). out stays the
 * caller's: etsi_report_end flushes it but never closes it.
 * Returns NULL when out of memory or when the first bytes cannot be
 * written.
 */
struct etsi_report *etsi_report_begin(FILE *out, const char *policy_name,
				      int64_t validation_time);

/*
 * Writes the vr:SignatureValidationReport elements of doc: one per
 * signature, in order; a document without signatures gets one with
 * MainIndication indeterminate, SubIndication SIGNED_DATA_NOT_FOUND (or
 * FORMAT_FAILURE when it could not be read) and its errors. doc is only
 * read during the call. r may be NULL (nothing happens). A write error
 * is kept and returned by etsi_report_end.
 */
void etsi_report_doc(struct etsi_report *r, const struct tte_doc *doc);

/*
 * Writes vr:SignatureValidationObjects, closes the report, flushes out
 * and frees r. A run without any document still gets a valid report: one
 * vr:SignatureValidationReport saying no document was verified.
 * Returns 0 when everything was written, -1 when a write failed or memory
 * ran out on the way (the output is then incomplete). r may be NULL
 * (returns -1).
 */
TTE_MUST_USE int etsi_report_end(struct etsi_report *r);

#endif
