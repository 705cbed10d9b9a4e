#!/usr/bin/env bash
# corpus_pdf_test.sh - tteaudit verify over the signed PDFs of two public
# corpora, compared with what their own test suites assert:
#   1. pyHanko (pyhanko/EXPECTED_pdf.tsv, see pyhanko/EXPECTED.md): ByteRange
#      anomalies, incremental-update attacks, CMS edge cases;
#   2. EU DSS (dss/EXPECTED.tsv, see dss/EXPECTED.md): the PAdES validation
#      suite (signed_document rows with a .pdf file, any module).
#
# BUILD names the build folder (default build): the binary is
# $BUILD/tteaudit. The corpora are read from $TTE_CORPORA, by default
# ../shared/corpora next to the repository; without them the test is
# skipped (exit 0). Under BUILD=build-san (make SAN=1) any AddressSanitizer,
# LeakSanitizer or UBSan report on stderr fails the test.
#
# No trust anchor is given (except in the optional pyHanko trust pass), so a
# good signature is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND: cryptographic
# verdicts are read from checks.digest and checks.signature_value, the
# modification analysis from modifications_after (none|allowed|disallowed|
# null = not analysed). "The first signature" is the signature (kind
# "signature", doc-timestamps excluded as in DSS) of the lowest revision.
#
# pyHanko, per row (file, expected):
#   OK                 every signature: digest ok, signature_value ok,
#                      modifications_after none|allowed, no /ByteRange
#                      reason, not FORMAT_FAILURE
#   OK(sig1)           the same for the first signature only
#   NOT_OK(...)        not TOTAL-PASSED; "nonstandard coverage" also needs a
#                      FORMAT_FAILURE signature (coverage refused, not merely
#                      untrusted)
#   SUSPICIOUS_MODIFICATION  not TOTAL-PASSED and the first signature's
#                      modifications_after is not none|allowed
#   INVALID(...), INDETERMINATE  not TOTAL-PASSED
#   (unused)           skipped
# Trust pass (rows whose trust column says "trusted"): with --trust the
# embedded roots of extracted-embedded-roots/MAPPING.tsv and --at the
# validation time, no signature may stay NO_CERTIFICATE_CHAIN_FOUND and the
# document may not be TOTAL-FAILED. TOTAL-PASSED itself is not reachable:
# pyHanko's tests skip revocation checking, tteaudit does not (TRY_LATER).
#
# DSS, per file. Rows of test classes under .../extension/ (they validate
# the extended output, not this file) and *DisableValidations* classes
# (modification detection switched off) are ignored (a file with only
# extension rows is compared for its crypto verdict alone); the remaining
# rows must agree, else the file is skipped. CORRECTIONS fixes rows that the
# heuristic extraction got wrong (each checked in the test class).
#   CRYPTO_VALID    every signature and doc-timestamp: digest and
#                   signature_value ok (DSS checks timestamps' imprint too)
#   CRYPTO_INVALID  not all ok, and not TOTAL-PASSED
#   BLEVEL_INVALID  not TOTAL-PASSED (a "note:" says when we object only to
#                   trust, i.e. do not see the B-level problem ourselves)
#   MIXED_MULTISIG  at least one signature ok and at least one not
#   NO_SIGNATURE    no kind "signature" entry is ok or TOTAL-PASSED (DSS
#                   does not count doc-timestamps as signatures)
# pdf_revision_assertions (DSS' default: for every signature and timestamp
# no visual/page difference and no "undefined" change; signature/form-fill,
# annotation and extension (DSS/VRI/doc-TS) changes are acceptable):
#   default / "no modifications"  every entry none|allowed (null, i.e. not
#                   analysed, accepted when it covers the whole document or
#                   is itself refused: bad ByteRange, CMS or digest)
#   ...Changes present / arePdfObjectModificationsDetected, no
#   UndefinedChanges  the same, and the first signature "allowed" (changes
#                   exist, all of an acceptable kind)
#   "modifications DETECTED" (visual, page or annotation-overlap
#                   difference)  the first signature's modifications_after
#                   is allowed|disallowed (we must see the later changes)
#   "UndefinedChanges present"  the first signature "disallowed"
#   custom / not asserted  not compared
# byterange_assertions INVALID: TOTAL-FAILED/FORMAT_FAILURE and a reason
# naming /ByteRange; valid (default): no signature reason names /ByteRange.
# report_indication_asserts TOTAL_FAILED[/X]: the first signature has that
# indication (and subindication); INDETERMINATE: first signature
# INDETERMINATE. Always: one JSON line per file, exit status 0 or 1, no
# death by a signal, no sanitizer report.
#
# KNOWN below lists the disagreements analysed by hand (file -> verdict and
# why). A listed file that agrees again fails the test ("now agrees, remove
# from the list") so that the list stays true. Any other disagreement fails.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) ||
	root=$(cd "$here/../.." && pwd)
