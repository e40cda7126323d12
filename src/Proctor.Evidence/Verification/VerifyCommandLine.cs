using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Verification;

/// <summary>
/// <c>verify FILE [--key K] [--checkpoint C] [--json]</c>, the same for <c>proctor evidence verify</c> and the standalone
/// <c>proctor-verify</c>. Exit codes: 0 verified, 1 not verified (something was altered, removed, added or does not
/// match the signatures), 2 the command line or a file given to it cannot be used.
/// </summary>
public static class VerifyCommandLine
{
    public const int Verified = 0;
    public const int NotVerified = 1;
    public const int Unusable = 2;

    public const string Description = "Verify an evidence package offline: the signed manifest, every file, every event against its leaf, the leaves against the signed checkpoints. Exit 0 verified, 1 not verified, 2 unusable input.";

    public static Command Create(string name) => Configure(new Command(name, Description));

    /// <summary>Adds the arguments, options and action to <paramref name="command"/>: a subcommand of proctor, or proctor-verify's root.</summary>
    public static T Configure<T>(T command) where T : Command
    {
        var file = new Argument<FileInfo>("file") { Description = "The evidence package (.zip) to verify." };
        var key = new Option<string?>("--key") { Description = "The ledger's verifier key you trust (text like proctor-ledger+1a2b3c4d+AgMw…, or a file holding it). Without it the package's own verifier.key is used and the verdict says the key was not pinned." };
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "A signed checkpoint you already hold (a note file, e.g. from an earlier package or 'proctor audit checkpoint'); the package must be consistent with it." };
        var json = new Option<bool>("--json") { Description = "Print the verdict and every problem as JSON." };
        command.Arguments.Add(file);
        command.Options.Add(key);
        command.Options.Add(checkpoint);
        command.Options.Add(json);
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(key), result.GetValue(checkpoint), result.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo file, string? keyText, FileInfo? checkpoint, bool json, TextWriter output, TextWriter error)
    {
        NoteVerifierKey? key = null;
        try
        {
            if (keyText is not null)
            {
                key = NoteVerifierKey.Parse(File.Exists(keyText) ? File.ReadAllText(keyText) : keyText);
            }
        }
        catch (FormatException ex)
        {
            error.WriteLine($"error: --key is not a verifier key ({ex.Message}); it reads like proctor-ledger+1a2b3c4d+AgMw… (the package's verifier.key, or ledger-public.key beside the gateway's database).");
            return Unusable;
        }
        if (checkpoint is { Exists: false })
        {
            error.WriteLine($"error: --checkpoint {checkpoint.FullName} does not exist; give a file holding a signed checkpoint note.");
            return Unusable;
        }
        if (!file.Exists)
        {
            error.WriteLine($"error: {file.FullName} does not exist; give the evidence package (.zip) to verify.");
            return Unusable;
        }
        PackageVerdict verdict;
        try
        {
            using var stream = file.OpenRead();
            verdict = PackageVerifier.Verify(stream, key, checkpoint is null ? null : File.ReadAllText(checkpoint.FullName));
        }
        catch (Exception ex) when (ex is PackageUnreadableException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read {file.FullName}: {ex.Message}");
            return Unusable;
        }
        output.WriteLine(json ? Json(verdict).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : Text(verdict));
        return verdict.Verified ? Verified : NotVerified;
    }

    public static string Text(PackageVerdict verdict)
    {
        if (!verdict.Verified)
        {
            return $"NOT VERIFIED: {verdict.Problems.Count} problem{(verdict.Problems.Count == 1 ? "" : "s")}\n"
                + string.Join("\n", verdict.Problems.Select(p => $"  {p.Code}: {p.Message}"));
        }
        var filters = string.Join(", ", new[] { verdict.Server is { } s ? $"server {s}" : null, verdict.Identity is { } i ? $"identity {i}" : null }.OfType<string>());
        var lines = new List<string>
        {
            $"VERIFIED: {verdict.EventsIncluded} events from {verdict.From:yyyy-MM-dd HH:mm:ss}Z to {verdict.To:yyyy-MM-dd HH:mm:ss}Z{(filters.Length > 0 ? $" ({filters})" : "")}, ledger indexes {verdict.FirstIndex} to {verdict.EndIndex - 1}, {verdict.EventsWithheld} withheld and proven by their hashes,",
            $"  in the tree of {verdict.TreeSize} entries signed by {verdict.KeyId}; {verdict.CheckpointsChecked} signed checkpoint{(verdict.CheckpointsChecked == 1 ? "" : "s")} consistent.",
        };
        if (verdict.KnownCheckpointSize is { } known)
        {
            lines.Add($"  Consistent with your checkpoint of size {known}.");
        }
        if (!verdict.KeyPinned)
        {
            lines.Add("  The key was NOT pinned: it came from the package itself. Pass --key with the ledger's published key to prove the package comes from that ledger.");
        }
        return string.Join("\n", lines);
    }

    public static JsonObject Json(PackageVerdict verdict) => new()
    {
        ["verified"] = verdict.Verified,
        ["key_pinned"] = verdict.KeyPinned,
        ["key_id"] = verdict.KeyId,
        ["from"] = verdict.From,
        ["to"] = verdict.To,
        ["server"] = verdict.Server,
        ["identity"] = verdict.Identity,
        ["first_index"] = verdict.FirstIndex,
        ["end_index"] = verdict.EndIndex,
        ["tree_size"] = verdict.TreeSize,
        ["events_included"] = verdict.EventsIncluded,
        ["events_withheld"] = verdict.EventsWithheld,
        ["checkpoints_checked"] = verdict.CheckpointsChecked,
        ["known_checkpoint_size"] = verdict.KnownCheckpointSize,
        ["problems"] = new JsonArray([.. verdict.Problems.Select(p => (JsonNode)new JsonObject { ["code"] = p.Code, ["message"] = p.Message, ["file"] = p.File, ["index"] = p.Index })]),
    };
}
