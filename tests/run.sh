#!/usr/bin/env bash
# Runs every unit test binary, every end-to-end script and every fuzzing
# harness over its corpus (tests/fuzz); prints one
# "N passed, N failed" line at the end. $1 (optional) selects tests whose
# name contains it. BUILD names the build folder (build or build-san).
set -u
build=${BUILD:-build}
export TTE_FIXTURES=${TTE_FIXTURES:-$build/fixtures}
# Known leaks inside OpenSSL itself, each explained in the file.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
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
	case "$t" in
	# The suppressed OpenSSL leak (tests/lsan.supp) is only seen with
	# full stacks through libcrypto, which has no frame pointers.
	*/limbo_test) run_one "$(basename "$t")" \
		env ASAN_OPTIONS=fast_unwind_on_malloc=0 "$t" ;;
	*) run_one "$(basename "$t")" "$t" ;;
	esac
done
for t in $(find tests/e2e -name '*_test.sh' | sort); do
	run_one "$(basename "$t" .sh)" env BUILD="$build" bash "$t"
done
# Fuzzing corpora and the reproducers of fixed bugs (tests/fuzz, replay.c).
for t in $(find "$build/tests/fuzz" -type f -name '*_replay' 2>/dev/null | sort); do
	n=$(basename "$t" _replay)
	# Full stacks, as for limbo_test: fuzzed certificates reach the
	# suppressed OpenSSL leak.
	run_one "${n}_replay" env ASAN_OPTIONS=fast_unwind_on_malloc=0 \
		"$t" "tests/fuzz/corpus/$n" "tests/fuzz/regress/$n"
done

echo
for n in "${failed_names[@]}"; do echo "FAILED: $n"; done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
