// This file is part of ExchangeHub.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Client;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The hub as a separate OS process (the built ExchangeHub.Server.dll), configured on the command line with a test
/// PKI, a data directory and a free loopback port, so that a test can kill it with SIGKILL and start it again on the
/// same data. Its console output is drained (and the last lines kept for failure messages).
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly X509Certificate2Collection _trusted;
    private readonly ConcurrentQueue<string> _output = new();

    private HubProcess(Process process, Uri address, X509Certificate2 ca)
    {
        _process = process;
        Address = address;
        _trusted = [ca];
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The last lines the hub wrote, for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts the hub with <paramref name="settings"/> (configuration keys and values) plus a free port, and waits
    /// until it answers a health check over mutual TLS as <paramref name="probe"/>.
    /// </summary>
    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TestPki pki, X509Certificate2 probe, TimeSpan timeout)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerPath())!,
        };
        start.ArgumentList.Add(ServerPath());
        start.ArgumentList.Add("--environment");
        start.ArgumentList.Add("Testing");
        foreach (var (key, value) in settings.Append(new("ExchangeHub:Server:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var hub = new HubProcess(Process.Start(start) ?? throw new InvalidOperationException("the hub process did not start"), new Uri($"https://127.0.0.1:{port}"), pki.CaCertificate);
        try
        {
            await hub.WaitUntilServingAsync(probe, timeout);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    public GrpcChannel CreateChannel(X509Certificate2 clientCertificate) => HubChannelFactory.Create(Address, clientCertificate, _trusted);

    /// <summary>Kills the hub with SIGKILL (no shutdown of any kind) and checks that this is how it ended.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            Assert.Fail($"the hub exited by itself with code {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
        }

        _process.Kill(entireProcessTree: false);
        using var exit = new CancellationTokenSource(ExitTimeout);
        await _process.WaitForExitAsync(exit.Token);

        // 128 + 9: ended by SIGKILL, not by a graceful shutdown or a failure of its own.
        Assert.True(_process.ExitCode == 137, $"the hub exited with code {_process.ExitCode}, not by SIGKILL:{Environment.NewLine}{RecentOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(exit.Token);
        }

        _process.Dispose();
    }

    private async Task WaitUntilServingAsync(X509Certificate2 probe, TimeSpan timeout)
    {
        using var channel = CreateChannel(probe);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the hub exited with code {_process.ExitCode} before it served:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException) when (DateTime.UtcNow < until)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < until, $"the hub did not serve within {timeout.TotalSeconds} s:{Environment.NewLine}{RecentOutput}");
            await Task.Delay(200);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 60 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetHost() => ChildProcesses.DotnetHost();

    private static string ServerPath() =>
        ChildProcesses.BuiltAssembly(Path.Combine("src", "ExchangeHub.Server"), "ExchangeHub.Server.dll");
}
