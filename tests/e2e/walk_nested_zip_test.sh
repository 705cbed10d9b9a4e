#!/usr/bin/env bash
# walk_nested_zip_test.sh - documents inside a zip inside a zip are found and
# named archive!inner!file (DESIGN.md), and content paired with a detached
# signature inside an archive is used, not reported.
#
# Runs tteaudit verify --format json on $BUILD/fixtures/docs/nested only
# (outer.zip holding inner.zip holding valid-ec256-ts.p7m, deep.txt and
# deep.txt.p7s) and wants exactly two documents,
#   .../nested/outer.zip!inner.zip!valid-ec256-ts.p7m
#   .../nested/outer.zip!inner.zip!deep.txt.p7s
# both TOTAL-PASSED, and exit status 0. BUILD defaults to build.
set -u

build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures

if [ ! -x "$bin" ]; then
	echo "walk_nested_zip_test: $bin is not built" >&2
	exit 1
fi
if [ ! -f "$fx/AT" ] || [ ! -f "$fx/docs/nested/outer.zip" ]; then
	echo "walk_nested_zip_test: no fixtures in $fx (make fixtures)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" verify --policy crypto-only --trust "$fx/pki/trust/root.pem" --crl "$fx/pki/crl" \
	--at "$(cat "$fx/AT")" --format json "$fx/docs/nested" \
	>"$tmp/out.jsonl" 2>"$tmp/err"
status=$?

python3 - "$tmp/out.jsonl" "$fx/docs/nested" "$status" "$tmp/err" <<'EOF'
import json, os, sys

out_path, nested_arg, status, err_path = sys.argv[1:5]
status = int(status)
WANT = ["outer.zip!inner.zip!deep.txt.p7s",
        "outer.zip!inner.zip!valid-ec256-ts.p7m"]
bad = []


def strip_dir(path):
    for base in (nested_arg, os.path.normpath(nested_arg),
                 os.path.abspath(nested_arg), os.path.realpath(nested_arg)):
        base = base.rstrip("/") + "/"
        if path.startswith(base):
            return path[len(base):]
    return path


got = {}
with open(out_path, encoding="utf-8", errors="replace") as f:
    for n, line in enumerate(f.read().splitlines(), 1):
        try:
            doc = json.loads(line)
        except ValueError as e:
            bad.append("line %d is not JSON (%s): %.120s" % (n, e, line))
            continue
        if not isinstance(doc, dict) or "path" not in doc:
            bad.append("line %d has no path: %.120s" % (n, line))
            continue
        got[strip_dir(str(doc["path"]))] = doc

if sorted(got) != WANT:
    bad.append("documents %s, want exactly %s" % (sorted(got), WANT))
for name in WANT:
    doc = got.get(name)
    if doc is None:
        continue
    if doc.get("indication") != "TOTAL-PASSED":
        reasons = [r for s in doc.get("signatures") or []
                   if isinstance(s, dict) for r in s.get("reasons") or []]
        bad.append("%s: %s %s, want TOTAL-PASSED; %s" % (
            name, doc.get("indication"), doc.get("subindication"),
            "; ".join(map(str, (doc.get("errors") or []) + reasons))))
if status != 0:
    bad.append("exit status %d, want 0" % status)
    with open(err_path, errors="replace") as f:
        err = f.read().strip()
    if err:
        bad.append("stderr: " + err[:2000])

for b in bad:
    print("walk_nested_zip_test: " + b)
sys.exit(1 if bad else 0)
EOF
