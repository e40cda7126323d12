// A stdio MCP server (official TypeScript SDK 1.x) that lets tests see its subscriptions: it serves one
// resource, probe://watched, accepts resources/subscribe and resources/unsubscribe, and answers the tool
// `subscriptions` with the URIs subscribed right now (a JSON array), so a test can tell whether the gateway
// really ended a subscription upstream.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const subscribed = new Set();
const server = new McpServer({ name: "subscription-probe", version: "1.0.0" }, { capabilities: { resources: { subscribe: true } } });
server.registerResource("watched", "probe://watched", { description: "A resource to subscribe to." }, async (uri) => ({
  contents: [{ uri: uri.href, text: "watched" }],
}));
server.registerTool("subscriptions", { description: "The URIs subscribed now, as a JSON array." }, async () => ({
  content: [{ type: "text", text: JSON.stringify([...subscribed]) }],
}));
server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
  subscribed.add(request.params.uri);
  return {};
});
server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
  subscribed.delete(request.params.uri);
  return {};
});
await server.connect(new StdioServerTransport());
