#!/usr/bin/env bash
# policy_fixtures_test.sh - each policy fixture under the fixture policy
# (fixtures/policy/test-bsre.xml, copied by make fixtures next to the test
# PKI) and under the relaxed crypto-only policy, compared with
# fixtures/policy-expected.tsv: indication, sub-indication, compliance and
# the exact set of failed constraints (id:LEVEL). docs/policy holds one
# document per rule it breaks; the other rows show the agreement's rules
# (statement, annotations, unsigned) on the PDF fixtures.
#
# Also checks --strict: a document with findings only (otherorg) passes
# without it (exit 0) and counts as not passed with it (exit 1).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
table=$here/../../fixtures/policy-expected.tsv
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures

if [ ! -x "$bin" ] || [ ! -f "$fx/policy/test-bsre.xml" ]; then
	echo "policy_fixtures_test: build and fixtures needed (make fixtures)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t files < <(grep -v '^#' "$table" | tail -n +2 | cut -f1)
paths=()
for f in "${files[@]}"; do paths+=("$fx/docs/$f"); done
common=(--crl "$fx/pki/crl" --at "$(cat "$fx/AT")" --format json)
"$bin" verify --policy "$fx/policy/test-bsre.xml" "${common[@]}" \
	"${paths[@]}" >"$tmp/bsre.jsonl" 2>"$tmp/err"
"$bin" verify --policy crypto-only --trust "$fx/pki/trust/root.pem" \
	"${common[@]}" "${paths[@]}" >"$tmp/relaxed.jsonl" 2>>"$tmp/err"

python3 - "$table" "$tmp/bsre.jsonl" "$tmp/relaxed.jsonl" <<'PY' || exit 1
import json, sys

table, bsre, relaxed = sys.argv[1:4]


def outcomes(path):
    out = {}
    for line in open(path):
        d = json.loads(line)
        failed = {"%s:%s" % (c["id"], c["level"])
                  for s in d["signatures"] for c in s["constraints"]
                  if c["status"] == "FAILED"}
        failed |= {"%s:%s" % (c["id"], c["level"])
                   for c in d["constraints"] if c["status"] == "FAILED"}
        # Findings: every failed FAIL/WARN constraint of the document,
        # its signatures and their timestamps, and the verdict when the
        # document is not valid; nothing else.
        want = [c for s in d["signatures"] for c in s["constraints"]]
        want += [c for s in d["signatures"] if s["timestamp"]
                 for c in s["timestamp"]["constraints"]]
        want += d["constraints"]
        want = [c for c in want if c["status"] == "FAILED" and
                c["level"] in ("FAIL", "WARN")]
        want += [d["indication"]] if d["indication"] != "TOTAL-PASSED" else []
        if len(d["findings"]) != len(want):
            print("%s: %d findings for %s" % (d["path"], len(d["findings"]),
                                              want))
            sys.exit(1)
        name = d["path"].split("/docs/", 1)[1]
        out[name] = [d["indication"], d["subindication"] or "-",
                     d["compliance"], ",".join(sorted(failed)) or "-"]
    return out


got_b, got_r = outcomes(bsre), outcomes(relaxed)
rows = [l.rstrip("\n").split("\t") for l in open(table)
        if not l.startswith("#")][1:]
bad = 0
for r in rows:
    for label, got, want in (("test-bsre", got_b, r[1:5]),
                             ("crypto-only", got_r, r[5:9])):
        g = got.get(r[0])
        if g != want:
            print("MISMATCH %s under %s: got %s, want %s" % (r[0], label, g,
                                                             want))
            bad += 1
print("policy_fixtures: %d documents x 2 policies, %d mismatches" % (
    len(rows), bad))
sys.exit(1 if bad else 0)
PY

# --strict: findings alone change the exit status.
doc=$fx/docs/policy/otherorg-ts.txt.p7s
"$bin" verify --policy "$fx/policy/test-bsre.xml" -q "${common[@]}" "$doc" \
	>/dev/null
st=$?
"$bin" verify --policy "$fx/policy/test-bsre.xml" -q --strict \
	"${common[@]}" "$doc" >/dev/null
st_strict=$?
if [ "$st" != 0 ] || [ "$st_strict" != 1 ]; then
	echo "policy_fixtures: --strict: exit $st without, $st_strict with" \
		"(want 0 and 1)" >&2
	exit 1
fi
echo "policy_fixtures: --strict counts findings (exit 0 -> 1)"
