// A Streamable HTTP MCP server (official TypeScript SDK 1.x, stateless) that returns crafted payloads
// with identifiers planted in ordinary places: glued to punctuation, in URLs, joined to words, as JSON
// member names and numbers, written with Unicode look-alikes. The test that starts it chooses the
// payloads (environment: PLANTED_TEXT, PLANTED_JSON, PLANTED_PROMPT) and looks for every planted value
// in what the client, the ledger and the log got. Listens on 127.0.0.1:PORT.
//   tool crafted_result            -> PLANTED_TEXT as text, PLANTED_JSON as structuredContent and as text
//   resource customer://{id}/profile -> a text naming the id
//   prompt PLANTED_PROMPT          -> a message holding PLANTED_TEXT
import { createServer } from "node:http";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const port = Number(process.env.PORT);
const text = process.env.PLANTED_TEXT;
const structured = JSON.parse(process.env.PLANTED_JSON);
const promptName = process.env.PLANTED_PROMPT;

const build = () => {
  const server = new McpServer({ name: "planted-values", version: "1.0.0" });
  server.registerTool("crafted_result", { description: "Returns the planted payload." }, async () => ({
    content: [{ type: "text", text }, { type: "text", text: JSON.stringify(structured) }],
    structuredContent: structured,
  }));
  server.registerResource("customer", new ResourceTemplate("customer://{id}/profile", { list: undefined }), { description: "A customer profile." },
    async (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: `profile of customer ${id}` }] }));
  server.registerPrompt(promptName, { description: "A prompt whose name holds a planted value." }, async () => ({
    messages: [{ role: "user", content: { type: "text", text: `Summarize: ${text}` } }],
  }));
  return server;
};

createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => transport.close());
  await build().connect(transport);
  await transport.handleRequest(req, res, body);
}).listen(port, "127.0.0.1");
