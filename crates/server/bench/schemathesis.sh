#!/usr/bin/env bash
# Property-based fuzzing of the API against its own OpenAPI document with
# schemathesis (PyPI): no server error, no response outside the documented
# status codes, content types, headers and schemas.
#
# Usage: crates/server/bench/schemathesis.sh [path/to/bulwark] [max examples]
# Needs `pip install schemathesis` (tested with 4.32.5).
set -euo pipefail
BULWARK=${1:-target/release/bulwark}
EXAMPLES=${2:-100}
PORT=${PORT:-18282}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

KEY=$("$BULWARK" serve --database "$WORK/b.db" --bootstrap-admin 2>/dev/null)
RUST_LOG=warn "$BULWARK" serve --database "$WORK/b.db" --listen 127.0.0.1:$PORT \
  --rate-per-sec 1000000 --rate-burst 1000000 >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

# Real objects so that generated requests also reach existing resources.
AUTH="Authorization: Bearer $KEY"
P=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/projects" -H "$AUTH" -H 'content-type: application/json' -d '{"name":"fuzz"}')
echo "seed project: $P"

# The "coverage" phase is left out: on this machine's CPython 3.11.7 it
# stops with an interpreter-internal SystemError ("AST constructor recursion
# depth mismatch") inside hypothesis before sending a request.
st run "http://127.0.0.1:$PORT/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  -H "$AUTH" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" \
  --generation-deterministic \
  --phases examples,fuzzing,stateful \
  --workers 2 \
  --no-color
