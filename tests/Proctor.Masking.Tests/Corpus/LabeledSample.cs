namespace Proctor.Masking.Tests.Corpus;

/// <summary>One corpus entry: free text or a JSON document, holding one value of <see cref="Entity"/> or none (a hard negative).</summary>
/// <param name="Kind">The generator that made it, e.g. <c>ssn/bare-with-context</c>, for reading failures.</param>
internal sealed record LabeledSample(string Text, bool IsJson, string? Entity, string Value, string Kind);
