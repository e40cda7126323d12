// A real TypeScript SDK client, driven by Proctor's functional tests:
//   node ts-client.mjs v1|v2 URL
// v1 = @modelcontextprotocol/sdk 1.x (session era), v2 = @modelcontextprotocol/client 2.x (2026-07-28).
// Lists tools, calls echo, calls a long-running tool with progress, answers an elicitation;
// prints one JSON object with what it saw, or exits 1 with the error.
import { clientOptions, load } from "./ts-sdk.mjs";

const [, , flavour, url] = process.argv;

const { Client, StreamableHTTPClientTransport, ElicitRequestSchema } = await load(flavour);
const options = clientOptions(flavour, { capabilities: { elicitation: { form: {} } } });
const client = new Client({ name: `proctor-tests-ts-${flavour}`, version: "1.0.0" }, options);
const elicit = async () => ({ action: "accept", content: { name: "Grace Hopper" } });
if (ElicitRequestSchema) {
  client.setRequestHandler(ElicitRequestSchema, elicit);
} else {
  client.setRequestHandler("elicitation/create", elicit);
}

const seen = { flavour };
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  seen.protocolVersion = client.transport?.protocolVersion ?? client.getNegotiatedProtocolVersion?.() ?? null;
  seen.tools = (await client.listTools()).tools.map((t) => t.name);
  const echo = await client.callTool({ name: "echo", arguments: { message: `hello from ${flavour}` } });
  seen.echo = echo.content.map((c) => c.text).join("\n");
  const progress = [];
  const longCall = { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } };
  const onprogress = (p) => progress.push(p.progress);
  // v1 takes (params, resultSchema, options); v2 takes (params, options).
  const long = flavour === "v1" ? await client.callTool(longCall, undefined, { onprogress }) : await client.callTool(longCall, { onprogress });
  seen.long = long.content.map((c) => c.text).join("\n");
  seen.progress = progress;
  const elicited = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
  seen.elicited = elicited.content.map((c) => c.text).join("\n");
  await client.close();
  console.log(JSON.stringify(seen));
} catch (error) {
  console.error(`ts-client ${flavour} failed: ${error?.stack ?? error}`);
  process.exit(1);
}
