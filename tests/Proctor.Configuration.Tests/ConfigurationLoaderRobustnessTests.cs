using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests;

public sealed class ConfigurationLoaderRobustnessTests
{
    [Theory]
    [InlineData("upstreams: { \"\": { command: npx } }")]
    [InlineData("upstreams: { a: { command: !!binary aGVsbG8= } }")]
    [InlineData("base: &b { command: npx }\nupstreams: { a: { <<: *b } }")]
    [InlineData("upstreams: { a: *missing }")]
    [InlineData("upstreams: { a: { command: npx, env: { ? [x] : y } } }")]
    [InlineData("gateway: { listen: \"http://[::1\" }")]
    [InlineData("gateway: { allowedOrigins: [\"http://\\u0000\"] }")]
    [InlineData("upstreams: { a: { url: \"http://%zz/\" } }")]
    [InlineData("upstreams: { a: { url: \"${env:A}${env:B\" } }")]
    [InlineData("upstreams: { a: { url: \"https://x\", headers: { \"\": v } } }")]
    [InlineData("upstreams: { a: { command: npx, restart: { initialBackoff: 99999999999999999999h } } }")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    [InlineData("\"\\uD800\"")]
    [InlineData("%YAML 1.1\n---\ngateway: {}")]
    [InlineData("!!map { gateway: !!map {} }")]
    [InlineData("gateway: {}\n...\n")]
    public void LoadYaml_OddInput_ReturnsAResultWithoutThrowing(string yaml)
    {
        var result = Load(yaml, Environment(("PROCTOR__UPSTREAMS__A__TIMEOUT", "1s")));

        Assert.Equal(result.Succeeded, result.Errors.Count == 0);
    }
}
