using System.CommandLine;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Gateway;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Cli;

internal static class ServeCommand
{
    public const string Name = "serve";

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The gateway's YAML configuration file (see docs/configuration.md).", Required = true };
        var command = new Command(Name, "Run the gateway with a configuration file.") { config };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(config)!, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var model = Load(file);
        if (model is null)
        {
            return ExitCodes.BadConfiguration;
        }

        try
        {
            await GatewayHost.RunAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (UnsafeStorageException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadConfiguration;
        }

        return ExitCodes.Ok;
    }

    /// <summary>Loads and validates; on failure prints every error with its key and returns null.</summary>
    public static GatewayModel? Load(FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: configuration file '{file.FullName}' does not exist. Create one (see docs/configuration.md) or run 'proctor demo' to get a working example.");
            return null;
        }

        var result = ConfigurationLoader.LoadFile(file.FullName, GatewayData.ProcessEnvironment());
        if (!result.Succeeded)
        {
            GatewayData.ReportErrors(file, result.Errors);
        }

        return result.Model;
    }
}
