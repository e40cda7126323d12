// A Streamable HTTP MCP server (official TypeScript SDK 1.x, stateless) whose tool `echo_request`
// returns the HTTP headers it received and the value of one environment variable. Lets tests see
// exactly what the gateway sends upstream. Listens on 127.0.0.1:PORT. Each tools/call's headers are
// also printed as one line "TOOL-CALL-HEADERS {json}", so tests can read what arrived even though the
// gateway masks credentials in the result the client sees.
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const port = Number(process.env.PORT);
const build = () => {
  const server = new McpServer({ name: "header-echo", version: "1.0.0" });
  server.registerTool("echo_request", { description: "Returns the request headers the server received." }, async (extra) => ({
    content: [{ type: "text", text: JSON.stringify({ headers: extra.requestInfo?.headers ?? {} }) }],
  }));
  return server;
};

createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
  if (body?.method === "tools/call") console.log(`TOOL-CALL-HEADERS ${JSON.stringify(req.headers)}`);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => transport.close());
  await build().connect(transport);
  await transport.handleRequest(req, res, body);
}).listen(port, "127.0.0.1");