corpora=${TTE_CORPORA:-$root/../shared/corpora}
build=${BUILD:-build}
bin=$build/tteaudit
[ -x "$bin" ] || [ "${build#/}" != "$build" ] || bin=$root/$build/tteaudit

if [ ! -f "$corpora/dss/EXPECTED.tsv" ] || [ ! -d "$corpora/dss/files" ] ||
   [ ! -f "$corpora/pyhanko/EXPECTED_pdf.tsv" ]; then
	echo "corpus_pdf_test: SKIPPED (no ../shared/corpora)"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "corpus_pdf_test: $bin is not built" >&2
	exit 1
fi

exec python3 - "$bin" "$corpora" <<'EOF'
import csv, json, os, re, signal, subprocess, sys
from collections import Counter, defaultdict

bin_path, corpora = sys.argv[1:3]
PH = os.path.join(corpora, "pyhanko")
DSS = os.path.join(corpora, "dss")
DSS_FILES = os.path.join(DSS, "files")
BATCH = 40
SAN_RE = re.compile(r"ERROR: (Address|Leak|Memory|Thread)Sanitizer|"
                    r"runtime error:|UndefinedBehaviorSanitizer")

# Disagreements analysed by hand: "pyhanko:" or "dss:" + file -> verdict
# and one-line reason. Keep it true.
KNOWN = {
    # Fixed and now agreeing (kept for the record): dss-2236/replace.pdf
    # (shadow "replace": an appearance may change only with the value),
    # DSS-3226 (612 == 612.0), Signature-P-DE_SCI-4 (re-pointed to an
    # identical copy), pkcs7_sha1 (private /ITXT on the page tree root),
    # pades-ocsp-sign-cert (new catalog compared key by key),
    # wrong-digest-algo (VRI arrays), pades-signed-annot-added (/Names
    # /AP tree), DSS-3577 (/DA, /DR growth), DSS-2821 and
    # pdf-structtreeroot-changes (tagging of the new widget).
    # --- they expect a modification, we say allowed
    "pyhanko:test_data/pdf/form-update-no-override-appearance-stream-ap-"
    "indirect-sneaky.pdf":
        "both defensible: Sig2's /AP is re-pointed from the indirect /AP "
        "dict 10 (also the catalog's /FooBar) to a new one; objects 9 and 10 "
        "are unchanged, nothing signed is altered; pyHanko refuses any /AP "
        "update of a widget whose old /AP dict is used in two contexts",
    "pyhanko:test_data/pdf/form-update-ap-indirect-sneaky-trailer.pdf":
        "both defensible: as the -sneaky variant, shared via the trailer's "
        "/FooBar; object 10 is not changed, only no longer used by Sig2",
    "dss:dss-pades/validation/pdf-spoofing-attack.pdf":
        "we are wrong (incomplete): encrypted PDF, not decrypted (ISO "
        "32000-1 7.6) so not verified (INDETERMINATE); DSS finds an "
        "undefined change: must come out disallowed once decryption exists",
    # --- not verified: encryption, unknown SubFilter
    "dss:dss-pades/validation/encrypted.pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/protected/edition_protected_none.pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/protected/edition_protected_signing_allowed_no_field.pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/protected/edition_protected_signing_allowed_with_field"
    ".pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/protected/open_protected.pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/protected/protected_two_empty_fields.pdf":
        "we are wrong (incomplete): encrypted PDF not decrypted, no verdict",
    "dss:dss-pades/validation/AD-RB.pdf":
        "both defensible: DocuSign's private /SubFilter PBAD.PAdES is not "
        "verified (INDETERMINATE); DSS parses its CMS as detached anyway",
    # --- we refuse what they accept
    "dss:dss-pades/validation/pades-5-signatures-and-1-document-timestamp"
    ".pdf":
        "both defensible: corrupt file: the 7th revision's xref offsets are "
        "20326 bytes off and the last trailer has /Prev 0; PDFBox repairs "
        "by scanning, we fail closed on unreadable objects 127-150",
    # --- both refuse, differently
    "dss:dss-pades/validation/pades-spoofing-replaced-reason.pdf":
        "both defensible: the signature dictionary is overridden later "
        "(/Reason EVIL, same /ByteRange and /Contents); DSS: undefined "
        "change; we: TOTAL-FAILED, the signature dictionary was replaced "
        "after the revision it signs",
    "dss:dss-pades/validation/pades-enveloping-empty-bytes-cms.pdf":
        "both defensible: the CMS encapsulates empty content; DSS: not "
        "intact; we: messageDigest matches the byte ranges, but encapsulated "
        "content is refused (INDETERMINATE/FORMAT_FAILURE)",
    "dss:dss-pades/validation/Signature-P-HU_NET-2.pdf":
        "both defensible: digestAlgorithm is sha256WithRSAEncryption (RFC "
        "5652 5.3 wants a digest OID); DSS refuses, OpenSSL and we read "
        "SHA-256 and note the misplaced OID",
}

