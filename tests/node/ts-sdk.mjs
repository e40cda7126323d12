// The official TypeScript SDK clients as Proctor's scripts build them, in one place:
//   v1 = @modelcontextprotocol/sdk 1.x (session era), v2 = @modelcontextprotocol/client 2.x pinned to 2026-07-28.
export async function load(flavour) {
  if (flavour === "v1") {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    const { ElicitRequestSchema } = await import("@modelcontextprotocol/sdk/types.js");
    return { Client, StreamableHTTPClientTransport, ElicitRequestSchema };
  }
  const sdk = await import("@modelcontextprotocol/client");
  return { Client: sdk.Client, StreamableHTTPClientTransport: sdk.StreamableHTTPClientTransport, ElicitRequestSchema: sdk.ElicitRequestSchema };
}

/** The client options for a flavour: v2 is pinned to 2026-07-28, so it never falls back to the session era. */
export function clientOptions(flavour, options = {}) {
  return flavour === "v2" ? { ...options, versionNegotiation: { mode: { pin: "2026-07-28" } } } : options;
}

/** Every tool, page after page (v2 aggregates by itself when asked without a cursor; v1 answers one page). */
export async function listAllTools(client) {
  const tools = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}
