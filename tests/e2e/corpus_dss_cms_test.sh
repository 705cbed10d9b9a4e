#!/usr/bin/env bash
# corpus_dss_cms_test.sh - tteaudit verify over the CMS/CAdES signatures of
# the public EU DSS test corpus, compared with the cryptographic verdicts
# that DSS' own JUnit tests assert (dss/EXPECTED.tsv, see dss/EXPECTED.md).
#
# BUILD names the build folder (default build): the binary is
# $BUILD/tteaudit. The corpora are read from $TTE_CORPORA, by default
# ../shared/corpora next to the repository (the CI clone sits next to a
# shared/ copy); without them the test is skipped (exit 0).
#
# Selection: rows of dss/EXPECTED.tsv with role signed_document whose file
# is under dss-cades/ and has a CMS extension (.p7m .p7s .pkcs7 .p7b .p7c
# .cms .csig .cades .sig; all of them are sniffed as format "cms"; the
# .ers evidence records, .der policy, .pdf and .xml files there are not).
# A file whose rows disagree on `expected` is skipped.
#
# Comparison, per file (DSS' CRYPTO_VALID = every signature intact and its
# signature value valid; we compare with checks.digest and
# checks.signature_value, not with the overall indication, because no
# trust anchor is given):
#   CRYPTO_VALID    every signature has digest ok and signature_value ok
#   CRYPTO_INVALID  not every signature is ok, and not TOTAL-PASSED
#   BLEVEL_INVALID  not TOTAL-PASSED
#   MIXED_MULTISIG  at least one signature ok and at least one not
#   NO_SIGNATURE    no signature TOTAL-PASSED
# A signature with checks.content_found == failed is a detached signature
# whose content tteaudit does not pair (only "x" next to "x.p7s" is): such
# files are skipped, not compared. Always: one JSON line per file, exit
# status 0 or 1, no death by a signal.
#
# KNOWN below lists the disagreements analysed by hand (file -> why). A
# listed file that agrees again fails the test ("now agrees, remove from
# the list") so that the list stays true. Any other disagreement fails.
#
# Archive timestamps (CAdES-A, ETSI EN 319 122-1 §5.5.3; TS 101 733 §6.4.1
# for v2), in every compared file: DSS's base test asserts that each
# timestamp's message imprint is found and intact
# (AbstractPkiFactoryTestValidation.checkTimestamps), so each archive
# timestamp's checks.message_imprint must be "ok", unless the file's test
# overrides checkTimestamps (ATS_IMPRINT, ATS_NOT_ASSERTED). Where the
# test asserts isAtsHashIndexValid false (ATS_INDEX_FAILED), each
# ats-hash-index(-v3) check must be "failed" (the imprint stays intact:
# the index is covered as it is; what it names is gone).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
corpora=${TTE_CORPORA:-$root/../shared/corpora}
build=${BUILD:-build}
bin=$build/tteaudit
[ -x "$bin" ] || [ "${build#/}" != "$build" ] || bin=$root/$build/tteaudit

if [ ! -f "$corpora/dss/EXPECTED.tsv" ] || [ ! -d "$corpora/dss/files" ]; then
	echo "corpus_dss_cms_test: SKIPPED (no ../shared/corpora)"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "corpus_dss_cms_test: $bin is not built" >&2
	exit 1
fi

exec python3 - "$bin" "$corpora/dss" <<'EOF'
import csv, json, os, signal, subprocess, sys
from collections import Counter, defaultdict

bin_path, dss = sys.argv[1:3]
files_dir = os.path.join(dss, "files")
CMS_EXT = ("p7m", "p7s", "pkcs7", "p7b", "p7c", "cms", "csig", "cades", "sig")
BATCH = 40

# Disagreements analysed by hand: file -> one-line reason. Keep it true.
KNOWN = {
    # Fixed and now agreeing (keep for the record): dss-667/*_reordered_*
    # (signature over the DER-sorted signedAttrs: both orders are tried),
    # cades-broken-sig-tst-and-ats-v3.cms (DigestInfo without NULL
    # parameters, RFC 5754 2), dss-1419 SHA256-SHA3_256withRSAandMGF1
    # (RSASSA-PSS hash from its parameters, RFC 4056 3).
    "dss-cades/validation/Signature-C-DE_CRY-4.p7m":
        "both defensible: mirror of dss-667, signature over the non-DER "
        "order as sent; DSS/BouncyCastle re-encode to DER and fail, we "
        "verify the bytes received and note that they are not DER",
    "dss-cades/validation/evidence-record/C-E-ERS-basic-invalid-sig.p7m":
        "both defensible: signature math is good; its CMSAlgorithmProtection "
        "(RFC 6211) gives the PSS params without trailerField, the SignerInfo "
        "with an explicit default trailerField 1; BouncyCastle compares them "
        "structurally and fails, we compare the algorithm OIDs, which match",
    "dss-cades/validation/no-key-info-cert.pkcs7":
        "both defensible: the CMS carries no signer certificate; the DSS "
        "test supplies signCert.cer out of band, we have no such input",
    "dss-cades/validation/cades-double-signing-time.p7m":
        "we are wrong (incomplete): DSS counts the countersignature "
        "(RFC 5652 11.4), invalid with two signingTime attributes; we do "
        "not verify countersignatures yet (noted per signature)",
}

