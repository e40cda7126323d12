using System.CommandLine;
using System.Text.Json;
using Proctor.Ledger.Proofs;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit verify-proof</c>: checks a proof with the verifier key alone; it never opens a database.</summary>
internal static class VerifyProofCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A proof written by 'proctor audit proof'." };
        var key = AuditCommand.KeyOption("The ledger's verifier key (text or file), from a trusted source.");
        key.Required = true;
        var json = GatewayData.JsonOption();
        var command = new Command("verify-proof", "Check an inclusion proof offline, with the verifier key alone (no database, no gateway). Exit 0 only if it proves the event is in the signed ledger.") { file, key, json };
        command.SetAction((result, _) => Task.FromResult(Verify(result.GetValue(file)!, result.GetValue(key), result.GetValue(json))));
        return command;
    }

    private static int Verify(FileInfo path, string? keyText, bool json)
    {
        if (!path.Exists)
        {
            Console.Error.WriteLine($"error: {path.FullName} does not exist.");
            return ExitCodes.BadConfiguration;
        }

        if (GatewayData.VerifierKey(null, keyText) is not { } verifierKey)
        {
            return ExitCodes.BadConfiguration;
        }

        string? problem;
        InclusionProof? proof = null;
        try
        {
            proof = InclusionProof.Parse(File.ReadAllText(path.FullName));
            problem = proof.Verify(verifierKey);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problem = $"the file is not a Proctor inclusion proof ({ex.Message})";
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { valid = problem is null, problem, index = proof?.Index, tree_size = proof?.TreeSize }));
        }
        else
        {
            Console.WriteLine(problem is null
                ? $"Valid: the event at index {proof!.Index} is in the ledger signed at tree size {proof.TreeSize}."
                : $"INVALID: {problem}");
        }

        return problem is null ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
