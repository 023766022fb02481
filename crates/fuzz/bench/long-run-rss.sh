#!/usr/bin/env bash
# Memory over a long campaign: runs `bulwark fuzz` on a Daedaluzz maze and
# samples the fuzzer process's resident set (VmRSS, excluding the solc-js
# child that compiles first) every INTERVAL seconds. Also prints the number
# of distinct assertion violations (findings of the JSON report) at the end,
# so one run gives both the memory curve and the maze score.
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
JSON=$(mktemp /tmp/bulwark-rss-json.XXXXXX)
"$BULWARK" fuzz "$MAZE" --contract Maze --workers 1 --time "${BUDGET}s" --seed 1 --quiet \
  --format json -o "$JSON" > "$OUT" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep "$INTERVAL"
  rss=$(grep -E '^VmRSS' "/proc/$pid/status" 2>/dev/null | awk '{print $2}') || true
  hwm=$(grep -E '^VmHWM' "/proc/$pid/status" 2>/dev/null | awk '{print $2}') || true
  [ -n "$rss" ] && echo "t=$(( $(date +%s) - start ))s VmRSS=${rss}kB VmHWM=${hwm}kB load=$(cut -d' ' -f1-3 /proc/loadavg)"
done
wait "$pid" || true
grep -E 'calls in' "$OUT" | head -1
echo "distinct assertion violations: $(python3 -c "import json; print(len(json.load(open('$JSON'))['findings']))")"
rm -f "$OUT" "$JSON"
