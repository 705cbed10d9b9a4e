#!/usr/bin/env bash
# corpus_sweep_test.sh - every file of the public corpora (PDFs, CMS, XML,
# ASiC, certificates, broken and hostile files alike) goes through
# `tteaudit verify` without a crash, a hang or a sanitizer report, and
# gets exactly one result line. Nothing here is a verdict check: the
# corpus_*_test.sh files do that where outcomes are known.
set -u
build=${BUILD:-build}
bin=$build/tteaudit
corpora=${TTE_CORPORA:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)/../shared/corpora}
if [ ! -d "$corpora" ]; then
	echo "corpus_sweep_test: SKIPPED (no ../shared/corpora)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
for dir in dss/files pyhanko/test_data pyhanko/certvalidator_fixtures \
	xmlsec/tests x509-limbo; do
	[ -d "$corpora/$dir" ] || continue
	start=$(date +%s)
	timeout 600 "$bin" verify --policy crypto-only --format json --no-progress "$corpora/$dir" \
		>"$tmp/out.jsonl" 2>"$tmp/err"
	rc=$?
	secs=$(($(date +%s) - start))
	# 2 is "nothing could be read": a folder of certificates or XML.
	if [ "$rc" -gt 2 ]; then
		echo "FAIL: $dir: exit status $rc"
		tail -5 "$tmp/err"
		fails=$((fails + 1))
		continue
	fi
	if grep -qE "runtime error|AddressSanitizer|LeakSanitizer" "$tmp/err"; then
		echo "FAIL: $dir: sanitizer report"
		grep -m3 -E "runtime error|AddressSanitizer|LeakSanitizer" "$tmp/err"
		fails=$((fails + 1))
		continue
	fi
	files=$(find "$corpora/$dir" -type f | wc -l)
	lines=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line)
    n += 1
print(n)' "$tmp/out.jsonl") || { echo "FAIL: $dir: invalid JSON"; fails=$((fails + 1)); continue; }
	echo "corpus_sweep: $dir: $files files, $lines results, ${secs}s"
	# Archives add documents and detached content pairs remove some, so
	# the counts differ a little; a large gap means files were lost.
	if [ "$lines" -lt $((files * 9 / 10)) ]; then
		echo "FAIL: $dir: only $lines results for $files files"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ]
