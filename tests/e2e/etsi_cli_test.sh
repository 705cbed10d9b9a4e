#!/usr/bin/env bash
# etsi_cli_test.sh - `tteaudit verify --format etsi` over every fixture
# document writes one ETSI TS 119 102-2 validation report that is valid
# against the ETSI schema (policy/etsi, checked with xmllint), with one
# SignatureValidationReport per signature (a document without one gets
# its own), and the same verdicts as --format json.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
schema=$here/../../policy/etsi/1910202xmlSchema.xsd
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures

if [ ! -x "$bin" ] || [ ! -f "$fx/policy/test-bsre.xml" ]; then
	echo "etsi_cli_test: build and fixtures needed (make fixtures)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(--policy "$fx/policy/test-bsre.xml" --crl "$fx/pki/crl"
	--at "$(cat "$fx/AT")" "$fx/docs")
"$bin" verify --format etsi "${args[@]}" >"$tmp/report.xml" 2>"$tmp/err"
"$bin" verify --format json "${args[@]}" >"$tmp/out.jsonl" 2>>"$tmp/err"
if ! xmllint --noout --nonet --schema "$schema" "$tmp/report.xml" \
	2>"$tmp/lint"; then
	echo "etsi_cli_test: the report is not valid:" >&2
	head -20 "$tmp/lint" >&2
	exit 1
fi
python3 - "$tmp/report.xml" "$tmp/out.jsonl" <<'PY'
import json, sys
import xml.etree.ElementTree as ET

VR = "{http://uri.etsi.org/19102/v1.2.1#}"
root = ET.parse(sys.argv[1]).getroot()
reports = root.findall(VR + "SignatureValidationReport")
want = []
for line in open(sys.argv[2]):
    d = json.loads(line)
    if d["signatures"]:
        want += [(s["indication"], s["subindication"]) for s in d["signatures"]]
    else:
        want.append((d["indication"], d["subindication"]))
got = []
for r in reports:
    st = r.find(VR + "SignatureValidationStatus")
    main = st.find(VR + "MainIndication").text.rsplit(":", 1)[1].upper()
    sub = st.find(VR + "SubIndication")
    got.append((main, sub.text.rsplit(":", 1)[1] if sub is not None
                else None))
if got != want:
    print("etsi_cli_test: %d reports, %d expected; first difference: %s" % (
        len(got), len(want),
        next((g, w) for g, w in zip(got + [None] * len(want),
                                    want + [None] * len(got)) if g != w)))
    sys.exit(1)
print("etsi_cli_test: %d signature reports, valid against the schema, "
      "verdicts as in JSON" % len(got))
PY
