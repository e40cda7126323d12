namespace Proctor.Evidence.Export;

/// <summary>An export that cannot be made as asked; the message says what to do.</summary>
public sealed class EvidenceExportException(string message) : Exception(message);
