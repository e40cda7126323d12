using System.CommandLine;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Proofs;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit proof</c>: a self-contained inclusion proof of one event, for offline checking.</summary>
internal static class ProofCommand
{
    public static Command Create()
    {
        var eventId = new Argument<string>("event-id") { Description = "The event's id, as shown by 'proctor sessions show'." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the proof (JSON).", Required = true };
        var config = GatewayData.ConfigOption();
        var command = new Command("proof", "Export a self-contained inclusion proof of one event: the event, its index, the Merkle path and the signed checkpoint. 'proctor audit verify-proof' checks it offline with the public key alone.") { eventId, output, config };
        command.SetAction((result, ct) =>
        {
            NoteVerifierKey? key = null;
            return ConfiguredLedger.RunAsync(result.GetValue(config)!, storage => (key = GatewayData.VerifierKey(storage, null)) is not null, async (storage, store) =>
            {
                var id = result.GetValue(eventId)!;
                if (await store.FindEventAsync(id, ct).ConfigureAwait(false) is not { } found)
                {
                    Console.Error.WriteLine($"error: no event {id} in the ledger at {storage.Path}.");
                    return ExitCodes.Failure;
                }

                try
                {
                    var proof = await InclusionProof.CreateAsync(store, store, key!, found.Index, ct).ConfigureAwait(false);
                    var file = result.GetValue(output)!;
                    await File.WriteAllTextAsync(file.FullName, proof.ToJson(), ct).ConfigureAwait(false);
                    Console.WriteLine($"Proof of event {id} (index {found.Index}, tree size {proof.TreeSize}) written to {file.FullName}");
                    return ExitCodes.Ok;
                }
                catch (InvalidOperationException ex)
                {
                    Console.Error.WriteLine($"error: {ex.Message}");
                    return ExitCodes.Failure;
                }
            }, ct);
        });
        return command;
    }
}
