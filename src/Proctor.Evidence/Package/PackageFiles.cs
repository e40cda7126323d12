namespace Proctor.Evidence.Package;

/// <summary>The fixed names of a package's files (docs/evidence.md, "Package layout"); the reports write under <see cref="ReportsFolder"/>.</summary>
public static class PackageFiles
{
    public const string Format = "proctor-evidence/1";
    public const string Description = "package.json";
    public const string Events = "events.jsonl";
    public const string Leaves = "leaves.txt";
    public const string Tree = "tree.json";
    public const string Checkpoints = "checkpoints.json";
    public const string VerifierKey = "verifier.key";
    public const string ReportsFolder = "reports/";

    /// <summary>Written last: every other file's path, size and SHA-256, as a note signed with the ledger's checkpoint key.</summary>
    public const string Manifest = "manifest.note";
}
