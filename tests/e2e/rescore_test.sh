#!/usr/bin/env bash
# rescore_test.sh - `tteaudit rescore` over the facts `tteaudit verify
# --format facts` saved from every fixture document (issue 5: facts apart
# from judgement).
#
# BUILD names the build folder (default build): the binary is
# $BUILD/tteaudit, the fixtures $BUILD/fixtures (make fixtures). Checks:
#  1. rescoring with the policy and anchors verify used gives every
#     document the verdict verify gave (indication, sub-indication,
#     compliance, findings, each signature's verdict and constraint
#     outcomes), and the same exit status; for crypto-only and for the
#     test BSrE policy; rescored results say "source": "facts";
#  2. facts saved under one policy, rescored under another, give the
#     verdicts verify gives under that other policy (test-bsre facts
#     under crypto-only + --trust; crypto-only facts under test-bsre:
#     indications);
#  3. without the anchor (crypto-only, no --trust) no chain keeps its
#     trust: nothing passes, and the reason names the policy;
#  4. --at moves the validation time (a signature without timestamp is
#     out of bounds in 2100);
#  5. a line that cannot be read is reported with its number on stderr,
#     the other lines still judged, the exit status 1; nothing readable
#     or a bad policy is status 2.
set -u

build=${BUILD:-build}
bin=$build/tteaudit
fx=$build/fixtures

if [ ! -x "$bin" ]; then
	echo "rescore_test: $bin is not built" >&2
	exit 1
fi
if [ ! -f "$fx/AT" ] || [ ! -d "$fx/docs" ] || [ ! -f "$fx/policy/test-bsre.xml" ]; then
	echo "rescore_test: no fixtures in $fx (make fixtures)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
at=$(cat "$fx/AT")
trust=(--trust "$fx/pki/trust/root.pem")
fail=0

bad() {
	echo "rescore_test: $*"
	fail=1
}

# verify NAME POLICY FORMAT [extra args]: $tmp/NAME.FORMAT, status in
# $tmp/NAME.FORMAT.status
verify() {
	local name=$1 pol=$2 fmt=$3
	shift 3
	"$bin" verify --policy "$pol" "$@" --crl "$fx/pki/crl" --at "$at" \
		--format "$fmt" --no-progress "$fx/docs" \
		>"$tmp/$name.$fmt" 2>"$tmp/$name.$fmt.err"
	echo $? >"$tmp/$name.$fmt.status"
}

verify crypto crypto-only facts "${trust[@]}"
if [ "$(cat "$tmp/crypto.facts.status")" = 2 ]; then
	echo "rescore_test: verify --format facts failed:" >&2
	cat "$tmp/crypto.facts.err" >&2
	exit 1
fi
verify crypto crypto-only json "${trust[@]}"
verify bsre "$fx/policy/test-bsre.xml" facts
verify bsre "$fx/policy/test-bsre.xml" json

# rescore OUT FACTS [args]: $tmp/OUT.json, status in $tmp/OUT.status
rescore() {
	local out=$1 facts=$2
	shift 2
	"$bin" rescore "$@" --format json "$facts" >"$tmp/$out.json" \
		2>"$tmp/$out.err"
	echo $? >"$tmp/$out.status"
}

rescore same-crypto "$tmp/crypto.facts" --policy crypto-only "${trust[@]}"
rescore same-bsre "$tmp/bsre.facts" --policy "$fx/policy/test-bsre.xml"
rescore cross-crypto "$tmp/bsre.facts" --policy crypto-only "${trust[@]}"
rescore cross-bsre "$tmp/crypto.facts" --policy "$fx/policy/test-bsre.xml"
rescore untrusted "$tmp/crypto.facts" --policy crypto-only
rescore later "$tmp/crypto.facts" --policy crypto-only "${trust[@]}" \
	--at 2100-01-01T00:00:00Z

