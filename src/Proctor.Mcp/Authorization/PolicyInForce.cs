using Proctor.Configuration.Models;

namespace Proctor.Mcp.Authorization;

/// <summary>
/// The policy the gateway decides with now. A reload swaps in a whole new policy; a call reads
/// <see cref="Current"/> once and decides with that one throughout (its list filter and its decision agree),
/// so a call never sees half of two policies. Only a policy that built without errors is ever swapped in.
/// </summary>
public sealed class PolicyInForce(GatewayPolicy initial)
{
    private GatewayPolicy _current = initial;
    private RefusedPolicy? _lastRefused;

    public GatewayPolicy Current => Volatile.Read(ref _current);

    /// <summary>Fields the policy in force reads that a listed tool does not declare (decision 0036); restarted with each new policy.</summary>
    public InputSchemaFindings InputSchemas { get; } = new(initial.Model.Hash);

    /// <summary>The last reload that was refused since the policy in force was loaded (for /readyz); null when none.</summary>
    public RefusedPolicy? LastRefused
    {
        get => Volatile.Read(ref _lastRefused);
        set => Volatile.Write(ref _lastRefused, value);
    }

    /// <summary>Puts <paramref name="next"/> in force and returns the policy it replaced.</summary>
    public GatewayPolicy Swap(GatewayPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        LastRefused = null;
        InputSchemas.Restart(next.Model.Hash);
        return Interlocked.Exchange(ref _current, next);
    }
}

/// <summary>A policy load that was refused: when, and its problems (each naming the rule and field).</summary>
public sealed record RefusedPolicy(DateTimeOffset At, IReadOnlyList<string> Errors);
