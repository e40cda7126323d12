using System.Text.Json.Nodes;

namespace Proctor.Policy.Decisions;

/// <summary>
/// One question to the policy: may <see cref="Caller"/> do this to <see cref="Target"/> with these
/// <see cref="Arguments"/> at <see cref="At"/>? <see cref="Arguments"/> is the call's JSON arguments
/// (<c>params.arguments</c>), null when there are none; <see cref="At"/> comes from the host's
/// <see cref="TimeProvider"/>, so the decision is a pure function of the request.
/// </summary>
public readonly record struct PolicyRequest(PolicyCaller Caller, PolicyTarget Target, JsonNode? Arguments, DateTimeOffset At);
