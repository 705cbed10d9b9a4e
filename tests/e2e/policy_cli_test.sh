#!/usr/bin/env bash
# policy_cli_test.sh - `tteaudit policy lint` and `tteaudit policy show`:
# the shipped policies lint clean, broken files get every problem with
# its line, exit statuses follow DESIGN.md, and show prints the rules.
set -u
build=${BUILD:-build}
bin=$build/tteaudit
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME WANT GOT
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: want '$2', got '$3'"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}

has() { # has NAME TEXT NEEDLE
	if ! grep -qF -- "$3" <<<"$2"; then
		echo "FAIL: $1: no '$3' in:"
		echo "$2"
		fails=$((fails + 1))
	else
		echo "ok: $1"
	fi
}

# The shipped policies are clean; crypto-only has no anchors and that is
# fine (--trust gives them).
out=$("$bin" policy lint policy/bsre-default.xml policy/crypto-only.xml)
check "shipped policies lint clean" "0:" "$?:$out"

# A schema problem and meaning problems, each with its line.
cat >"$tmp/bad.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Policy xmlns="urn:tteaudit:policy:1" name="broken">
  <TrustAnchors>
    <Certificate file="nowhere.pem"/>
    <Pin sha256="B5F36672FD7CFD401E01EF640B2FE61F816F32F447B280B76F536244CF42FCDF"/>
    <Pin sha256="b5f36672fd7cfd401e01ef640b2fe61f816f32f447b280b76f536244cf42fcdf"/>
  </TrustAnchors>
  <SignerPolicyOids level="FAIL">
    <Oid>1.99</Oid>
  </SignerPolicyOids>
  <AgreementWindow level="WARN" start="2023-02-29" years="4"/>
</Policy>
EOF
out=$("$bin" policy lint "$tmp/bad.xml")
check "broken policy gives 1" 1 $?
has "missing anchor file at line 4" "$out" \
	"$tmp/bad.xml:4: anchor file 'nowhere.pem': cannot open"
has "duplicate pin at line 6" "$out" "$tmp/bad.xml:6: trust anchor b5f36672"
has "bad OID at line 9" "$out" "$tmp/bad.xml:9: '1.99' is not an OID"
has "leap day at line 11" "$out" \
	"$tmp/bad.xml:11: start '2023-02-29' is not a date"
check "four problems" 4 "$(wc -l <<<"$out")"

sed 's/level="FAIL"/level="FATAL"/' "$tmp/bad.xml" >"$tmp/schema.xml"
out=$("$bin" policy lint "$tmp/schema.xml")
check "schema-invalid policy gives 1" 1 $?
has "bad level at line 8" "$out" "$tmp/schema.xml:8: Element 'SignerPolicyOids', attribute 'level'"

# Entities never expand: a DOCTYPE is refused where it stands.
printf '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaa">]>\n<Policy xmlns="urn:tteaudit:policy:1" name="x">&a;</Policy>\n' \
	>"$tmp/lol.xml"
out=$("$bin" policy lint "$tmp/lol.xml")
check "DOCTYPE gives 1" 1 $?
has "DOCTYPE refused at line 2" "$out" "$tmp/lol.xml:2: a DOCTYPE is not allowed"

# Usage and unreadable files give 2.
"$bin" policy >/dev/null 2>&1
check "no action gives 2" 2 $?
"$bin" policy frobnicate >/dev/null 2>&1
check "unknown action gives 2" 2 $?
"$bin" policy lint >/dev/null 2>&1
check "lint without FILE gives 2" 2 $?
"$bin" policy lint "$tmp/none.xml" >/dev/null 2>&1
check "lint of a missing file gives 2" 2 $?
"$bin" policy show no-such-policy >/dev/null 2>&1
check "show of an unknown name gives 2" 2 $?
"$bin" policy show "$tmp/bad.xml" >/dev/null 2>"$tmp/err"
check "show of a broken file gives 1" 1 $?
has "show names the first problem" "$(cat "$tmp/err")" "$tmp/bad.xml:4:"
"$bin" policy --help | grep -q "tteaudit policy lint FILE"
check "--help" 0 $?
"$bin" --help | grep -q "policy   lint or show a validation policy$"
check "summary line" 0 $?

# show: bsre-default by default, its anchors and key rules.
out=$("$bin" policy show)
check "show gives 0" 0 $?
has "show: name" "$out" "policy:      bsre-default"
has "show: legacy root" "$out" \
	"sha256  2178095b3cc0f6facb9e6f07feecee6327a89c6681af43ba95126b68867d02b2"
has "show: current root pin" "$out" "pin  Root CA Indonesia DS G1"
has "show: policy OIDs" "$out" \
	"signer.policy-oids                  FAIL   one of: 2.16.360.1.2.1.1, 2.16.360.1.1.1.3.11.2.0.1, 2.16.360.1.1.1.5.1.4.3"
has "show: B-T" "$out" "signature.level                     FAIL   at least B-T"
has "show: window" "$out" "agreement.window                    WARN   signed from 2021-08-31T16:00:00Z"
has "show: gap" "$out" "agreement.timestamp-gap             INFORM claimed signing time within 15 minutes"
out=$("$bin" policy show crypto-only)
has "show crypto-only: no anchors" "$out" "anchors:     none (give --trust)"
has "show crypto-only: OIDs not checked" "$out" \
	"signer.policy-oids                  IGNORE not checked"
out=$(cd "$tmp" && "$OLDPWD/$bin" policy show "$OLDPWD/policy/crypto-only.xml")
has "show by path" "$out" "policy:      crypto-only"

# TTEAUDIT_POLICY_DIR is where shipped names are looked up.
mkdir "$tmp/dir"
cp policy/tteaudit-policy.xsd "$tmp/dir/"
sed 's/name="crypto-only"/name="mine"/' policy/crypto-only.xml >"$tmp/dir/mine.xml"
out=$(TTEAUDIT_POLICY_DIR="$tmp/dir" "$bin" policy show mine)
has "TTEAUDIT_POLICY_DIR" "$out" "policy:      mine"

[ "$fails" -eq 0 ]
