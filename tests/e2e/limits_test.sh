#!/usr/bin/env bash
# limits_test.sh - resource limits and interrupts (issue 6): a document
# over its memory or time budget is INDETERMINATE with the reason and the
# scan goes on; SIGINT and SIGTERM stop a run cleanly, with every JSON
# line whole and an exit status that says the run was incomplete.
set -u
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures
at=$(cat "$fx/AT")
trust=(--trust "$fx/pki/trust/root.pem" --crl "$fx/pki/crl" --at "$at")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME WANT GOT
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: want '$2', got '$3'"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}
summary() { # one line per document: name indication/sub budget-reason?
	python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    over = any("budget" in e for e in d["errors"])
    print("%s %s/%s%s" % (d["path"].rsplit("/", 1)[1], d["indication"],
                          d["subindication"], " budget" if over else ""))'
}

# A PDF whose page content inflates to 8 MiB, next to a small valid one.
mkdir -p "$tmp/in"
python3 - "$tmp/in/big.pdf" <<'PY'
import sys, zlib
content = b"0 0 m 1 1 l S\n" * (8 << 16)
data = zlib.compress(content, 9)
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data +
        b"\nendstream"]
out = bytearray(b"%PDF-1.7\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
    len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
cp "$fx/docs/pdf/one-sig.pdf" "$tmp/in/small.pdf"
got=$("$bin" verify --policy crypto-only "${trust[@]}" --format json --doc-memory-limit 4 \
	"$tmp/in" 2>/dev/null | summary | tr '\n' ' ')
check "memory budget stops one document, not the scan" \
	"big.pdf INDETERMINATE/FORMAT_FAILURE budget small.pdf TOTAL-PASSED/None " "$got"
got=$("$bin" verify --policy crypto-only "${trust[@]}" --format json --doc-time-limit 0.000001 \
	"$tmp/in/small.pdf" 2>/dev/null | summary)
check "time budget" "small.pdf INDETERMINATE/FORMAT_FAILURE budget" "$got"

# Interrupts: a long run (the fixtures, many times over) stopped early.
args=()
for _ in $(seq 200); do args+=("$fx/docs"); done
for sig in INT TERM; do
	"$bin" verify --policy crypto-only "${trust[@]}" --format json "${args[@]}" \
		>"$tmp/out.$sig" 2>/dev/null &
	pid=$!
	sleep 1
	kill -s "$sig" "$pid"
	wait "$pid"
	rc=$?
	want=$([ "$sig" = INT ] && echo 130 || echo 143)
	check "SIG$sig exit status" "$want" "$rc"
	lines=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line)      # a cut line would not parse
    n += 1
print("whole" if n > 0 else "empty")' "$tmp/out.$sig" 2>&1)
	check "SIG$sig output whole" "whole" "$lines"
done
[ "$fails" -eq 0 ]
