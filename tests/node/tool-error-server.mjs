// A stdio MCP server (official TypeScript SDK 1.x) with one tool that fails as tools do: a result with
// isError: true (the call succeeded, the tool did not), and one that succeeds. Lets tests see that the
// gateway counts and logs the first as a tool error rather than as ok.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "tool-error", version: "1.0.0" });
server.registerTool("lock_account", { description: "Always fails: the account is already locked." }, async () => ({
  content: [{ type: "text", text: "account already locked" }],
  isError: true,
}));
server.registerTool("ping_account", { description: "Always succeeds." }, async () => ({
  content: [{ type: "text", text: "account reachable" }],
}));
await server.connect(new StdioServerTransport());
