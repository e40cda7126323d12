using System.Text;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>What the masking tests share: the sample bank as an upstream, and every byte the gateway stored.</summary>
internal static class BankEvidence
{
    public static string BankUpstream => $"""
          bank:
            command: dotnet
            args: ["{Peers.ProctorDll}", "sample", "bank-server"]
        """;

    /// <summary>
    /// Every byte the gateway keeps in its data folder (database, WAL, keys, log segments) as text, and the log's entries
    /// decompressed: the log stores batches compressed, so a value could hide from a search of the raw bytes alone.
    /// </summary>
    public static async Task<string> StoredBytesAsync(string folder)
    {
        var all = new StringBuilder();
        // The log's writer lock is an empty file that the gateway flocks while it commits; reading it could only fail.
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !(Path.GetFileName(f) == "lock" && Path.GetDirectoryName(f)!.EndsWith(".ledger", StringComparison.Ordinal))))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            all.Append(await reader.ReadToEndAsync());
        }

        return all.Append(StoredEvents.DecodedLogs(folder)).ToString();
    }
}
