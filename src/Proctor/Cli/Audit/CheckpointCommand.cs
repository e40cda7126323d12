using System.CommandLine;
using Proctor.Ledger.Examination;

namespace Proctor.Cli.Audit;

/// <summary><c>proctor audit checkpoint</c>: the latest signed checkpoint and the key that verifies it.</summary>
internal static class CheckpointCommand
{
    public static Command Create()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("checkpoint", "Print the latest signed checkpoint (C2SP signed note: origin, tree size, root hash, time, signature) and the verifier key.") { config, json };
        command.SetAction((result, ct) => ConfiguredLedger.RunAsync(result.GetValue(config)!, ConfiguredLedger.NoCheck, async (storage, store) =>
        {
            if (await store.GetLatestCheckpointAsync(ct).ConfigureAwait(false) is not { } latest)
            {
                Console.Error.WriteLine("No checkpoint is signed yet: the gateway signs one every 10 seconds while it runs.");
                return ExitCodes.Failure;
            }

            var key = GatewayData.VerifierKey(storage, null);
            Console.Write(result.GetValue(json)
                ? ExaminerJson.Checkpoint(latest, key).ToJsonString() + "\n"
                : $"{latest.Note}\nverifier key: {key}\n");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
