#!/usr/bin/env bash
# scripts/step.sh NAME CMD...: runs CMD as one named step of a build, with a
# header and a closing line that gives its wall time and whether it passed.
# Exits with CMD's status. With STEP_LOG set, also appends
# "NAME<TAB>SECONDS<TAB>STATUS" to that file (.ci/run's summary reads it).
set -uo pipefail

if [ "$#" -lt 2 ]; then
	echo "usage: $0 NAME CMD..." >&2
	exit 2
fi
name=$1
shift
echo "==> $name: $*"
t0=$(date +%s)
"$@"
rc=$?
dt=$(($(date +%s) - t0))
if [ "$rc" -eq 0 ]; then
	echo "<== $name: ok (${dt} s)"
else
	echo "<== $name: FAILED with status $rc (${dt} s)"
fi
if [ -n "${STEP_LOG:-}" ]; then
	printf '%s\t%s\t%s\n' "$name" "$dt" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED ($rc)")" >>"$STEP_LOG"
fi
exit "$rc"
