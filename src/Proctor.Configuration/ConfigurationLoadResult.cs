using Proctor.Configuration.Models;

namespace Proctor.Configuration;

/// <summary>
/// The outcome of one load: either a validated <see cref="Model"/> and no errors, or no model and
/// every error that was found (validation does not stop at the first one), in the order of the file.
/// </summary>
public sealed record ConfigurationLoadResult(GatewayModel? Model, IReadOnlyList<ConfigurationError> Errors)
{
    public bool Succeeded => Model is not null;
}
