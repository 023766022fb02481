#!/usr/bin/env bash
# Load benchmark of `bulwark serve` on loopback (a benchmark, not a test).
#
# 1. Listing the findings of a 1,000-finding audit at high concurrency
#    (wrk: p50/p99 latency and requests/s).
# 2. /healthz latency while two audits of OpenZeppelin Contracts run at a
#    time (a queue of audits with two runners, kept busy for the run).
#
# Usage: crates/server/bench/load.sh [path/to/bulwark] [openzeppelin dir]
# Needs wrk (Debian package) and a release build of the CLI.
set -euo pipefail
BULWARK=${1:-target/release/bulwark}
OZ=${2:-../shared/corpora/openzeppelin-contracts}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18181}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

KEY=$("$BULWARK" serve --database "$WORK/b.db" --bootstrap-admin 2>/dev/null)
RUST_LOG=warn "$BULWARK" serve --database "$WORK/b.db" --listen 127.0.0.1:$PORT \
  --concurrency 2 --rate-per-sec 1000000000 --rate-burst 1000000000 >"$WORK/serve.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
AUTH="Authorization: Bearer $KEY"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

new_project() {
  curl -sf -X POST "$BASE/api/v1/projects" -H "$AUTH" -H 'content-type: application/json' -d "{\"name\":\"$1\"}" | json "['id']"
}
upload() { curl -sf -X POST "$BASE/api/v1/projects/$1/uploads" -H "$AUTH" --data-binary @"$2" | json "['id']"; }
start_audit() {
  curl -sf -X POST "$BASE/api/v1/projects/$1/audits" -H "$AUTH" -H 'content-type: application/json' -d "{\"fail_on\":\"none\"}" | json "['id']"
}
wait_audit() {
  while :; do
    status=$(curl -sf "$BASE/api/v1/audits/$1" -H "$AUTH" | json "['status']")
    case $status in succeeded|failed|cancelled) echo "$status"; return;; esac
    sleep 0.2
  done
}

# --- 1. a 1,000-finding audit: ten contracts of 100 functions authorising by tx.origin.
mkdir -p "$WORK/many/src"
for c in $(seq 0 9); do
  {
    echo "// SPDX-License-Identifier: MIT"
    echo "pragma solidity ^0.8.20;"
    echo "contract Many$c {"
    echo "    address owner;"
    echo "    uint256 public x;"
    for f in $(seq 0 99); do
      echo "    function f$f(uint256 v) public { require(tx.origin == owner); x = v; }"
    done
    echo "}"
  } >"$WORK/many/src/Many$c.sol"
done
tar czf "$WORK/many.tar.gz" -C "$WORK/many" .
P=$(new_project many)
upload "$P" "$WORK/many.tar.gz" >/dev/null
A=$(start_audit "$P")
echo "1,000-finding audit $A: $(wait_audit "$A"), $(curl -sf "$BASE/api/v1/audits/$A" -H "$AUTH" | json "['summary']['total_findings']") findings"

for LIMIT in 100 500; do
  echo "== GET /api/v1/audits/{id}/findings?limit=$LIMIT, $CONNECTIONS connections, 2 threads, $DURATION"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$BASE/api/v1/audits/$A/findings?limit=$LIMIT" |
    grep -E "Latency|50%|99%|Requests/sec|requests in|Non-2xx"
done
echo "== GET /api/v1/audits/{id}/findings?severity=high&status=open&limit=100"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$BASE/api/v1/audits/$A/findings?severity=high&status=open&limit=100" |
  grep -E "50%|99%|Requests/sec|Non-2xx"

# --- 2. health while two OpenZeppelin audits run at a time.
tar czf "$WORK/oz.tar.gz" -C "$OZ" .
O=$(new_project openzeppelin)
upload "$O" "$WORK/oz.tar.gz" >/dev/null
T0=$(date +%s.%N)
FIRST=$(start_audit "$O"); wait_audit "$FIRST" >/dev/null
T1=$(date +%s.%N)
echo "one OpenZeppelin audit alone (queue to finished, polled every 0.2 s): $(python3 -c "print(round($T1-$T0,2))") s"
AUDITS=()
for _ in $(seq 1 40); do AUDITS+=("$(start_audit "$O")"); done
echo "== GET /healthz, $CONNECTIONS connections, while 40 queued OpenZeppelin audits run two at a time"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/healthz" | grep -E "50%|99%|Requests/sec|Non-2xx"
done_count=0
for a in "${AUDITS[@]}"; do
  s=$(curl -sf "$BASE/api/v1/audits/$a" -H "$AUTH" | json "['status']")
  [ "$s" = succeeded ] && done_count=$((done_count + 1))
done
echo "audits finished during the health run: $done_count of ${#AUDITS[@]}"
for a in "${AUDITS[@]}"; do wait_audit "$a" >/dev/null; done
echo "OpenZeppelin findings per audit: $(curl -sf "$BASE/api/v1/audits/$FIRST" -H "$AUTH" | json "['summary']['total_findings']"), files analysed: $(curl -sf "$BASE/api/v1/audits/$FIRST" -H "$AUTH" | json "['summary']['files_analysed']")"
