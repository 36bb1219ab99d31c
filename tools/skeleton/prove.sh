#!/usr/bin/env bash
# The tests of the tests (issue 18): for each stage NN, cut the skeleton
# of lab NN from this tree, build it, and grade it. It must pass every
# stage before NN, since it lacks only lab NN's parts, and fail stage NN,
# or the stage's scenarios do not check what lab NN asks the student to
# write. The reference itself passing every stage is make test's job.
#
#   tools/skeleton/prove.sh            every stage
#   STAGES="02 05" tools/skeleton/prove.sh
#
# Needs root (the grader does); CI runs it after make test.
set -uo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
all=$(ls -d testdata/[0-9][0-9]-* | sed 's|testdata/||; s|-.*||')
stages=${STAGES:-$all}
work=$(mktemp -d "${TMPDIR:-/tmp}/mini-skeletons.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=0
bad() { echo "FAIL: $*"; failed=1; }

for nn in $stages; do
	dir=$work/lab$nn
	if ! $GO run ./tools/skeleton -stage "$nn" -out "$dir" > "$work/cut.log" 2>&1; then
		cat "$work/cut.log"; bad "skeleton $nn: the cut failed"; continue
	fi
	if ! (cd "$dir" && $GO vet ./... && make build GO="$GO") > "$work/build.log" 2>&1; then
		cat "$work/build.log"; bad "skeleton $nn does not build"; continue
	fi
	for s in $all; do
		[ "$s" \> "$nn" ] && continue
		$GO run ./tools/grade -v -stage "$s" -mini "$dir/bin/mini" > "$work/grade.log" 2>&1
		status=$?
		score=$(tail -n 2 "$work/grade.log" | grep '^stage ' || tail -n 1 "$work/grade.log")
		if [ "$s" = "$nn" ]; then
			if [ $status -eq 0 ]; then bad "skeleton $nn passes stage $s, its own: $score"
			elif ! grep -q '^stage .*passed' "$work/grade.log"; then cat "$work/grade.log"; bad "skeleton $nn: the grader did not grade stage $s"
			else echo "ok: skeleton $nn fails stage $s, as it must: $score"; fi
		elif [ $status -ne 0 ]; then
			cat "$work/grade.log"; bad "skeleton $nn fails stage $s, before its own: $score" # the failed scenarios' logs
		else
			echo "ok: skeleton $nn passes stage $s: $score"
		fi
	done
	rm -rf "$dir"
done
exit $failed
