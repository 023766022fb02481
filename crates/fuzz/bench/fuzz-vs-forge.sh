#!/usr/bin/env bash
# Side-by-side benchmark of `bulwark fuzz` and `forge test` invariant runs on
# the same Foundry-style harnesses (crates/fuzz/bench/harnesses wrapping the
# planted-bug fixtures). Both run single-threaded (--workers 1 / -j 1).
#
#   crates/fuzz/bench/fuzz-vs-forge.sh [RUNS] [DEPTH] [BUG_BUDGET_SECONDS]
#
# Needs: target/release/bulwark (cargo build --release -p bulwark-cli),
# tools/forge (npm ci --prefix tools/forge), tools/solcjs (npm ci --prefix
# tools/solcjs). Prints one line per measurement.
set -euo pipefail
RUNS=${1:-256}
DEPTH=${2:-100}
BUG_BUDGET=${3:-60}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BULWARK=${BULWARK:-$ROOT/target/release/bulwark}
FORGE=${FORGE:-$ROOT/tools/forge/node_modules/@foundry-rs/forge-linux-amd64/bin/forge}
SOLCJS=${SOLCJS:-$ROOT/tools/solcjs/node_modules/solc-0.8.37}
WORK=$(mktemp -d /tmp/bulwark-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/src" "$WORK/test"
cp "$ROOT"/crates/fuzz/tests/fixtures/{StateMachine,Vesting,Control}.sol "$WORK/src/"
cp "$ROOT"/crates/fuzz/bench/harnesses/*.t.sol "$WORK/test/"
cp "$ROOT/crates/fuzz/tests/fixtures/MultiSender.sol" "$WORK/test/MultiSender.t.sol"
printf '#!/bin/sh\nexec node "%s" "%s" "$@"\n' "$ROOT/crates/fuzz/src/compiler/bulwark-solc.js" "$SOLCJS" > "$WORK/solc"
chmod +x "$WORK/solc"
write_toml() { # runs depth timeout
  cat > "$WORK/foundry.toml" <<TOML
[profile.default]
src = "src"
test = "test"
out = "out"
solc = "$WORK/solc"
offline = true

[invariant]
runs = $1
depth = $2
fail_on_revert = false
TOML
  # timeout = 0 would stop forge at once: only set it for the bug runs.
  if [ "$3" -gt 0 ]; then echo "timeout = $3" >> "$WORK/foundry.toml"; fi
}
write_toml "$RUNS" "$DEPTH" 0
(cd "$WORK" && "$FORGE" build --offline >/dev/null)
export BULWARK_SOLCJS_DIRS="$ROOT/tools/solcjs"

echo "# calls/s: Control harness (nothing breaks), runs=$RUNS depth=$DEPTH, 1 thread each"
start=$(date +%s.%N)
forge_out=$(cd "$WORK" && "$FORGE" test --offline -j 1 --match-contract ControlInvariants 2>&1 || true)
end=$(date +%s.%N)
forge_calls=$(echo "$forge_out" | grep -o 'calls: [0-9]*' | awk '{s+=$2} END {print s}')
forge_secs=$(echo "$end - $start" | bc)
echo "forge:   $forge_calls calls in ${forge_secs}s wall (2 invariants, each its own campaign) => $(echo "$forge_calls / $forge_secs" | bc) calls/s"
bw_out=$("$BULWARK" fuzz "$WORK/test/Control.t.sol" --contract ControlInvariants --runs "$((RUNS * 2))" --seq-len "$((DEPTH * 2))" --workers 1 --seed 1 --quiet 2>/dev/null || true)
echo "bulwark: $(echo "$bw_out" | head -1)"

echo "# bugs: each harness, budget ${BUG_BUDGET}s per tool"
write_toml 100000 "$DEPTH" "$BUG_BUDGET"
for pair in StateMachineInvariants:StateMachine.t.sol VestingInvariants:Vesting.t.sol MultiSenderInvariants:MultiSender.t.sol; do
  contract=${pair%%:*}; file=${pair##*:}
  start=$(date +%s.%N)
  forge_out=$(cd "$WORK" && "$FORGE" test --offline -j 1 --match-contract "$contract" 2>&1 || true)
  end=$(date +%s.%N)
  verdict=$(echo "$forge_out" | grep -oE '^\[(PASS|FAIL)[^]]*\]' | head -1)
  echo "forge   $contract: ${verdict:-?} after $(echo "$end - $start" | bc)s"
  start=$(date +%s.%N)
  bw_out=$("$BULWARK" fuzz "$WORK/test/$file" --contract "$contract" --time "${BUG_BUDGET}s" --workers 1 --seed 1 --quiet 2>/dev/null || true)
  end=$(date +%s.%N)
  echo "bulwark $contract: $(echo "$bw_out" | grep -cE '^  FAILED') failed after $(echo "$end - $start" | bc)s; $(echo "$bw_out" | head -1)"
done
