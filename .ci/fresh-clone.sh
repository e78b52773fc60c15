#!/usr/bin/env bash
# A city's first try: a clone with nothing beside it (no ../shared), installed from the local package store, started
# with the README's command, and every demo resource read through the commands the banner prints.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=''
cleanup() {
  # pnpm runs the gateway as its child: the whole process group is stopped.
  [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q "$src" "$work/sangam" || exit 1
cd "$work/sangam" || exit 1
[ -e ../shared ] && { echo "../shared exists beside the clone"; exit 1; }
pnpm install --offline --frozen-lockfile >install.log 2>&1 || { tail -20 install.log; exit 1; }
# The demo's clock starts 45 s before a quarter hour, so the bus occupancy's first 15-minute bucket ends during
# the check instead of up to 15 minutes later; every part of the gateway keeps that one clock.
epoch=$(node -e 'const q = 900e3; console.log(new Date(Math.ceil((Date.now() + 60e3) / q) * q - 45e3).toISOString())')
SANGAM_PORT=0 SANGAM_CLOCK_EPOCH="$epoch" setsid pnpm start >start.out 2>start.err &
pid=$!
node "$src/.ci/demo-check.mjs" start.err 240 "$pid"
status=$?
[ $status -eq 0 ] || { echo '--- stderr'; tail -40 start.err; echo '--- stdout'; tail -20 start.out; }
exit $status