# Rows of dss/EXPECTED.tsv that the extraction summarised wrongly, checked
# in the test class: file -> {column: corrected value}.
CORRECTIONS = {
    # PAdESSpoofingAttackReplacementTest: one undefined change (/Reason of
    # the signature dictionary replaced), not "no modifications".
    "dss-pades/validation/pades-spoofing-replaced-reason.pdf":
        {"pdf_revision_assertions": "UndefinedChanges present"},
    # DSS2451Test: one signature B-level valid, the other TOTAL_FAILED/
    # HASH_FAILURE (its ByteRange overlaps); checkByteRange is skipped.
    "dss-pades/validation/pdf-byterange-overlap.pdf":
        {"expected": "MIXED_MULTISIG", "byterange_assertions": "not asserted",
         "report_indication_asserts": "one TOTAL_FAILED"},
    # PdfPkcs7StructTreeRootObjectModificationsTest: the first signature
    # has signature/form-fill and extension changes, no undefined ones
    # (the extraction kept the second signature's branch).
    "dss-pades/validation/pdf-structtreeroot-changes.pdf":
        {"pdf_revision_assertions": "SignatureOrFormFillChanges present; "
         "ExtensionChanges present; no UndefinedChanges"},
}

problems = []          # unexplained disagreements and harness failures
counts = {"pyhanko": Counter(), "dss": Counter()}
skipped = {"pyhanko": Counter(), "dss": Counter()}
notes = []


