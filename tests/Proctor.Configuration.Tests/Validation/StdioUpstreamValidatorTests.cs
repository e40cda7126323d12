using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class StdioUpstreamValidatorTests
{
    [Theory]
    [InlineData("restart: { initialBackoff: 500ms }", 500, 30_000)]
    [InlineData("restart: { maxBackoff: 5m }", 1_000, 300_000)]
    [InlineData("restart: { initialBackoff: 2s, maxBackoff: 2s }", 2_000, 2_000)]
    public void Validate_ValidRestart_IsAccepted(string setting, int initialMilliseconds, int maxMilliseconds)
    {
        var upstream = Assert.IsType<StdioUpstreamModel>(Model($"upstreams: {{ a: {{ command: npx, {setting} }} }}").Upstreams["a"]);

        Assert.Equal(TimeSpan.FromMilliseconds(initialMilliseconds), upstream.InitialBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(maxMilliseconds), upstream.MaxBackoff);
    }

    [Fact]
    public void Validate_LiteralEnvironmentValues_AreKeptAsWritten()
    {
        var upstream = Assert.IsType<StdioUpstreamModel>(Model("""
            upstreams:
              a:
                command: npx
                env: { PORT: 8080, DEBUG: "", PATTERN: "a$b", TEMPLATE: "$${HOME}" }
            """).Upstreams["a"]);

        Assert.Equal("8080", upstream.Environment["PORT"].Reveal());
        Assert.Equal("", upstream.Environment["DEBUG"].Reveal());
        Assert.Equal("a$b", upstream.Environment["PATTERN"].Reveal());
        Assert.Equal("${HOME}", upstream.Environment["TEMPLATE"].Reveal());
    }

    [Theory]
    [InlineData("command: \"\"", "upstreams.a.command: is empty; name the program to run, e.g. \"npx\"")]
    [InlineData("command: ~, args: [x]", "upstreams.a.command: is empty; name the program to run, e.g. \"npx\"")]
    [InlineData("command: npx, headers: { X-A: b }", "upstreams.a.headers: applies only to remote upstreams (those with \"url\"); remove it from this command upstream")]
    [InlineData("command: npx, era: auto", "upstreams.a.era: applies only to remote upstreams (those with \"url\"); remove it from this command upstream")]
    [InlineData("command: npx, allowLinkLocal: true", "upstreams.a.allowLinkLocal: applies only to remote upstreams (those with \"url\"); remove it from this command upstream")]
    [InlineData("command: npx, env: { BAD-NAME: x }", "upstreams.a.env.BAD-NAME: \"BAD-NAME\" is not an environment variable name; use letters, digits and underscores, not starting with a digit, e.g. \"BAD_NAME\"")]
    [InlineData("command: npx, env: { 1ST: x }", "upstreams.a.env.1ST: \"1ST\" is not an environment variable name; use letters, digits and underscores, not starting with a digit, e.g. \"_1ST\"")]
    [InlineData("command: npx, env: { EMPTY: }", "upstreams.a.env.EMPTY: has no value; write \"\" for an empty value, or remove the entry")]
    [InlineData("command: npx, env: \"A=b\"", "upstreams.a.env: expected a mapping of variable names to values, found a single value; use e.g. { SOME_VAR: \"${env:SOME_VAR}\" }")]
    [InlineData("command: npx, cwd: srv/mcp", "upstreams.a.cwd: \"srv/mcp\" is not an absolute path; use a full path, e.g. \"/srv/mcp\"")]
    [InlineData("command: npx, timeout: \"30\"", "upstreams.a.timeout: \"30\" is not a duration; use \"30s\"")]
    [InlineData("command: npx, shutdownGrace: soon", "upstreams.a.shutdownGrace: \"soon\" is not a duration; use a whole number with ms, s, m or h, e.g. \"5s\"")]
    [InlineData("command: npx, restart: { initialBackoff: 1m }", "upstreams.a.restart.initialBackoff: \"1m\" is longer than maxBackoff (\"30s\"); make it at most \"30s\"")]
    [InlineData("command: npx, restart: { maxBackoff: \"0ms\" }", "upstreams.a.restart.maxBackoff: \"0ms\" must be longer than zero; use \"30s\"")]
    [InlineData("command: npx, restart: { initialBackof: 1s }", "upstreams.a.restart.initialBackof: unknown key; did you mean \"initialBackoff\"?")]
    [InlineData("command: npx, restart: 5s", "upstreams.a.restart: expected a mapping, found \"5s\"; use e.g. { initialBackoff: \"1s\", maxBackoff: \"30s\" }")]
    [InlineData("command: npx, args: \"-y server\"", "upstreams.a.args: expected a list of arguments, found \"-y server\"; use [\"-y\", \"server\"]")]
    [InlineData("command: npx, args: [\"-y\", ~]", "upstreams.a.args[1]: is empty; write an argument, e.g. \"--stdio\", or remove the entry")]
    [InlineData("command: npx, args: [[\"-y\"]]", "upstreams.a.args[0]: expected an argument, found a list; use e.g. \"--stdio\"")]
    [InlineData("command: [npx]", "upstreams.a.command: expected a program name or path, found a list; use e.g. \"npx\"")]
    public void Validate_InvalidSetting_NamesKeyAndFix(string settings, string expected)
    {
        Assert.Equal([expected], Errors($"upstreams: {{ a: {{ {settings} }} }}"));
    }
}
