namespace Proctor.Cli;

/// <summary>Process exit codes, stable for scripts: 2 means "fix the configuration or the command line".</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadConfiguration = 2;
}
