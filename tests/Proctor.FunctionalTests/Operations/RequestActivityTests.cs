using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Operations;

/// <summary>
/// A request gets no <see cref="Activity"/> of ASP.NET Core's unless something traces requests: the hosting logger
/// that made one for every request is off (issue 13). The same probe sees one as soon as a listener asks for them.
/// </summary>
public sealed class RequestActivityTests
{
    [Fact]
    public async Task Request_AtEveryLogLevel_RunsWithoutAnActivityUntilAListenerAsksForOne()
    {
        foreach (var level in new[] { "Debug", "Information", "Warning", "Error" })
        {
            await using var gateway = await GatewayUnderTest.StartAsync("  {}", logLevel: level, beforeStart: MapProbe);
            using var http = new HttpClient();

            var untraced = await http.GetStringAsync(new Uri(gateway.BaseAddress, "/probe-activity"));
            Assert.Equal("none", untraced);
            using (var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            })
            {
                ActivitySource.AddActivityListener(listener);
                var traced = await http.GetStringAsync(new Uri(gateway.BaseAddress, "/probe-activity"));

                Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", traced);
            }
        }
    }

    private static void MapProbe(WebApplication app) =>
        app.MapGet("/probe-activity", () => Results.Text(Activity.Current?.OperationName ?? "none"));
}
