#!/usr/bin/env bash
# pdfsig_agreement_test.sh - on every PDF fixture, valid or attacked,
# tteaudit and poppler's pdfsig agree whether each signature's bytes
# verify: "Signature is Valid" exactly where our digest and signature
# value checks are "ok". (They differ on the verdict for the attacks,
# which pdfsig calls valid: that is the modification analysis, not the
# bytes.) Document timestamps are ours alone: poppler 22 cannot check
# them ("unknown" type).
set -u
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures
if ! command -v pdfsig >/dev/null 2>&1; then
	echo "pdfsig_agreement_test: SKIPPED (pdfsig not installed)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
while IFS=$'\t' read -r file _; do
	case "$file" in
	pdf/* | pdf-attack/*) files+=("$fx/docs/$file") ;;
	esac
done <fixtures/expected.tsv
for f in "${files[@]}"; do
	pdfsig -nocert "$f" >"$tmp/$(basename "$f").pdfsig" 2>/dev/null
done
"$bin" verify --policy crypto-only --format json "${files[@]}" >"$tmp/ours.jsonl" 2>/dev/null
python3 - "$tmp" <<'PY'
import json, os, re, sys
tmp = sys.argv[1]
fails = compared = 0
for line in open(os.path.join(tmp, "ours.jsonl")):
    doc = json.loads(line)
    name = os.path.basename(doc["path"])
    text = open(os.path.join(tmp, name + ".pdfsig")).read()
    theirs = {}
    for block in re.split(r"\nSignature #\d+:\n", "\n" + text)[1:]:
        field = re.search(r"Signature Field Name: (.*)", block).group(1)
        theirs[field] = "Signature is Valid." in block
    for s in doc["signatures"]:
        if s["kind"] != "signature":
            continue
        compared += 1
        ours = (s["checks"]["digest"] == "ok" and
                s["checks"]["signature_value"] == "ok")
        if s["field"] not in theirs:
            print("FAIL: %s: pdfsig does not list field %s" % (name, s["field"]))
            fails += 1
        elif theirs[s["field"]] != ours:
            print("FAIL: %s field %s: pdfsig valid=%s, tteaudit valid=%s"
                  % (name, s["field"], theirs[s["field"]], ours))
            fails += 1
print("pdfsig_agreement: %d signatures compared, %d disagree" % (compared, fails))
sys.exit(1 if fails or compared == 0 else 0)
PY
