using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// How a tool may run as a task. <see cref="Required"/> tools refuse a client that did not
/// negotiate the extension (-32021); optional ones then run synchronously. A tool that first
/// gathers input through MRTR rounds (SEP-2322) becomes a task only on its final round, when
/// <see cref="StillGathering"/> turns false.
/// </summary>
internal sealed record TaskSupport(bool Required, Func<CallToolRequestParams, bool>? StillGathering = null)
{
    public static readonly TaskSupport Optional = new(false);

    public static readonly TaskSupport Mandatory = new(true);
}
