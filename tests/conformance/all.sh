#!/usr/bin/env bash
# Runs the official conformance suite for both eras: directly against the C# fixture, then through
# the gateway with the fixture mounted at /mcp/conformance. The gateway must add no failures.
# The "|| status=1" after each pipeline needs pipefail: run.sh's exit code, not sed's.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
config="${CONFIGURATION:-Release}"
fixture_dll="$root/samples/Proctor.Samples.Conformance/bin/$config/net10.0/Proctor.Samples.Conformance.dll"
proctor_dll="$root/src/Proctor/bin/$config/net10.0/proctor.dll"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_port() { for _ in $(seq 1 150); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "nothing listened on port $1"; return 1; }

fixture_port=$(free_port)
dotnet "$fixture_dll" --urls "http://127.0.0.1:$fixture_port" >"$work/fixture.log" 2>&1 &
pids+=($!)
wait_port "$fixture_port" || { cat "$work/fixture.log"; exit 1; }

gateway_port=$(free_port)
cat >"$work/proctor.yaml" <<YAML
gateway:
  listen: "http://127.0.0.1:$gateway_port"
logging:
  level: "Warning"
upstreams:
  conformance:
    url: "http://127.0.0.1:$fixture_port/mcp"
    timeout: "30s"
YAML
dotnet "$proctor_dll" serve --config "$work/proctor.yaml" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_port "$gateway_port" || { cat "$work/gateway.log"; exit 1; }

status=0
for requirements in 2025-11-25 2026-07-28; do
  expected=()
  [ -f "$here/expected-failures-$requirements.yaml" ] && expected=("$here/expected-failures-$requirements.yaml")
  bash "$here/run.sh" "http://127.0.0.1:$fixture_port/mcp" "$requirements" "${expected[@]}" \
    | sed -E "s/^conformance\(([^)]*)\):/conformance(\1 direct):/" || status=1
  bash "$here/run.sh" "http://127.0.0.1:$gateway_port/mcp/conformance" "$requirements" "${expected[@]}" \
    | sed -E "s/^conformance\(([^)]*)\):/conformance(\1 through-gateway):/" || status=1
done
if [ $status -ne 0 ]; then
  echo "--- gateway log (tail) ---"; tail -n 60 "$work/gateway.log"
fi
exit $status
