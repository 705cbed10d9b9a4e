#!/usr/bin/env bash
# cli_test.sh - the command-line contract of DESIGN.md: exit statuses,
# JSON that stays valid for names that are not UTF-8, unreadable inputs
# reported per document, and inputs never written.
set -u
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures
at=$(cat "$fx/AT")
trust=(--trust "$fx/pki/trust/root.pem" --crl "$fx/pki/crl" --at "$at")
fails=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp"; rm -rf "$tmp"' EXIT

check() { # check NAME WANT GOT
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: want '$2', got '$3'"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}

# Exit 0: every document TOTAL-PASSED.
"$bin" verify --policy crypto-only "${trust[@]}" -q "$fx/docs/cms/valid-ec256-ts.p7m" >/dev/null
check "all valid gives 0" 0 $?
# Exit 1: at least one is not.
"$bin" verify --policy crypto-only "${trust[@]}" -q "$fx/docs/cms/valid-ec256-ts.p7m" \
	"$fx/docs/tamper/sig-flip.txt.p7s" >/dev/null
check "one invalid gives 1" 1 $?
# Exit 2: usage errors and nothing readable.
"$bin" verify --policy crypto-only >/dev/null 2>&1
check "no path gives 2" 2 $?
"$bin" verify --policy crypto-only --at yesterday "$fx/docs/cms" >/dev/null 2>&1
check "bad --at gives 2" 2 $?
"$bin" verify --policy crypto-only --format pdf "$fx/docs/cms" >/dev/null 2>&1
check "bad --format gives 2" 2 $?
"$bin" verify --policy crypto-only "${trust[@]}" "$tmp/does-not-exist" >/dev/null 2>&1
check "missing path gives 2" 2 $?
"$bin" verify --policy crypto-only --trust "$tmp/does-not-exist" "$fx/docs/cms" >/dev/null 2>&1
check "missing --trust gives 2" 2 $?
"$bin" nonsense >/dev/null 2>&1
check "unknown command gives 2" 2 $?

# A name that is not UTF-8 and a FIFO: valid JSON, one result each, no hang.
mkdir -p "$tmp/in"
cp "$fx/docs/cms/valid-ec256-ts.p7m" "$tmp/in/$(printf 'surat-\xff\xfe.p7m')"
mkfifo "$tmp/in/pipe.p7m"
printf 'garbage' >"$tmp/in/junk.p7s"
timeout 20 "$bin" verify --policy crypto-only "${trust[@]}" --format json "$tmp/in" >"$tmp/out.jsonl"
check "mixed folder gives 1" 1 $?
got=$(python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
by = {r["path"].rsplit("/", 1)[1]: r for r in rows}
out = []
out.append(str(len(rows)))
out.append(by["surat-\ufffd\ufffd.p7m"]["indication"])
out.append(by["pipe.p7m"]["subindication"])
out.append(by["junk.p7s"]["subindication"])
print(" ".join(out))
PY
)
check "json for odd names, FIFO and junk" \
	"3 TOTAL-PASSED FORMAT_FAILURE FORMAT_FAILURE" "$got"

# A PDF's DSS carries its own CRLs (PAdES B-LT): without --crl the LTA
# fixture still passes, the plain one has no revocation data (TRY_LATER).
got=$("$bin" verify --policy crypto-only --trust "$fx/pki/trust/root.pem" --at "$at" --format json \
	"$fx/docs/pdf/lta.pdf" "$fx/docs/pdf/one-sig.pdf" 2>/dev/null |
	python3 -c 'import json, sys
print(" ".join("%s/%s" % (d["indication"], d["subindication"])
	       for d in map(json.loads, sys.stdin)))')
check "DSS CRLs used, none given" \
	"TOTAL-PASSED/None INDETERMINATE/TRY_LATER" "$got"

# Never written: the whole input tree hashes the same before and after.
before=$(cd "$fx/docs" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
"$bin" verify --policy crypto-only "${trust[@]}" --format json "$fx/docs" >/dev/null
"$bin" verify --policy crypto-only "${trust[@]}" --format text "$fx/docs" >/dev/null 2>&1
after=$(cd "$fx/docs" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
check "inputs unchanged by a scan" "$before" "$after"

[ "$fails" -eq 0 ]