for s in same-crypto:crypto.json same-bsre:bsre.json; do
	r=${s%%:*}
	v=${s#*:}
	if [ "$(cat "$tmp/$r.status")" != "$(cat "$tmp/$v.status")" ]; then
		bad "$r: exit status $(cat "$tmp/$r.status"), verify gave" \
			"$(cat "$tmp/$v.status")"
	fi
done

python3 - "$tmp" <<'EOF' || fail=1
import json, sys

tmp = sys.argv[1]
bad = []


def load(name):
    docs = {}
    with open("%s/%s" % (tmp, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                d = json.loads(line)
            except ValueError as e:
                bad.append("%s line %d is not JSON: %s" % (name, n, e))
                continue
            docs[d["path"]] = d
    return docs


def sig_view(s, full):
    v = (s.get("id"), s.get("indication"), s.get("subindication"))
    if full:
        v += (tuple((c.get("id"), c.get("level"), c.get("status"))
                    for c in s.get("constraints") or []),)
    return v


def view(d, full):
    v = (d.get("indication"), d.get("subindication"))
    if full:
        v += (d.get("compliance"), tuple(d.get("findings") or []))
    return v + (tuple(sig_view(s, full) for s in d.get("signatures") or []),)


def same(what, want_name, got_name, full):
    want, got = load(want_name), load(got_name)
    if not want:
        bad.append("%s: %s is empty" % (what, want_name))
    for p in sorted(set(want) | set(got)):
        if p not in got:
            bad.append("%s: %s missing from the rescore" % (what, p))
        elif p not in want:
            bad.append("%s: %s not verified" % (what, p))
        elif (want[p].get("source"), got[p].get("source")) != (
                "document", "facts"):
            bad.append("%s: %s: source %r then %r, want document then "
                       "facts" % (what, p, want[p].get("source"),
                                  got[p].get("source")))
        elif view(want[p], full) != view(got[p], full):
            bad.append("%s: %s: verify %r, rescore %r" % (
                what, p, view(want[p], full), view(got[p], full)))
    return want, got


# 1. the same policy and anchors: the same verdicts, compliance included
same("same policy (crypto-only)", "crypto.json", "same-crypto.json", True)
same("same policy (test-bsre)", "bsre.json", "same-bsre.json", True)
# 2. another policy: what verify gives under it
same("test-bsre facts under crypto-only", "crypto.json",
     "cross-crypto.json", True)
want, got = same("crypto-only facts under test-bsre", "bsre.json",
                 "cross-bsre.json", False)
# the policies do differ on these fixtures
crypto = load("crypto.json")
if sum(1 for p in want if view(want[p], False) != view(crypto[p], False)) == 0:
    bad.append("test-bsre and crypto-only agree on every fixture: the "
               "cross check proves nothing")
# 3. no anchor: nothing passes, and the reason says why
untrusted = load("untrusted.json")
for p, d in untrusted.items():
    if d["indication"] == "TOTAL-PASSED":
        bad.append("untrusted: %s passed without an anchor" % p)
n_moved = 0
for p, d in crypto.items():
    if d["indication"] != "TOTAL-PASSED":
        continue
    u = untrusted.get(p, {})
    if u.get("subindication") != "NO_CERTIFICATE_CHAIN_FOUND":
        bad.append("untrusted: %s is %s/%s, want NO_CERTIFICATE_CHAIN_FOUND"
                   % (p, u.get("indication"), u.get("subindication")))
        continue
    n_moved += 1
    reasons = " ".join(r for s in u["signatures"] for r in s["reasons"])
    if "is not among the anchors of the policy 'crypto-only'" not in reasons:
        bad.append("untrusted: %s: no reason names the policy: %s"
                   % (p, reasons[:300]))
if n_moved < 5:
    bad.append("untrusted: only %d passing documents to check" % n_moved)
# 4. --at
later = load("later.json")
for p, d in later.items():
    if p.endswith("/cms/valid-rsa2048.pdf.p7s"):
        if (d["indication"], d["subindication"]) != (
                "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE"):
            bad.append("--at 2100: %s is %s/%s" % (
                p, d["indication"], d["subindication"]))
        break
else:
    bad.append("--at 2100: cms/valid-rsa2048.pdf.p7s not in the output")

for b in bad:
    print("rescore_test: " + b)
print("rescore_test: %d documents, %d problem(s)" % (len(crypto), len(bad)))
sys.exit(1 if bad else 0)
EOF

for r in untrusted later cross-bsre; do
	[ "$(cat "$tmp/$r.status")" = 1 ] ||
		bad "$r: exit status $(cat "$tmp/$r.status"), want 1"
done

# 5. unreadable lines, stdin, exit status 2
grep '"hash":' "$tmp/crypto.facts" | head -n 3 >"$tmp/signed.facts"
{
	head -n 2 "$tmp/signed.facts"
	echo 'not json'
	head -n 1 "$tmp/signed.facts" | sed 's/"hash":"[a-z-]*",//'
	sed -n 3p "$tmp/signed.facts"
} >"$tmp/mixed.facts"
"$bin" rescore --policy crypto-only "${trust[@]}" --format json - \
	<"$tmp/mixed.facts" >"$tmp/mixed.json" 2>"$tmp/mixed.err"
st=$?
[ "$st" = 1 ] || bad "mixed lines: exit status $st, want 1"
[ "$(wc -l <"$tmp/mixed.json")" = 3 ] ||
	bad "mixed lines: $(wc -l <"$tmp/mixed.json") results, want 3"
grep -q '^tteaudit rescore: (stdin):3: json: ' "$tmp/mixed.err" ||
	bad "mixed lines: no error for line 3: $(cat "$tmp/mixed.err")"
grep -q "^tteaudit rescore: (stdin):4: facts: 'signatures\[0\].hash' is missing" \
	"$tmp/mixed.err" ||
	bad "mixed lines: no error for line 4: $(cat "$tmp/mixed.err")"
: >"$tmp/empty.facts"
"$bin" rescore --policy crypto-only "$tmp/empty.facts" >/dev/null 2>&1
st=$?
[ "$st" = 2 ] || bad "empty facts: exit status $st, want 2"
"$bin" rescore --policy no-such-policy "$tmp/crypto.facts" >/dev/null 2>&1
st=$?
[ "$st" = 2 ] || bad "unknown policy: exit status $st, want 2"
"$bin" rescore --policy crypto-only >/dev/null 2>&1
st=$?
[ "$st" = 2 ] || bad "no FACTS file: exit status $st, want 2"
"$bin" rescore --policy crypto-only --at yesterday "$tmp/crypto.facts" \
	>/dev/null 2>&1
st=$?
[ "$st" = 2 ] || bad "bad --at: exit status $st, want 2"

if [ "$fail" = 0 ]; then
	echo "rescore_test: ok"
fi
exit "$fail"
