namespace Proctor.Masking.Tests.Corpus;

/// <summary>One corpus entry: free text or a JSON document, holding one value of <see cref="Entity"/> or none (a hard negative).</summary>
/// <param name="Kind">The generator that made it, e.g. <c>ssn/bare-with-context</c>, for reading failures.</param>
/// <param name="Context">Where the value sits (<see cref="ContextCorpus"/>), e.g. <c>url/query-value</c>; <c>sentence</c> in the base corpus.</param>
internal sealed record LabeledSample(string Text, bool IsJson, string? Entity, string Value, string Kind, string Context = "sentence");
