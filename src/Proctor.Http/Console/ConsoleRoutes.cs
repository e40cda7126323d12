namespace Proctor.Http.Console;

/// <summary>The console's addresses, all under <c>/console</c> so that its cookie is never sent to <c>/mcp</c> or <c>/api</c>.</summary>
internal static class ConsoleRoutes
{
    public const string Root = "/console";
    public const string Home = "/console";
    public const string SignIn = "/console/sign-in";
    public const string SignInProvider = "/console/sign-in/provider";
    public const string Callback = "/console/callback";
    public const string SignOut = "/console/sign-out";
    public const string Approvals = "/console/approvals";
    public const string PendingJson = "/console/approvals/pending.json";
    public const string Access = "/console/access";
    public const string Sessions = "/console/sessions";
    public const string Audit = "/console/audit";
    public const string Ledger = "/console/ledger";
    public const string Export = "/console/export";
    public const string Assets = "/console/assets";
}