# file -> message_imprint of every archive timestamp, where DSS's test
# asserts other than intact.
ATS_IMPRINT = {
    # CAdESLevelLTAWithCopiedATSTTest: isMessageImprintDataIntact false
    # (a token copied from another signature, without a hash index).
    "dss-cades/validation/cades-lta-copied-atst.p7m": "failed",
}
# file -> why its archive timestamps are not compared.
ATS_NOT_ASSERTED = {
    "dss-cades/validation/cades-dss1997.p7m":
        "DSS1997Test overrides checkTimestamps with a count only (and "
        "asserts the A level not valid); we find the imprint intact and "
        "the ats-hash-index naming an unsigned attribute no longer there",
    "dss-cades/validation/cades-dss1956.p7m":
        "DSS1956Test extends PKIFactoryAccess and only checks that "
        "validation completes (no default assertion); its ats-hash-index "
        "attribute holds the four index fields as four values, not one "
        "ATSHashIndex: we do not guess the imprint input, so the archive "
        "timestamp is reported as not verified",
}
# The tests asserting isAtsHashIndexValid false.
ATS_INDEX_FAILED = {
    "dss-cades/validation/cades-ats-v3-wrong-cert.p7m",
    "dss-cades/validation/cades-ats-v3-wrong-crl.p7s",
    "dss-cades/validation/cades-ats-v3-wrong-ocsp.p7s",
    "dss-cades/validation/cades-ats-v3-rev-val-crl.p7s",
    "dss-cades/validation/cades-ats-v3-rev-val-ocsp.p7s",
    "dss-cades/validation/cades-broken-sig-tst-and-ats-v3.cms",
}
# Archive timestamp disagreements analysed by hand: file -> why.
ATS_KNOWN = {}
# The signing-certificate attribute (ESS) of every signature and timestamp
# token of the compared files must check "ok" (or be absent), except in
# these files: file -> why. RFC 5035 §5.4: only the first ESSCertID names
# the signer; PostSignum's TSA tokens (dss-1401/sig_with_atsv2.p7s) list
# their CA second without carrying it, which OpenSSL's own check refused.
ESS_FAILED = {
    "dss-cades/validation/cms-wrong-sign-cert-ref.p7m":
        "its signature timestamp token names another certificate first "
        "(and its signature value fails): built to be wrong",
}

problems = []          # unexplained disagreements and harness failures
skipped = Counter()


def pick(rows):
    """Selected files: path -> expected, or skip reasons counted."""
    by_file = defaultdict(set)
    for r in rows:
        if r["role"] != "signed_document":
            continue
        f = r["file"]
        if not f.startswith("dss-cades/"):
            continue
        if f.rsplit(".", 1)[-1].lower() not in CMS_EXT:
            continue
        by_file[f].add(r["expected"])
    sel = {}
    for f, exps in sorted(by_file.items()):
        if len(exps) != 1:
            skipped["rows disagree on expected"] += 1
        elif not os.path.isfile(os.path.join(files_dir, f)):
            skipped["file not in corpus"] += 1
        else:
            sel[f] = exps.pop()
    return sel


with open(os.path.join(dss, "EXPECTED.tsv"), newline="") as fh:
    selected = pick(csv.DictReader(fh, delimiter="\t"))

