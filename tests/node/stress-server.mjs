// An MCP server (official TypeScript SDK 1.x) that misbehaves on request, for the reliability tests
// (docs/RELIABILITY.md). Modes:
//   node stress-server.mjs stdio [--refuse-initialize] [marker]
//   PORT=… node stress-server.mjs http [--json] [--refuse-initialize]   (Streamable HTTP with sessions, 127.0.0.1)
// Tools: echo {text}; flood {count, size}: `count` progress notifications of `size` characters each, as
// fast as the transport takes them, then the answer; huge {mib}: an answer of `mib` MiB of text;
// reset (http): one progress notification, then every open connection is reset (TCP RST), and no answer.
// --refuse-initialize: initialize is answered with an error quoting the Authorization header (http) or
// SECRET_TOKEN (stdio) and a customer's SSN, as a careless server might.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const mode = process.argv[2];
const refuseInitialize = process.argv.includes("--refuse-initialize");
const json = process.argv.includes("--json");
const sockets = new Set();
const SSN = "514-24-1098";

const tools = ["echo", "flood", "huge", "reset"].map((name) => ({ name, inputSchema: { type: "object" } }));

function build() {
  const server = new Server({ name: "stress", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = request.params.arguments ?? {};
    const token = request.params._meta?.progressToken;
    switch (request.params.name) {
      case "echo":
        return text(String(args.text ?? ""));
      case "flood": {
        const filler = "p".repeat(Number(args.size ?? 2048));
        for (let i = 1; i <= Number(args.count ?? 1000); i++) {
          if (token !== undefined) {
            await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, message: filler } });
          }
        }
        return text(`flooded ${args.count}`);
      }
      case "huge":
        return text("h".repeat(Number(args.mib ?? 200) * 1024 * 1024));
      case "reset":
        if (token !== undefined) {
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: 1, message: "about to reset" } });
        }
        setTimeout(() => { for (const socket of sockets) socket.resetAndDestroy(); }, 100);
        return new Promise(() => {}); // never answers
      default:
        throw new Error(`unknown tool ${request.params.name}`);
    }
  });
  return server;
}

const text = (value) => ({ content: [{ type: "text", text: value }] });

if (mode === "stdio") {
  if (refuseInitialize) {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      const message = JSON.parse(line);
      if (message.method === "initialize") {
        const error = { code: -32603, message: `initialize refused: token ${process.env.SECRET_TOKEN} is not valid for customer SSN ${SSN}` };
        process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: message.id, error }) + "\n");
      }
    });
  } else {
    await build().connect(new StdioServerTransport());
  }
} else if (mode === "http") {
  const transports = new Map();
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    const sessionId = req.headers["mcp-session-id"];
    if (refuseInitialize && body?.method === "initialize") {
      const error = { code: -32603, message: `initialize refused: ${req.headers.authorization} is not valid for customer SSN ${SSN}` };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: body.id, error }));
      return;
    }

    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport && !sessionId && body?.method === "initialize") {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: json,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      await build().connect(transport);
    }

    if (!transport) {
      // As common SDK examples do for a session they do not know (a restarted server): 400, not 404.
      res.writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Bad Request: No valid session ID provided" }, id: body?.id ?? null }));
      return;
    }

    await transport.handleRequest(req, res, body);
  });
  http.on("connection", (socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
  http.listen(Number(process.env.PORT), "127.0.0.1");
} else {
  console.error("usage: stress-server.mjs stdio|http [--json] [--refuse-initialize]");
  process.exit(2);
}
