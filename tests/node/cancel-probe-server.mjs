// A stdio MCP server (official TypeScript SDK 1.x) whose one tool waits until the request is
// cancelled and then records that in the file named by PROBE_FILE. Lets tests observe that a
// client's disconnect really cancels the call upstream.
import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "cancel-probe", version: "1.0.0" });
server.registerTool("wait_for_cancel", { description: "Waits up to 60 s or until cancelled." }, async (extra) => {
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    extra.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      appendFileSync(process.env.PROBE_FILE, `cancelled ${extra.requestId}\n`);
      resolve();
    });
  });
  return { content: [{ type: "text", text: "finished without cancellation" }] };
});
await server.connect(new StdioServerTransport());
