#!/bin/sh
# Stand-in for `bulwark audit --format json <file>` in the harness tests:
# prints the canned report <file>.findings.json (exit 1, as when findings
# reach --fail-on), or fails like a crashed analysis (exit 2).
if [ "$1" != "audit" ] || [ "$2" != "--format" ] || [ "$3" != "json" ]; then
    echo "fake-bulwark: unexpected arguments: $*" >&2
    exit 2
fi
if [ -f "$4.findings.json" ]; then
    cat "$4.findings.json"
    exit 1
fi
echo "error: $4: cannot analyse this file" >&2
exit 2
