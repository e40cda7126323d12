// A session-era MCP server (official TypeScript SDK 1.x) that records every message it receives and emits
// the notifications tests need to see routed: `node notification-probe-server.mjs stdio` or `... http`
// (Streamable HTTP with sessions on 127.0.0.1:PORT). Every message received is appended to PROBE_FILE as
// one line "IN <json>", so a test can prove what reached the upstream and what never did.
//   tool whisper {secret}            logs "whisper <secret>" tied to the call (related request id; stdio has none)
//   tool whisper_unrelated {secret}  logs "whisper <secret>" with no relation (the GET stream on HTTP), then
//                                    answers 300 ms later so that the log arrives while the call is in flight
//   tool hold / tool release         hold waits (at most 10 s) until release is called, to keep a call in flight
//   notifications/roots/list_changed from the client makes it emit, outside any call: a log
//                                    "broadcast <n>", tools/list_changed and resources/updated for probe://item
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  RootsListChangedNotificationSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const received = (message) => appendFileSync(process.env.PROBE_FILE, `IN ${JSON.stringify(message)}\n`);
const releases = [];
let broadcasts = 0;

const build = () => {
  const server = new McpServer(
    { name: "notification-probe", version: "1.0.0" },
    { capabilities: { logging: {}, tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } } },
  );
  server.registerTool("whisper", { inputSchema: { secret: z.string() } }, async ({ secret }, extra) => {
    await extra.sendNotification({ method: "notifications/message", params: { level: "info", logger: "probe", data: `whisper ${secret}` } });
    return { content: [{ type: "text", text: "whispered" }] };
  });
  server.registerTool("whisper_unrelated", { inputSchema: { secret: z.string() } }, async ({ secret }, extra) => {
    await server.server.sendLoggingMessage({ level: "info", logger: "probe", data: `whisper ${secret}` }, extra.sessionId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { content: [{ type: "text", text: "whispered" }] };
  });
  server.registerTool("hold", {}, async () => {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      releases.push(() => { clearTimeout(timer); resolve(); });
    });
    return { content: [{ type: "text", text: "released" }] };
  });
  server.registerTool("release", {}, async () => {
    releases.splice(0).forEach((release) => release());
    return { content: [{ type: "text", text: "released" }] };
  });
  server.registerResource("item", "probe://item", {}, async () => ({ contents: [{ uri: "probe://item", text: "item" }] }));
  server.server.setRequestHandler(SubscribeRequestSchema, async () => ({}));
  server.server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    broadcasts++;
    await server.server.sendLoggingMessage({ level: "info", logger: "probe", data: `broadcast ${broadcasts}` });
    await server.server.sendToolListChanged();
    await server.server.sendResourceUpdated({ uri: "probe://item" });
  });
  return server;
};

if (process.argv[2] === "http") {
  const transports = new Map();
  createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    if (body !== undefined) received(body);
    let transport = transports.get(req.headers["mcp-session-id"]);
    if (transport === undefined) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => transports.set(id, transport) });
      await build().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  }).listen(Number(process.env.PORT), "127.0.0.1");
} else {
  const transport = new StdioServerTransport();
  transport.onmessage = received; // the SDK calls a handler set before connect first, for every message
  await build().connect(transport);
}
