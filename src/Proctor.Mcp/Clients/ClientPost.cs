using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Clients;

/// <summary>One client message as the transport received it, parsed.</summary>
/// <param name="Caller">As the transport authenticated it (a verified identity, or anonymous with its address); the front adds what the message says: client info and protocol version.</param>
/// <param name="Channel">Where the answer goes.</param>
public sealed record ClientPost(Route Route, JsonObject Message, Caller Caller, ClientHeaders Headers, IResponseChannel Channel);

/// <summary>A client's request to open or resume a stream (Streamable HTTP: GET).</summary>
public sealed record ClientGet(Route Route, Caller Caller, ClientHeaders Headers, IResponseChannel Channel);
