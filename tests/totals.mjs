// Adds up every test run: the TRX files of `dotnet test` and the conformance summary lines.
// Prints the failures by name, then exactly one last line: "N passed, N failed, N skipped".
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0;
const failures = [];

const trxDir = join(dir, "dotnet");
for (const file of existsSync(trxDir) ? readdirSync(trxDir).filter((f) => f.endsWith(".trx")) : []) {
  const xml = readFileSync(join(trxDir, file), "utf8");
  const counters = xml.match(/<Counters [^>]*>/);
  if (!counters) continue;
  const attr = (name) => Number((counters[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
  passed += attr("passed");
  failed += attr("failed") + attr("error") + attr("timeout") + attr("aborted");
  skipped += attr("notExecuted");
  for (const m of xml.matchAll(/<UnitTestResult ([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    if (!/outcome="Failed"/.test(m[1])) continue;
    const name = m[1].match(/testName="([^"]+)"/)[1];
    const message = (m[2] ?? "").match(/<Message>([\s\S]*?)<\/Message>/)?.[1] ?? "";
    failures.push([name, ...message.split("\n").slice(0, 4).map((line) => `    ${line}`)].join("\n").trimEnd());
  }
}

const conformance = join(dir, "conformance.txt");
if (existsSync(conformance)) {
  for (const m of readFileSync(conformance, "utf8").matchAll(/^conformance\(([^)]*)\): (\d+) passed, (\d+) failed/gm)) {
    passed += Number(m[2]);
    failed += Number(m[3]);
    if (Number(m[3]) > 0) failures.push(`conformance ${m[1]}`);
  }
} else {
  failed += 1;
  failures.push("conformance suite did not run");
}

if (passed + failed === 0) { failed = 1; failures.push("no test ran"); }
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
