// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExchangeHub.Tests.Support.Hub;
using Xunit.Abstractions;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Scans the running hub with Debian's testssl.sh, as an outsider without a client certificate would: it must find
/// that a client certificate is required, only TLS 1.2 and 1.3, only forward-secret AEAD cipher suites, and nothing
/// it rates LOW or worse. The test fails, never skips, when testssl.sh is missing: scripts/test.sh installs it.
/// </summary>
public sealed partial class TlsScanTests(TlsScanTests.ScannedHub hub, ITestOutputHelper output) : IClassFixture<TlsScanTests.ScannedHub>
{
    private static readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(5);

    // What testssl.sh rates at all; anything from LOW up about protocols and ciphers is a finding against the hub, and
    // WARN or FATAL means the scan itself went wrong, so its verdict cannot be trusted either.
    private static readonly string[] Failing = ["LOW", "MEDIUM", "HIGH", "CRITICAL", "WARN", "FATAL"];

    [Fact]
    public async Task TestSsl_Hub_ClientCertificateRequiredModernProtocolsForwardSecretAeadOnly()
    {
        var findings = await ScanAsync();

        Assert.Contains(findings, f => f.Id == "service" && f.Text.Contains("certificate-based authentication", StringComparison.Ordinal));
        foreach (var id in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1" })
        {
            Assert.Equal("not offered", Single(findings, id).Text);
        }

        Assert.StartsWith("offered", Single(findings, "TLS1_2").Text, StringComparison.Ordinal);
        Assert.StartsWith("offered", Single(findings, "TLS1_3").Text, StringComparison.Ordinal);

        var suites = findings.Where(f => f.Id.StartsWith("cipher_x", StringComparison.Ordinal)).Select(f => f.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToList();
        Assert.NotEmpty(suites);
        Assert.All(suites, suite => Assert.Matches(ForwardSecretAead(), suite));
        Assert.Contains("TLS_AES_256_GCM_SHA384", suites);
        Assert.Contains(suites, s => s.StartsWith("TLS_ECDHE_", StringComparison.Ordinal));

        var bad = findings.Where(f => Failing.Contains(f.Severity)).Select(f => $"{f.Id} {f.Severity}: {f.Text}").ToList();
        Assert.True(bad.Count == 0, "testssl.sh found:\n" + string.Join('\n', bad));
    }

    private static Finding Single(IReadOnlyList<Finding> findings, string id) => Assert.Single(findings, f => f.Id == id);

    private async Task<IReadOnlyList<Finding>> ScanAsync()
    {
        var testssl = OnPath("testssl") ?? OnPath("testssl.sh");
        Assert.True(testssl is not null, "testssl.sh is not installed: install Debian's package testssl.sh (apt-get install testssl.sh), as scripts/test.sh does.");
        var openssl = OnPath("openssl");
        Assert.True(openssl is not null, "openssl is not installed; testssl.sh needs it.");

        var work = Directory.CreateTempSubdirectory("eh-testssl-");
        try
        {
            var json = Path.Combine(work.FullName, "findings.json");
            var start = new ProcessStartInfo(testssl)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = work.FullName,
            };

            // Protocols, cipher categories and every cipher suite one by one; no DNS (a loopback address), no colours,
            // no questions asked; and an s_client that waits for the hub's verdict (below). Forward secrecy needs no
            // scan of its own (--fs lists curves and groups, slowly): every suite offered must be ECDHE or TLS 1.3.
            foreach (var argument in new[]
            {
                "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none", "--openssl-timeout", "10",
                "--openssl", WaitingOpenSsl(work.FullName, openssl!), "--jsonfile", json,
                "--protocols", "--std", "--each-cipher",
                $"{hub.Address.Host}:{hub.Address.Port}",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(ScanTimeout))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"testssl.sh did not finish within {ScanTimeout}:\n{await stdout}");
                }
            }

            output.WriteLine($"testssl.sh took {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
            output.WriteLine(await stdout);
            output.WriteLine(await stderr);
            Assert.True(File.Exists(json), $"testssl.sh wrote no findings (exit code {process.ExitCode}):\n{await stdout}\n{await stderr}");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            return [.. document.RootElement.EnumerateArray().Select(f => new Finding(
                f.GetProperty("id").GetString()!, f.GetProperty("severity").GetString()!, f.GetProperty("finding").GetString()!))];
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// An openssl for testssl.sh whose s_client waits for the server instead of leaving at the end of its (empty)
    /// input. testssl.sh 3.0 decides from one s_client run whether a server requires a client certificate. In TLS 1.3
    /// the client's side of the handshake is over before the server has seen the (empty) client certificate, so an
    /// s_client that leaves at once reports a complete handshake, and testssl.sh concludes that no certificate is
    /// needed, or not, depending on which comes first. Waiting for the hub's refusal makes the answer the hub's.
    /// </summary>
    private static string WaitingOpenSsl(string directory, string openssl)
    {
        var path = Path.Combine(directory, "openssl");
        File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = s_client ]; then shift; exec '{openssl}' s_client -ign_eof \"$@\"; fi\nexec '{openssl}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    // TLS 1.3 suites (all AEAD, all with an ephemeral key exchange), or TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305.
    [GeneratedRegex("^(TLS_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)|TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384))$")]
    private static partial Regex ForwardSecretAead();

    private sealed record Finding(string Id, string Severity, string Text);

    /// <summary>A hub of its own: the scan's hundreds of refused handshakes stay out of the other tests' logs.</summary>
    public sealed class ScannedHub : HubTestServer
    {
    }
}