def run(paths, extra=(), where=""):
    """tteaudit over paths: {normpath: [doc, ...]}."""
    out = defaultdict(list)
    for i in range(0, len(paths), BATCH):
        batch = paths[i:i + BATCH]
        p = subprocess.run([bin_path, "verify", "--policy", "crypto-only", "--format", "json",
                            "--no-progress", *extra, *batch],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = p.stderr.decode(errors="replace")
        if p.returncode < 0:
            problems.append("%stteaudit died by signal %s on the batch from %s"
                            % (where, signal.Signals(-p.returncode).name,
                               batch[0]))
        elif p.returncode not in (0, 1):
            problems.append("%stteaudit exit status %d on the batch from %s: %s"
                            % (where, p.returncode, batch[0],
                               err.strip()[-300:]))
        m = SAN_RE.search(err)
        if m:
            problems.append("%ssanitizer report on the batch from %s: %s"
                            % (where, batch[0], err[m.start():][:600]))
        for raw in p.stdout.decode(errors="replace").splitlines():
            if not raw.strip():
                continue
            try:
                doc = json.loads(raw)
                out[os.path.normpath(doc["path"])].append(doc)
            except (ValueError, KeyError, TypeError):
                problems.append("%snot a JSON result line: %.200s"
                                % (where, raw))
    for k in list(out):
        if k not in {os.path.normpath(x) for x in paths}:
            problems.append("%sresult for a path not asked for: %s"
                            % (where, k))
    return out


def one_doc(res, path, name):
    got = res.get(os.path.normpath(path), [])
    if len(got) != 1:
        problems.append("%s: %d result lines, want 1" % (name, len(got)))
        return None
    return got[0]


def checks(s):
    return s.get("checks") or {}


def sig_ok(s):
    c = checks(s)
    return c.get("digest") == "ok" and c.get("signature_value") == "ok"


def by_revision(sigs):
    return sorted(sigs, key=lambda s: (s.get("revision") is None,
                                       s.get("revision") or 0))


def first_sig(doc):
    sigs = [s for s in by_revision(doc.get("signatures") or [])
            if s.get("kind") == "signature"]
    return sigs[0] if sigs else None


def br_reason(s):
    return any("/ByteRange" in r for r in s.get("reasons") or [])


def mods_ok(s):
    """Nothing disallowed after s. null (not analysed) is accepted when s
    covers the whole document or is itself refused (its ByteRange or
    CMS is bad: the modification analysis has nothing to stand on)."""
    m = s.get("modifications_after")
    return m in ("none", "allowed") or (m is None and (
        s.get("covers_whole_document") or not sig_ok(s) or br_reason(s)
        or s.get("subindication") == "FORMAT_FAILURE"))


def describe(doc):
    parts = []
    for s in by_revision(doc.get("signatures") or []):
        c = checks(s)
        bad = [x for x in s.get("changes_after") or []
               if not x.startswith("allowed")][:2]
        parts.append("%s@%s %s/%s %s/%s mods=%s%s" % (
            "ts" if s.get("kind") == "doc-timestamp" else "sig",
            s.get("revision"), s.get("indication"), s.get("subindication"),
            c.get("digest"), c.get("signature_value"),
            s.get("modifications_after"), (" " + "; ".join(bad)) if bad
            else ""))
    out = "%s/%s [%s]%s" % (doc.get("indication"), doc.get("subindication"),
                            ", ".join(parts) or "no signatures",
                            (" errors %s" % doc["errors"][:1])
                            if doc.get("errors") else "")
    return out if len(out) <= 600 else out[:597] + "..."


def verdict(part, key, expected, agree, doc, why=""):
    """Count one comparison; record it if it disagrees."""
    k = "%s:%s" % (part, key)
    counts[part]["compared"] += 1
    said = describe(doc)
    if agree and k in KNOWN:
        problems.append("%s: now agrees (%s), remove from the list"
                        % (k, expected))
    elif agree:
        counts[part]["agree"] += 1
    elif k in KNOWN:
        counts[part]["known"] += 1
        print("known: %s: %s %s, we %s -- %s"
              % (k, part, expected, said, KNOWN[k]))
    else:
        reasons = [r for s in doc.get("signatures") or []
                   for r in (s.get("reasons") or [])[:1]]
        problems.append("%s: %s %s (%s), we %s; reasons %s"
                        % (k, part, expected, why, said, reasons[:3]))


# ---------------------------------------------------------------- pyHanko
with open(os.path.join(PH, "EXPECTED_pdf.tsv"), newline="") as fh:
    ph_rows = list(csv.DictReader(fh, delimiter="\t"))
roots = defaultdict(set)
mapping = os.path.join(PH, "test_data", "extracted-embedded-roots",
                       "MAPPING.tsv")
if os.path.isfile(mapping):
    with open(mapping, newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            roots[r["pdf"]].add(r["embedded_self_signed_root"])

ph_sel = []
for r in ph_rows:
    if r["expected"] == "(unused)":
        skipped["pyhanko"]["unused"] += 1
    elif not os.path.isfile(os.path.join(PH, r["file"])):
        skipped["pyhanko"]["file not in corpus"] += 1
    else:
        ph_sel.append(r)
ph_res = run([os.path.join(PH, r["file"]) for r in ph_sel], where="pyhanko: ")


def judge_pyhanko(exp, doc):
    """(agree, why)."""
    sigs = by_revision(doc.get("signatures") or [])
    ind = doc.get("indication")
    if doc.get("format") != "pdf":
        return False, "sniffed as %s" % doc.get("format")

    def fine(s):
        return (sig_ok(s) and mods_ok(s) and not br_reason(s)
                and s.get("subindication") != "FORMAT_FAILURE")
    if exp == "OK":
        return bool(sigs) and all(fine(s) for s in sigs), "all signatures fine"
    if exp == "OK(sig1)":
        f = first_sig(doc)
        return f is not None and fine(f), "first signature fine"
    if exp == "SUSPICIOUS_MODIFICATION":
        f = first_sig(doc)
        return (ind != "TOTAL-PASSED" and f is not None and
                f.get("modifications_after") not in ("none", "allowed"),
                "first signature modified beyond what is allowed")
    if exp.startswith("NOT_OK"):
        agree = ind != "TOTAL-PASSED"
        if "coverage" in exp:
            agree = agree and any(s.get("subindication") == "FORMAT_FAILURE"
                                  for s in sigs)
        return agree, "not OK, coverage refused"
    if exp.startswith("INVALID") or exp == "INDETERMINATE":
        return ind != "TOTAL-PASSED", "not TOTAL-PASSED"
    return None, "expected %s: not comparable" % exp


for r in ph_sel:
    path = os.path.join(PH, r["file"])
    doc = one_doc(ph_res, path, "pyhanko:" + r["file"])
    if doc is None:
        continue
    agree, why = judge_pyhanko(r["expected"], doc)
    if agree is None:
        skipped["pyhanko"][why] += 1
        continue
    verdict("pyhanko", r["file"], r["expected"], agree, doc, why)

# Optional trust pass: the chain must be found with the embedded roots.
trusted_n = 0
for r in ph_sel:
    if not r["trust"].startswith("trusted"):
        continue
    name = r["file"].split("test_data/pdf/", 1)[-1]
    anchors = [os.path.join(PH, "test_data", "extracted-embedded-roots", x)
               for x in sorted(roots.get(name, ()))]
    if not anchors:
        continue
    extra = [a for x in anchors for a in ("--trust", x)]
    m = re.match(r"\d{4}-\d\d-\d\d", r["validation_time"])
    if m:
        extra += ["--at", m.group(0) + "T12:00:00Z"]
    path = os.path.join(PH, r["file"])
    doc = one_doc(run([path], extra, where="pyhanko trust: "), path,
                  "pyhanko trust:" + r["file"])
    if doc is None:
        continue
    if (doc.get("indication") != "TOTAL-FAILED" and
            not any(s.get("subindication") == "NO_CERTIFICATE_CHAIN_FOUND"
                    for s in doc.get("signatures") or [])):
        trusted_n += 1
    else:
        problems.append("pyhanko trust:%s: with its embedded root, we %s"
                        % (r["file"], describe(doc)))

# -------------------------------------------------------------------- DSS
with open(os.path.join(DSS, "EXPECTED.tsv"), newline="") as fh:
    dss_rows = list(csv.DictReader(fh, delimiter="\t"))


def mods_category(text):
    t = text or ""
    if not t or t.startswith(("custom", "not asserted")):
        return "none"
    if "UndefinedChanges present" in t:
        return "undefined"
    if "modifications DETECTED" in t:
        return "visual"
    if (re.search(r"(?<!no )(Annotation|Extension|SignatureOrFormFill)"
                  r"Changes present", t) or
            re.search(r"(?<!NOT )arePdfObjectModificationsDetected", t)):
        return "allowed"
    if t.startswith(("no ", "default")):
        return "clean"
    return "none"


def row_key(r):
    r = dict(r, **CORRECTIONS.get(r["file"], {}))
    br = r["byterange_assertions"]
    return (r["expected"], mods_category(r["pdf_revision_assertions"]),
            "invalid" if br == "INVALID" else
            "valid" if br.startswith("valid") else "none",
            r["report_indication_asserts"])


by_file = defaultdict(list)
for r in dss_rows:
    if r["role"] != "signed_document" or not r["file"].lower().endswith(
            ".pdf"):
        continue
    by_file[r["file"]].append(r)
dss_sel = {}
for f, rs in sorted(by_file.items()):
    use = [r for r in rs if "/extension/" not in r["test_class"]
           and "DisableValidations" not in r["test_class"]]
    keys = {row_key(r) for r in use}
    if not use:
        # Only extension tests: their assertions are about the extended
        # output; the stored file's signatures must still be intact.
        keys = {(row_key(r)[0], "none", "none", "") for r in rs
                if "/extension/" in r["test_class"]}
    if not keys:
        skipped["dss"]["only weakened-configuration tests"] += 1
    elif len(keys) != 1:
        skipped["dss"]["rows disagree"] += 1
    elif not os.path.isfile(os.path.join(DSS_FILES, f)):
        skipped["dss"]["file not in corpus"] += 1
    else:
        dss_sel[f] = keys.pop()
dss_res = run([os.path.join(DSS_FILES, f) for f in sorted(dss_sel)],
              where="dss: ")
TRUST_ONLY = {"NO_CERTIFICATE_CHAIN_FOUND", "TRY_LATER", "OUT_OF_BOUNDS_NO_POE",
              "OUT_OF_BOUNDS_NOT_REVOKED", "REVOKED_NO_POE", "NO_POE",
              "CERTIFICATE_CHAIN_GENERAL_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"}


def judge_dss(f, key, doc):
    """(agree or None when not comparable, why)."""
    expected, mods, br, report = key
    sigs = by_revision(doc.get("signatures") or [])
    ind = doc.get("indication")
    first = first_sig(doc)
    if expected not in ("CRYPTO_VALID", "CRYPTO_INVALID", "BLEVEL_INVALID",
                        "MIXED_MULTISIG", "NO_SIGNATURE"):
        return None, "expected %s: not comparable" % expected
    if doc.get("format") != "pdf":
        return False, "sniffed as %s" % doc.get("format")
    oks = [sig_ok(s) for s in sigs]
    why = [expected]
    if expected == "CRYPTO_VALID":
        agree = bool(sigs) and all(oks)
    elif expected == "CRYPTO_INVALID":
        agree = not all(oks) and ind != "TOTAL-PASSED"
    elif expected == "BLEVEL_INVALID":
        agree = ind != "TOTAL-PASSED"
        if agree and sigs and all(s.get("indication") != "TOTAL-FAILED" and
                         s.get("subindication") in TRUST_ONLY for s in sigs):
            notes.append("note: dss:%s BLEVEL_INVALID: we object only to "
                         "trust (%s)" % (f, describe(doc)))
    elif expected == "MIXED_MULTISIG":
        agree = any(oks) and not all(oks)
    else:
        agree = not any(sig_ok(s) or s.get("indication") == "TOTAL-PASSED"
                        for s in sigs if s.get("kind") == "signature")
        mods = "none"
    if sigs and mods != "none":
        why.append("modifications " + mods)
        if mods in ("clean", "allowed"):
            agree = agree and all(mods_ok(s) for s in sigs)
        if mods == "allowed":
            agree = agree and first is not None and \
                first.get("modifications_after") == "allowed"
        elif mods == "visual":
            agree = agree and first is not None and \
                first.get("modifications_after") in ("allowed", "disallowed")
        elif mods == "undefined":
            agree = agree and first is not None and \
                first.get("modifications_after") == "disallowed"
    if br == "invalid":
        why.append("ByteRange invalid")
        agree = agree and ind == "TOTAL-FAILED" and \
            doc.get("subindication") == "FORMAT_FAILURE" and \
            any(br_reason(s) for s in sigs)
    elif br == "valid" and expected != "NO_SIGNATURE":
        agree = agree and not any(br_reason(s) for s in sigs)
    if report:
        why.append(report)
        if report == "one TOTAL_FAILED":
            agree = agree and any(s.get("indication") == "TOTAL-FAILED"
                                  for s in sigs)
        else:
            want = dict(x.split("=", 1) for x in report.split(","))
            wi = want.get("simpleReport.Indication", "").replace("_", "-")
            ws = want.get("simpleReport.SubIndication")
            if wi == "TOTAL-FAILED":
                agree = agree and first is not None and \
                    first.get("indication") == wi and \
                    (ws is None or first.get("subindication") == ws)
            elif wi == "INDETERMINATE":
                agree = agree and first is not None and \
                    first.get("indication") == wi
            elif ws:
                agree = agree and first is not None and \
                    first.get("subindication") == ws
    return agree, ", ".join(why)


for f in sorted(dss_sel):
    doc = one_doc(dss_res, os.path.join(DSS_FILES, f), "dss:" + f)
    if doc is None:
        continue
    agree, why = judge_dss(f, dss_sel[f], doc)
    if agree is None:
        skipped["dss"][why] += 1
        continue
    verdict("dss", f, dss_sel[f][0], agree, doc, why)

for k in sorted(KNOWN):
    part, f = k.split(":", 1)
    if (part == "pyhanko" and f not in {r["file"] for r in ph_sel}) or \
            (part == "dss" and f not in dss_sel):
        print("note: known disagreement %s is not among the selected files"
              % k)
for n in notes:
    print(n)
for p in problems:
    print("FAIL: " + p)
for part in ("pyhanko", "dss"):
    c, s = counts[part], skipped[part]
    why = ", ".join("%d %s" % (n, r) for r, n in sorted(s.items()))
    print("corpus_pdf_%s: %d compared, %d agree, %d known disagreements, "
          "%d skipped (%s)%s" % (part, c["compared"], c["agree"], c["known"],
                                 sum(s.values()), why or "none",
                                 "; %d trusted reach a chain" % trusted_n
                                 if part == "pyhanko" else ""))
sys.exit(1 if problems else 0)
EOF
