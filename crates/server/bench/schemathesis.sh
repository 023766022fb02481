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
# A free port unless one is given: a fixed one may be taken on a CI machine.
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

KEY=$("$BULWARK" serve --database "$WORK/b.db" --bootstrap-admin 2>/dev/null)
RUST_LOG=warn "$BULWARK" serve --database "$WORK/b.db" --listen 127.0.0.1:$PORT \
  --rate-per-sec 1000000 --rate-burst 1000000 >"$WORK/serve.log" 2>&1 &
SERVER=$!
# Up to 60 s for a debug build on a slow machine; say why when it never
# answers instead of failing later on an unrelated curl.
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
if ! curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; then
  echo "bulwark serve did not answer on port $PORT within 60 s; its log:" >&2
  cat "$WORK/serve.log" >&2
  exit 1
fi

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
