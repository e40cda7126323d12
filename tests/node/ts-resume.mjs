// A real TypeScript SDK 1.x client whose connection is cut in the middle of a tool call, driven by
// Proctor's functional tests:   node ts-resume.mjs URL STEPS
// The client's own fetch passes the tools/call POST's event stream through until a progress event has been
// delivered, then aborts that connection (the gateway sees the client leave mid-stream). The SDK reconnects by
// itself with a GET carrying Last-Event-ID. Prints one JSON object with what the client saw, or exits 1.
const [, , url, stepsText] = process.argv;
const steps = Number(stepsText);
const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");

const seen = { progress: [], responses: [], progressBeforeCut: null, resumedWith: [], resumeStatuses: [], errors: [] };
let cutStarted = false;

async function cuttingFetch(input, init = {}) {
  const lastEventId = new Headers(init.headers).get("last-event-id");
  const own = new AbortController();
  init.signal?.addEventListener("abort", () => own.abort(), { once: true });
  const response = await fetch(input, { ...init, signal: own.signal });
  if (lastEventId) {
    seen.resumedWith.push(lastEventId);
    seen.resumeStatuses.push(response.status);
  }

  const isCall = init.method === "POST" && typeof init.body === "string" && init.body.includes('"tools/call"');
  if (cutStarted || !isCall || !response.headers.get("content-type")?.includes("text/event-stream")) {
    return response;
  }

  cutStarted = true;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let cutNow = false;
  const body = new ReadableStream({
    async pull(controller) {
      if (cutNow) {
        // The progress chunk went out on the previous pull: once the client has handled it, the connection goes.
        for (let waited = 0; seen.progress.length === 0 && waited < 5000; waited += 5) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }

        seen.progressBeforeCut = seen.progress.length;
        own.abort();
        controller.error(new TypeError("the test cut the connection"));
        return;
      }

      const { value, done } = await reader.read();
      if (done) {
        controller.close();
        return;
      }

      controller.enqueue(value);
      text += decoder.decode(value, { stream: true });
      cutNow = text.includes("notifications/progress");
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

try {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: cuttingFetch,
    // Reconnect at once: the test waits for no timer.
    reconnectionOptions: { initialReconnectionDelay: 20, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 2, maxRetries: 5 },
  });
  const client = new Client({ name: "proctor-tests-ts-resume", version: "1.0.0" });
  client.onerror = (error) => seen.errors.push(String(error?.message ?? error));
  await client.connect(transport);
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ("result" in message || "error" in message) {
      seen.responses.push(message.id);
    }

    deliver?.(message, extra);
  };

  const result = await client.callTool(
    { name: "trigger-long-running-operation", arguments: { duration: steps / 2, steps } },
    undefined,
    { onprogress: (p) => seen.progress.push(p.progress) },
  );
  seen.result = result.content.map((c) => c.text).join("\n");
  await client.close();
  console.log(JSON.stringify(seen));
} catch (error) {
  console.error(`ts-resume failed: ${error?.stack ?? error} ${JSON.stringify(seen)}`);
  process.exit(1);
}
