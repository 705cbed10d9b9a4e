#!/usr/bin/env bash
# manifest_test.sh - tteaudit verify over every fixture document, compared
# with fixtures/expected.tsv (file, indication, subindication, statement,
# modifications).
#
# BUILD names the build folder (default build): the binary is
# $BUILD/tteaudit, the fixtures $BUILD/fixtures (make fixtures). Fails on:
# a verdict that differs from the manifest (one line per document, with its
# errors and its signatures' reasons), a manifest document missing from the
# output, an output document not in the manifest, a line that is not a JSON
# object with the DESIGN.md keys, or an exit status other than 1 (the
# fixtures mix verdicts, so at least one document is not TOTAL-PASSED).
# Where the statement column is not "-" it must equal the document's
# "statement"; where modifications is not "-" it must equal the first
# signature's "modifications_after" (a missing field is a mismatch).
#
# TTE_MANIFEST_SKIP_PDF=1 skips the rows whose file starts with "pdf"
# (docs/pdf, docs/pdf-attack) and ignores those documents in the output,
# while the verifier's PDF support is being written. Default: not skipped.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
manifest=$here/../../fixtures/expected.tsv
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures

if [ ! -x "$bin" ]; then
	echo "manifest_test: $bin is not built" >&2
	exit 1
fi
if [ ! -f "$fx/AT" ] || [ ! -d "$fx/docs" ]; then
	echo "manifest_test: no fixtures in $fx (make fixtures)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" verify --policy crypto-only --trust "$fx/pki/trust/root.pem" --crl "$fx/pki/crl" \
	--at "$(cat "$fx/AT")" --format json "$fx/docs" \
	>"$tmp/out.jsonl" 2>"$tmp/err"
status=$?

python3 - "$tmp/out.jsonl" "$manifest" "$fx/docs" "$status" "$tmp/err" \
	"${TTE_MANIFEST_SKIP_PDF:-0}" <<'EOF'
import json, os, sys

out_path, manifest_path, docs_arg, status, err_path, skip_pdf = sys.argv[1:7]
status = int(status)
skip_pdf = skip_pdf not in ("", "0")
KEYS = ("path", "format", "sha256", "indication", "signatures")
bad = []


def sub(v):
    """Sub-indication as in the manifest: none, empty or null is "-"."""
    return v if isinstance(v, str) and v else "-"


def strip_docs(path):
    """Display name relative to the docs folder, or None."""
    for base in (docs_arg, os.path.normpath(docs_arg),
                 os.path.abspath(docs_arg), os.path.realpath(docs_arg)):
        base = base.rstrip("/") + "/"
        if path.startswith(base):
            return path[len(base):]
    return None


def why(doc):
    """The document's errors and its signatures' reasons, on one line."""
    parts = []
    errs = doc.get("errors") or []
    if errs:
        parts.append("errors: " + "; ".join(map(str, errs)))
    for i, s in enumerate(doc.get("signatures") or []):
        if not isinstance(s, dict):
            continue
        rs = s.get("reasons") or []
        if rs:
            parts.append("signature %s reasons: %s" % (
                s.get("id", i), "; ".join(map(str, rs))))
    return " | ".join(parts) if parts else "(no errors or reasons given)"


def skipped(name):
    return skip_pdf and name.startswith("pdf")


want = {}
with open(manifest_path, encoding="utf-8") as f:
    rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
HEADER = ["file", "indication", "subindication", "statement", "modifications"]
if rows[0] != HEADER:
    sys.exit("manifest_test: bad manifest header %r" % rows[0])
nskipped = 0
for r in rows[1:]:
    if len(r) != len(HEADER):
        sys.exit("manifest_test: manifest row %r has %d fields" % (r, len(r)))
    if skipped(r[0]):
        nskipped += 1
        continue
    want[r[0]] = tuple(r[1:5])

got = {}
with open(out_path, "rb") as f:
    raw = f.read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    bad.append("output is not UTF-8: %s" % e)
    text = raw.decode("utf-8", "replace")
for n, line in enumerate(text.splitlines(), 1):
    try:
        doc = json.loads(line)
    except ValueError as e:
        bad.append("line %d is not JSON (%s): %.120s" % (n, e, line))
        continue
    if not isinstance(doc, dict):
        bad.append("line %d is not a JSON object: %.120s" % (n, line))
        continue
    missing = [k for k in KEYS if k not in doc]
    if missing:
        bad.append("line %d lacks %s: %.120s" % (n, ", ".join(missing), line))
        if "path" not in doc:
            continue
    if not isinstance(doc["signatures"], list):
        bad.append("line %d: signatures is not a list" % n)
    name = strip_docs(str(doc["path"]))
    if name is None:
        bad.append("line %d: path %r is not under %s" % (n, doc["path"],
                                                        docs_arg))
        continue
    if skipped(name):
        continue
    if name in got:
        bad.append("%s reported twice" % name)
    got[name] = doc


def first_mods(doc):
    """signatures[0]["modifications_after"], or None when missing."""
    sigs = doc.get("signatures")
    if isinstance(sigs, list) and sigs and isinstance(sigs[0], dict):
        v = sigs[0].get("modifications_after")
        return v if isinstance(v, str) else None
    return None


for name, (ind, si, stmt, mods) in want.items():
    doc = got.get(name)
    if doc is None:
        bad.append("MISSING %s (want %s %s): not in the output" % (
            name, ind, si))
        continue
    g = (doc.get("indication"), sub(doc.get("subindication")))
    diffs = []
    if g != (ind, si):
        diffs.append("want %s %s, got %s %s" % (ind, si, g[0], g[1]))
    if stmt != "-" and doc.get("statement") != stmt:
        diffs.append("want statement %s, got %s" % (
            stmt, doc.get("statement", "(missing)")))
    if mods != "-":
        m = first_mods(doc)
        if m != mods:
            diffs.append("want modifications_after %s, got %s" % (
                mods, m if m is not None else "(missing)"))
    if diffs:
        bad.append("MISMATCH %s: %s; %s" % (name, "; ".join(diffs),
                                            why(doc)))
for name in sorted(set(got) - set(want)):
    doc = got[name]
    bad.append("EXTRA %s (%s %s) is not in the manifest; %s" % (
        name, doc.get("indication"), sub(doc.get("subindication")), why(doc)))

if status != 1:
    bad.append("exit status %d, want 1 (mixed verdicts)" % status)
    with open(err_path, errors="replace") as f:
        err = f.read().strip()
    if err:
        bad.append("stderr: " + err[:2000])

for b in bad:
    print("manifest_test: " + b)
ok = len(want) - sum(1 for b in bad if b.startswith(("MISMATCH", "MISSING")))
print("manifest_test: %d of %d manifest documents as expected, %d problem(s)"
      % (ok, len(want), len(bad)) + (
          " (%d pdf rows skipped: TTE_MANIFEST_SKIP_PDF)" % nskipped
          if nskipped else ""))
sys.exit(1 if bad else 0)
EOF
