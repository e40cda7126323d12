using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.Cli.Keys;

/// <summary>
/// <c>proctor keys create|list|revoke</c>: agent (machine) identities. The key is printed once at
/// creation; the database (<c>storage.path</c>) holds only its SHA-256.
/// </summary>
internal static partial class KeysCommand
{
    /// <summary>A key that never expires is a standing credential nobody reviews; a year forces a yearly renewal.</summary>
    internal const int MaxLifetimeDays = 365;

    public static Command Create()
    {
        var command = new Command("keys", """
            Manage agent keys: credentials for machines (CI jobs, batch agents) that call the gateway
            without a person signing in. A caller sends one as "Authorization: Bearer prk_…" and is
            identified as agent:NAME with the key's groups. Keys are stored only as SHA-256 hashes in the
            database named by storage.path; they expire, and revocation takes effect within 5 seconds.
            """);
        command.Subcommands.Add(CreateKeyCommand.Create());
        command.Subcommands.Add(ListKeysCommand.Create());
        command.Subcommands.Add(RevokeKeyCommand.Create());
        return command;
    }

    /// <summary><c>Nd</c>, 1 to <see cref="MaxLifetimeDays"/> days.</summary>
    internal static bool TryParseLifetime(string text, out TimeSpan lifetime, out string? problem)
    {
        lifetime = default;
        problem = null;
        if (text.Length < 2 || text[^1] != 'd' || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            problem = $"'{text}' is not a number of days; use e.g. 90d";
            return false;
        }

        if (days is < 1 or > MaxLifetimeDays)
        {
            problem = $"'{text}' is out of range; use 1d to {MaxLifetimeDays}d";
            return false;
        }

        lifetime = TimeSpan.FromDays(days);
        return true;
    }

    public static SqliteAgentKeyStore? Store(FileInfo config) =>
        GatewayData.Locate(config) is { } storage ? new SqliteAgentKeyStore(storage.Path) : null;

    public static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.BadConfiguration;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    public static partial Regex NameSyntax();
}
