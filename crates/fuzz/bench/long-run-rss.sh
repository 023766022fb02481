#!/usr/bin/env bash
# Memory over a long campaign: runs `bulwark fuzz` on a Daedaluzz maze and
# samples the fuzzer process's resident set (VmRSS, excluding the solc-js
# child that compiles first) every INTERVAL seconds.
#
#   crates/fuzz/bench/long-run-rss.sh MAZE.sol [SECONDS] [INTERVAL]
set -euo pipefail
MAZE=$1
BUDGET=${2:-1200}
INTERVAL=${3:-60}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BULWARK=${BULWARK:-$ROOT/target/release/bulwark}
export BULWARK_SOLCJS_DIRS="$ROOT/tools/solcjs"
OUT=$(mktemp /tmp/bulwark-rss.XXXXXX)
"$BULWARK" fuzz "$MAZE" --contract Maze --workers 1 --time "${BUDGET}s" --seed 1 --quiet > "$OUT" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep "$INTERVAL"
  rss=$(grep -E '^VmRSS' "/proc/$pid/status" 2>/dev/null | awk '{print $2}') || true
  hwm=$(grep -E '^VmHWM' "/proc/$pid/status" 2>/dev/null | awk '{print $2}') || true
  [ -n "$rss" ] && echo "t=$(( $(date +%s) - start ))s VmRSS=${rss}kB VmHWM=${hwm}kB"
done
wait "$pid" || true
grep -E 'calls in' "$OUT" | head -1
echo "failures: $(grep -c '^  FAILED' "$OUT")"
rm -f "$OUT"