# Run tteaudit over the selected files, a batch at a time.
lines = defaultdict(list)
names = sorted(selected)
for i in range(0, len(names), BATCH):
    batch = names[i:i + BATCH]
    args = [os.path.join(files_dir, f) for f in batch]
    p = subprocess.run([bin_path, "verify", "--policy", "crypto-only", "--format", "json",
                        "--no-progress", *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode < 0:
        problems.append("tteaudit died by signal %s on the batch from %s"
                        % (signal.Signals(-p.returncode).name, batch[0]))
    elif p.returncode not in (0, 1):
        problems.append("tteaudit exit status %d on the batch from %s: %s"
                        % (p.returncode, batch[0],
                           p.stderr.decode(errors="replace").strip()[-300:]))
    back = {os.path.normpath(a): f for a, f in zip(args, batch)}
    for raw in p.stdout.decode(errors="replace").splitlines():
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw)
            key = back.get(os.path.normpath(doc["path"]))
        except (ValueError, KeyError, TypeError):
            problems.append("not a JSON result line: %.200s" % raw)
            continue
        if key is None:
            problems.append("result for a path not asked for: %s"
                            % doc.get("path"))
            continue
        lines[key].append(doc)


def sig_ok(s):
    c = s.get("checks") or {}
    return c.get("digest") == "ok" and c.get("signature_value") == "ok"


def judge(expected, doc):
    """(compared, agrees, what we said); compared False: skip reason."""
    sigs = doc.get("signatures") or []
    ind = doc.get("indication")
    if expected not in ("CRYPTO_VALID", "CRYPTO_INVALID", "BLEVEL_INVALID",
                        "MIXED_MULTISIG", "NO_SIGNATURE"):
        return False, "expected %s: not comparable" % expected, None
    if any((s.get("checks") or {}).get("content_found") == "failed"
           for s in sigs):
        return False, "detached content not paired", None
    if doc.get("format") != "cms":
        return True, False, "sniffed as %s" % doc.get("format")
    oks = [sig_ok(s) for s in sigs]
    all_ok = bool(sigs) and all(oks)
    if expected == "CRYPTO_VALID":
        agree = all_ok
    elif expected == "CRYPTO_INVALID":
        agree = not all_ok and ind != "TOTAL-PASSED"
    elif expected == "BLEVEL_INVALID":
        agree = ind != "TOTAL-PASSED"
    elif expected == "MIXED_MULTISIG":
        agree = any(oks) and not all(oks)
    else:
        agree = not any(s.get("indication") == "TOTAL-PASSED" for s in sigs)
    said = "%s/%s, %d signature(s), digest/signature_value %s" % (
        ind, doc.get("subindication"), len(sigs),
        " ".join("%s/%s" % ((s.get("checks") or {}).get("digest"),
                            (s.get("checks") or {}).get("signature_value"))
                 for s in sigs) or "-")
    return True, agree, said


ats_n = Counter()     # compared, agree, imprint, index, known


def check_archive(f, doc):
    """Our archive timestamps of f against what DSS's test asserts."""
    if f in ATS_NOT_ASSERTED:
        return
    for s in doc.get("signatures") or []:
        for a in s.get("archive_timestamps") or []:
            c = a.get("checks") or {}
            checks = [("message_imprint", ATS_IMPRINT.get(f, "ok"))]
            if f in ATS_INDEX_FAILED and "hash_index" in c:
                checks.append(("hash_index", "failed"))
            for what, want in checks:
                ats_n["compared"] += 1
                ats_n[what] += 1
                got = c.get(what)
                key = "%s %s %s" % (f, a.get("id"), what)
                if got == want and key in ATS_KNOWN:
                    problems.append("%s: now agrees with DSS, remove from "
                                    "ATS_KNOWN" % key)
                elif got == want:
                    ats_n["agree"] += 1
                elif key in ATS_KNOWN:
                    ats_n["known"] += 1
                    print("known: %s: DSS %s, we %s -- %s"
                          % (key, want, got, ATS_KNOWN[key]))
                else:
                    problems.append("%s: DSS %s, we %s (%s: %s)" % (
                        key, want, got, a.get("form"),
                        (a.get("reasons") or ["-"])[0]))


compared = agree_n = known_n = 0
for f in names:
    got = lines.get(f, [])
    if len(got) != 1:
        problems.append("%s: %d result lines, want 1" % (f, len(got)))
        continue
    doc = got[0]
    ok, agree, said = judge(selected[f], doc)
    if not ok:
        skipped[agree] += 1
        if f in KNOWN:
            print("note: known disagreement %s was not compared (%s)"
                  % (f, agree))
        continue
    compared += 1
    check_archive(f, doc)
    ess_failed = [o.get("id") or s.get("id")
                  for s in doc.get("signatures") or []
                  for o in [s, s.get("timestamp") or {}] +
                  (s.get("archive_timestamps") or [])
                  if (o.get("checks") or {}).get(
                      "signing_certificate_attribute") == "failed"]
    if ess_failed and f not in ESS_FAILED:
        problems.append("%s: signing-certificate attribute failed in %s"
                        % (f, ess_failed))
    elif not ess_failed and f in ESS_FAILED:
        problems.append("%s: signing-certificate attributes all check now, "
                        "remove from ESS_FAILED" % f)
    if agree and f in KNOWN:
        problems.append("%s: now agrees with DSS (%s), remove from the "
                        "list" % (f, selected[f]))
    elif agree:
        agree_n += 1
    elif f in KNOWN:
        known_n += 1
        print("known: %s: DSS %s, we %s -- %s"
              % (f, selected[f], said, KNOWN[f]))
    else:
        reasons = [r for s in doc.get("signatures") or []
                   for r in (s.get("reasons") or [])[:2]]
        problems.append("%s: DSS %s, we %s; errors %s; reasons %s"
                        % (f, selected[f], said, doc.get("errors"),
                           reasons[:3]))
for f in sorted(set(KNOWN) - set(selected)):
    print("note: known disagreement %s is not among the selected files" % f)

for p in problems:
    print("FAIL: " + p)
why = ", ".join("%d %s" % (n, r) for r, n in sorted(skipped.items()))
print("corpus_dss_cms: %d compared, %d agree, %d known disagreements, "
      "%d skipped (%s)" % (compared, agree_n, known_n,
                           sum(skipped.values()), why or "none"))
print("corpus_dss_cms: archive timestamps: %d checks compared (%d message "
      "imprints, %d hash indexes), %d agree, %d known disagreements"
      % (ats_n["compared"], ats_n["message_imprint"], ats_n["hash_index"],
         ats_n["agree"], ats_n["known"]))
sys.exit(1 if problems else 0)
EOF
