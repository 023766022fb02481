#!/bin/sh
# Stand-in for `bulwark audit --format json <file>` in the harness tests:
# prints the canned report <file>.findings.json and exits like bulwark (2
# when the report lists errors, else 1 as when findings reach --fail-on),
# or fails without a report (exit 2) when there is no canned report.
if [ "$1" != "audit" ] || [ "$2" != "--format" ] || [ "$3" != "json" ]; then
    echo "fake-bulwark: unexpected arguments: $*" >&2
    exit 2
fi
if [ -f "$4.findings.json" ]; then
    cat "$4.findings.json"
    if grep -q '"errors": \[{' "$4.findings.json"; then
        exit 2
    fi
    exit 1
fi
echo "error: $4: cannot analyse this file" >&2
exit 2
