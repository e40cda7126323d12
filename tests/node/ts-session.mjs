// A real TypeScript SDK client that stays connected while a functional test drives it, one step at a time:
//   node ts-session.mjs v1|v2 URL BEARER [ELICIT]
// ELICIT (optional JSON) declares elicitation and answers it as a user would: {"url": "accept"|"decline"|"cancel",
// "justification": "text" (declares form mode too; null: url only)}. Each elicitation the client is asked is printed
// as one line {"elicited": <params>} before it is answered.
// Prints {"connected": "<protocol version>"} once connected. Then each line on stdin is a step, answered by one
// line on stdout carrying the step's id:
//   {"id": 1, "op": "list"}                                   -> {"id": 1, "tools": ["name", ...]}
//   {"id": 2, "op": "call", "name": "x", "arguments": {...}}  -> {"id": 2, "result": {...}}
//                                                                or {"id": 2, "error": {"code", "message", "data"}}
// The same client object serves every step, so what it shows after a change on the gateway is what an
// application holding a client would see (its response cache and list included). Exits when stdin closes.
import readline from "node:readline";
import { clientOptions, listAllTools, load } from "./ts-sdk.mjs";

const [, , flavour, url, bearer, elicitArg] = process.argv;
const { Client, StreamableHTTPClientTransport, ElicitRequestSchema } = await load(flavour);
const elicitation = elicitArg ? JSON.parse(elicitArg) : null;
const capabilities = elicitation ? { elicitation: { url: {}, ...(elicitation.justification != null && { form: {} }) } } : {};
const client = new Client({ name: `proctor-tests-ts-session-${flavour}`, version: "1.0.0" }, clientOptions(flavour, { capabilities }));
if (elicitation) {
  const answer = async (request) => {
    const params = request.params ?? {};
    console.log(JSON.stringify({ elicited: params }));
    if (params.mode === "url") return { action: elicitation.url ?? "accept" };
    return { action: "accept", content: { justification: elicitation.justification } };
  };
  client.setRequestHandler(ElicitRequestSchema ?? "elicitation/create", answer);
}
const requestInit = bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : undefined;
try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit }));
} catch (error) {
  console.error(`ts-session ${flavour} could not connect: ${error?.stack ?? error}`);
  process.exit(1);
}
const version = client.transport?.protocolVersion ?? client.getNegotiatedProtocolVersion?.() ?? null;
console.log(JSON.stringify({ connected: version }));

async function run(step) {
  switch (step.op) {
    case "list":
      return { tools: (await listAllTools(client)).map((t) => t.name) };
    case "call":
      return { result: await client.callTool({ name: step.name, arguments: step.arguments ?? {} }) };
    default:
      throw new Error(`unknown step '${step.op}'; steps: list, call`);
  }
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const step = JSON.parse(line);
  try {
    console.log(JSON.stringify({ id: step.id, ...(await run(step)) }));
  } catch (error) {
    console.log(JSON.stringify({ id: step.id, error: { code: error?.code ?? null, message: String(error?.message ?? error), data: error?.data ?? null } }));
  }
}
await client.close();
