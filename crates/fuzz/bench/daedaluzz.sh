#!/usr/bin/env bash
# Daedaluzz mazes: distinct assertion violations found by `bulwark fuzz`
# (maze-N.sol, assertion mode, 1 worker) and by `forge test` (the
# maze-N.foundry.sol variant, one invariant per bug, -j 1, the budget split
# evenly over its invariant campaigns) in the same time budget.
#
#   crates/fuzz/bench/daedaluzz.sh MAZE_DIR [SECONDS] [MAZES...]
#
# MAZE_DIR is ../shared/benchmarks/daedaluzz. Prints one line per run,
# including bulwark's peak RSS (GNU time).
set -euo pipefail
MAZES_DIR=$(cd "$1" && pwd)
BUDGET=${2:-300}
shift 2 || true
MAZES=${*:-0 1 2}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BULWARK=${BULWARK:-$ROOT/target/release/bulwark}
FORGE=${FORGE:-$ROOT/tools/forge/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}
SOLCJS=${SOLCJS:-$ROOT/tools/solcjs/node_modules/solc-0.8.37}
SKIP_FORGE=${SKIP_FORGE:-}
SKIP_BULWARK=${SKIP_BULWARK:-}
WORK=$(mktemp -d /tmp/bulwark-maze.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export BULWARK_SOLCJS_DIRS="$ROOT/tools/solcjs"

for n in $MAZES; do
  cp "$MAZES_DIR/maze-$n.sol" "$WORK/maze-$n.sol"
  if [ -z "$SKIP_BULWARK" ]; then
  out=$( { /usr/bin/time -f "RSS_KB %M" "$BULWARK" fuzz "$WORK/maze-$n.sol" --contract Maze --workers 1 \
      --time "${BUDGET}s" --seed 1 --quiet --format json -o "$WORK/maze-$n.json"; } 2>&1 || true)
  found=$(python3 -c "import json,sys; print(len(json.load(open('$WORK/maze-$n.json'))['findings']))")
  echo "bulwark maze-$n: $found distinct assertion violations in ${BUDGET}s; $(echo "$out" | grep -E 'calls in' | head -1); peak $(echo "$out" | grep RSS_KB) (includes the solc-js child)"
  fi

  if [ -z "$SKIP_FORGE" ]; then
    P="$WORK/forge-$n"
    mkdir -p "$P/test" "$P/src" "$P/lib/forge-std/src"
    cp "$MAZES_DIR/maze-$n.foundry.sol" "$P/test/Maze.t.sol"
    cp "$ROOT/crates/fuzz/bench/forge-std/Test.sol" "$P/lib/forge-std/src/Test.sol"
    printf '#!/bin/sh\nexec node "%s" "%s" "$@"\n' "$ROOT/crates/fuzz/src/compiler/bulwark-solc.js" "$SOLCJS" > "$P/solc"
    chmod +x "$P/solc"
    invariants=$(grep -c 'function invariant_' "$P/test/Maze.t.sol")
    per=$(( BUDGET / invariants )); [ "$per" -ge 1 ] || per=1
    cat > "$P/foundry.toml" <<TOML
[profile.default]
src = "src"
test = "test"
out = "out"
solc = "$P/solc"
offline = true
remappings = ["forge-std/=lib/forge-std/src/"]

[invariant]
runs = 1000000
depth = 100
fail_on_revert = false
timeout = $per
TOML
    (cd "$P" && "$FORGE" build --offline >/dev/null)
    start=$(date +%s)
    (cd "$P" && "$FORGE" test --offline -j 1 --json > "$P/result.json" 2>/dev/null || true)
    end=$(date +%s)
    failed=$(python3 -c "
import json
text = open('$P/result.json').read()
report = json.loads(text[text.index('{'):])
print(sum(r['status'] == 'Failure' for suite in report.values() for r in suite['test_results'].values()))")
    echo "forge   maze-$n: $failed distinct assertion violations ($invariants invariants x ${per}s each, $((end - start))s wall)"
  fi
done
