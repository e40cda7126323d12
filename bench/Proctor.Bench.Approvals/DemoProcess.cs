using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Proctor.Bench.Approvals;

/// <summary>
/// <c>proctor demo</c> on a free port with its own data folder, started from the build output; ready once it has
/// printed the credentials it issued (it prints them after the gateway listens).
/// </summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Dictionary<string, string> _credentials = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _inCredentials;

    private DemoProcess(string proctorDll, string data, int port)
    {
        Data = data;
        Listen = new Uri($"http://127.0.0.1:{port}");
        _process = Process.Start(new ProcessStartInfo("dotnet", [proctorDll, "demo", "--listen", Listen.ToString().TrimEnd('/'), "--data", data])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PROCTOR__LOGGING__LEVEL"] = "Warning" },
        })!;
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Listen { get; }

    public string Data { get; }

    public string Credential(string name) => _credentials[name];

    public static async Task<DemoProcess> StartAsync(string proctorDll, TimeSpan timeout)
    {
        var demo = new DemoProcess(proctorDll, Directory.CreateTempSubdirectory("proctor-approvals-bench-").FullName, FreePort());
        await demo._ready.Task.WaitAsync(timeout);
        return demo;
    }

    /// <summary>The welcome's credential lines: "  analyst:    eyJ…", between "Credentials, …" and the next blank line.</summary>
    private void Read(string? line)
    {
        if (line is null)
        {
            _ready.TrySetException(new InvalidOperationException("proctor demo ended before it printed its credentials"));
            return;
        }

        if (line.StartsWith("Credentials", StringComparison.Ordinal))
        {
            _inCredentials = true;
        }
        else if (_inCredentials && line.Trim().Length == 0)
        {
            _inCredentials = false;
            _ready.TrySetResult();
        }
        else if (_inCredentials && line.Trim().Split(':', 2) is [var name, var credential])
        {
            _credentials[name.Trim()] = credential.Trim();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Data, recursive: true);
    }
}
