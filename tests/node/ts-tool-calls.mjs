// A real TypeScript SDK client calling tools through the gateway, as an application would:
//   node ts-tool-calls.mjs v1|v2 URL BEARER CALLS_JSON
// CALLS_JSON is [{"name": "...", "arguments": {...}}, ...]. The client lists the tools first, so that
// (like every SDK client) it validates each result's structuredContent against the tool's outputSchema.
// Prints one JSON object {flavour, results: [{name, structuredContent, text}]}, or exits 1 with the error.
import { clientOptions, listAllTools, load } from "./ts-sdk.mjs";

const [, , flavour, url, bearer, callsJson] = process.argv;

const { Client, StreamableHTTPClientTransport } = await load(flavour);
const client = new Client({ name: `proctor-tests-ts-${flavour}`, version: "1.0.0" }, clientOptions(flavour));
const seen = { flavour, results: [] };
try {
  const headers = { Authorization: `Bearer ${bearer}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  const tools = await listAllTools(client);
  seen.withOutputSchema = tools.filter((t) => t.outputSchema).map((t) => t.name);
  for (const call of JSON.parse(callsJson)) {
    const result = await client.callTool(call);
    if (result.isError) throw new Error(`${call.name} answered isError: ${JSON.stringify(result.content)}`);
    seen.results.push({ name: call.name, structuredContent: result.structuredContent ?? null, text: result.content.filter((c) => c.type === "text").map((c) => c.text).join("\n") });
  }
  await client.close();
  console.log(JSON.stringify(seen));
} catch (error) {
  console.error(`ts-tool-calls ${flavour} failed: ${error?.stack ?? error}`);
  process.exit(1);
}
