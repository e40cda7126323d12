// A stdio MCP server (official TypeScript SDK 1.x) for the soak (bench/Proctor.Bench.Soak): `work` answers at
// once with its text; `flood` sends `count` progress notifications of `size` characters each, as fast as it can,
// before answering, as a server reporting a long job does.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "soak-upstream", version: "1.0.0" });
server.registerTool("work", { description: "Answers with its text.", inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: "text", text }],
}));
server.registerTool(
  "flood",
  { description: "Sends count progress notifications of size characters, then answers.", inputSchema: { count: z.number().int(), size: z.number().int() } },
  async ({ count, size }, extra) => {
    const token = extra._meta?.progressToken;
    const filler = "x".repeat(size);
    for (let i = 1; i <= count && token !== undefined; i++) {
      await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: i, total: count, message: filler } });
    }
    return { content: [{ type: "text", text: `flooded ${count}` }] };
  },
);
await server.connect(new StdioServerTransport());
