#!/usr/bin/env bash
# revocation_test.sh - offline revocation from every source (issue 4):
# OCSP responses instead of CRLs, CA-signed and delegated; the data the
# signature carries itself; and the bad kinds, each named in the reason:
# a stale response, a delegated responder without id-kp-OCSPSigning, a
# response and a CRL signed by the wrong key.
set -u
build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures
at=$(cat "$fx/AT")
p=$fx/pki
fails=0

# verdict WANT REASON_PART ARGS... : runs verify on the last argument
verdict() {
	local want=$1 part=$2
	shift 2
	local out
	out=$("$bin" verify --policy crypto-only --trust "$p/trust/root.pem" --at "$at" \
		--format json "$@" 2>/dev/null | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
reasons = [r for s in d["signatures"] for r in s["reasons"]]
print("%s/%s" % (d["indication"], d["subindication"]))
print(" | ".join(reasons))')
	local got=${out%%$'\n'*} why=${out#*$'\n'}
	if [ "$got" != "$want" ] || [[ "$why" != *"$part"* ]]; then
		echo "FAIL: ${*: -1}: want $want ($part), got $got: $why"
		fails=$((fails + 1))
	else
		echo "ok: $(basename "${*: -1}") $want"
	fi
}

c=$fx/docs/cms
# CA-signed OCSP responses alone (the root's CRL for the CA certificate).
ocsp=(--crl "$p/ocsp" --crl "$p/crl/root.crl")
verdict TOTAL-PASSED/None "verifies" "${ocsp[@]}" "$c/valid-rsa2048-ts.txt.p7s"
verdict TOTAL-FAILED/REVOKED "OCSP response" "${ocsp[@]}" "$c/revoked-before-ts.txt.p7s"
verdict TOTAL-PASSED/None "verifies" "${ocsp[@]}" "$c/revoked-after-ts.txt.p7s"
verdict INDETERMINATE/REVOKED_NO_POE "nothing proves" "${ocsp[@]}" "$c/revoked-nots.txt.p7s"
# A delegated responder with the EKU.
verdict TOTAL-PASSED/None "verifies" --crl "$p/ocsp/rsa2048-delegated.ocsp" \
	--crl "$p/ocsp/tsa.ocsp" --crl "$p/crl/root.crl" "$c/valid-rsa2048-ts.txt.p7s"
# A delegated responder without id-pkix-ocsp-nocheck: usable only with
# its issuer's CRL showing its own status (RFC 6960 §4.2.2.2.1).
verdict INDETERMINATE/TRY_LATER "nocheck" --crl "$p/ocsp-checked" \
	--crl "$p/ocsp/tsa.ocsp" --crl "$p/crl/root.crl" "$c/valid-rsa2048-ts.txt.p7s"
verdict TOTAL-PASSED/None "verifies" --crl "$p/ocsp-checked" \
	--crl "$p/crl" "$c/valid-rsa2048-ts.txt.p7s"
# The bad ones, one at a time (the TSA keeps good data).
bad() { # bad FILE WANT_PART
	verdict INDETERMINATE/TRY_LATER "$2" --crl "$1" --crl "$p/ocsp/tsa.ocsp" \
		--crl "$p/crl/root.crl" "$c/valid-rsa2048-ts.txt.p7s"
}
bad "$p/ocsp-bad/rsa2048-noeku.ocsp" "OCSPSigning"
bad "$p/ocsp-bad/rsa2048-wrongkey.ocsp" "rejected"
bad "$p/crl-bad/ca-wrongkey.crl" "does not verify"
verdict INDETERMINATE/TRY_LATER "before the best signature time" \
	--crl "$p/ocsp-bad/rsa2048-stale.ocsp" --crl "$p/crl/root.crl" \
	"$c/valid-rsa2048.pdf.p7s"
# Revocation data carried by the signature itself, no --crl at all.
verdict TOTAL-PASSED/None "verifies" "$p/revinfo/rsa2048.p7m"
[ "$fails" -eq 0 ]
