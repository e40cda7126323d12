using Microsoft.Extensions.Configuration.Memory;
using Proctor.Samples.Conformance;
using Proctor.Samples.Conformance.Hosting;

var builder = WebApplication.CreateBuilder(args);
LoopbackUrls.Apply(builder);

// The suite provokes protocol errors on purpose (tampered state, missing capability, unknown
// resource...), which the SDK logs as handler failures. Quiet by default; any Logging:LogLevel
// setting (environment, command line) still overrides these, e.g.
// --Logging:LogLevel:ModelContextProtocol=Debug.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:ModelContextProtocol"] = "Critical",
    },
});

builder.Services.AddConformanceFixture();

var app = builder.Build();
app.UseMiddleware<LocalhostRequestGuard>();
app.MapMcp(ConformanceFixture.EndpointPath);
app.Run();
