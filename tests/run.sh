#!/usr/bin/env bash
# Runs every unit test binary and every end-to-end script; prints one
# "N passed, N failed" line at the end. $1 (optional) selects tests whose
# name contains it. BUILD names the build folder (build or build-san).
set -u
build=${BUILD:-build}
export TTE_FIXTURES=${TTE_FIXTURES:-$build/fixtures}
filter=${1:-}
passed=0
failed=0
failed_names=()

run_one() {
	local name=$1; shift
	if [ -n "$filter" ] && [[ "$name" != *"$filter"* ]]; then
		return
	fi
	echo "== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
}

for t in $(find "$build/tests/unit" -type f -name '*_test' | sort); do
	run_one "$(basename "$t")" "$t"
done
for t in $(find tests/e2e -name '*_test.sh' | sort); do
	run_one "$(basename "$t" .sh)" env BUILD="$build" bash "$t"
done

echo
for n in "${failed_names[@]}"; do echo "FAILED: $n"; done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
