// Reads the per-scenario checks.json files the suite wrote with --output-dir and prints the
// run's verdict. A scenario fails when any of its checks has status FAILURE (WARNING, SKIPPED
// and INFO do not fail it), exactly as the suite itself judges.
//
//   node summarize.mjs SUITE_DIR REQUIREMENTS RESULTS_DIR [EXPECTED_FAILURES_FILE]
//
// Last line: "conformance(REQUIREMENTS): N passed, N failed", over the scenarios the revision
// requires. Exit code 1 when a required scenario failed (or never reported) and the
// expected-failures file does not excuse it.
import { createRequire } from "node:module";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [suiteDir, revision, resultsDir, expectedFile] = process.argv.slice(2);
const { parse } = createRequire(join(suiteDir, "package.json"))("yaml");

const required = parse(readFileSync(join(suiteDir, "requirements", `${revision}.yaml`), "utf8"))?.server ?? [];

// Directory names are "server-<scenario>-<ISO timestamp with ':' and '.' replaced by '-'>".
const failedChecks = new Map();
for (const entry of readdirSync(resultsDir, { withFileTypes: true })) {
  const match = entry.isDirectory() && entry.name.match(/^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/);
  const checksFile = match && join(resultsDir, entry.name, "checks.json");
  if (!checksFile || !existsSync(checksFile)) continue;
  const checks = JSON.parse(readFileSync(checksFile, "utf8"));
  const failures = failedChecks.get(match[1]) ?? new Set();
  for (const check of checks) if (check.status === "FAILURE") failures.add(check.id);
  failedChecks.set(match[1], failures);
}

// Entries are "<scenario>" (the whole scenario may fail) or "<scenario>:<check-id>".
const expected = new Map();
const expectedServer = expectedFile ? parse(readFileSync(expectedFile, "utf8"))?.server ?? [] : [];
for (const entry of expectedServer) {
  const [scenario, checkId] = String(entry).split(/:(.*)/s);
  const ids = expected.get(scenario) ?? new Set();
  ids.add(checkId || "*");
  expected.set(scenario, ids);
}
const isExcused = (scenario, failures) => {
  const ids = expected.get(scenario);
  return !!ids && (ids.has("*") || [...failures].every((id) => ids.has(id)));
};

let passed = 0, failed = 0, unexpected = 0;
for (const scenario of required) {
  const failures = failedChecks.get(scenario);
  if (failures === undefined) {
    failed++; unexpected++;
    console.log(`FAILED ${scenario}: the suite reported no result for it`);
  } else if (failures.size === 0) {
    passed++;
  } else {
    failed++;
    const excused = isExcused(scenario, failures);
    if (!excused) unexpected++;
    console.log(`FAILED ${scenario}${excused ? " (expected)" : ""}: ${[...failures].join(", ")}`);
  }
}

const notScored = [...failedChecks.keys()].filter((scenario) => !required.includes(scenario));
const notScoredFailing = notScored.filter((scenario) => failedChecks.get(scenario).size > 0);
if (notScored.length > 0) {
  console.log(`not scored for ${revision}: ${notScored.length} run, ${notScoredFailing.length} failing` +
    (notScoredFailing.length ? ` (${notScoredFailing.join(", ")})` : ""));
}
console.log(`conformance(${revision}): ${passed} passed, ${failed} failed`);
process.exit(unexpected > 0 ? 1 : 0);
