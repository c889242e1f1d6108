// This file is part of ExchangeHub.

using ExchangeHub.Cli.Commands;
using ExchangeHub.Core.Pki;
using ExchangeHub.Tests.Support.Hub;

namespace ExchangeHub.Cli.Tests;

/// <summary><c>hubctl token</c> and the token cache hubctl keeps between runs, against a real hub.</summary>
public sealed class TokenCommandTests(HubTestServer hub) : IClassFixture<HubTestServer>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-cli-token-").FullName;

    [Fact]
    public async Task Token_ShowsScopesExpiryAndTheBindingToThisCertificate()
    {
        var (exitCode, output) = await RunAsync(raw: false);

        Assert.Equal(0, exitCode);
        Assert.Contains($"Subject      {TestPki.RotterdamOin}", output, StringComparison.Ordinal);
        Assert.Contains("Audience     exchangehub", output, StringComparison.Ordinal);
        Assert.Contains("Bound to     this certificate (x5t#S256 ", output, StringComparison.Ordinal);
        Assert.Contains("  inbox:receive", output, StringComparison.Ordinal);
        Assert.DoesNotContain("  notices:submit", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_TwoRunsInARow_SecondReusesTheCachedTokenFromAnOwnerOnlyFile()
    {
        var first = await RunAsync(raw: true);
        var second = await RunAsync(raw: true);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(first.Output, second.Output);
        var cached = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "cache")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cached));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int ExitCode, string Output)> RunAsync(bool raw)
    {
        var certificatePath = Path.Combine(_directory, "partner.crt");
        var keyPath = Path.Combine(_directory, "partner.key");
        if (!File.Exists(certificatePath))
        {
            PemFiles.WriteCertificate(certificatePath, hub.Pki.Rotterdam);
            PemFiles.WritePrivateKey(keyPath, hub.Pki.Rotterdam);
        }

        var settings = new HubConnectionSettings(hub.Address, certificatePath, keyPath, hub.Pki.CaCertificatePath) { TokenCacheDirectory = Path.Combine(_directory, "cache") };
        using var output = new StringWriter();
        var exitCode = await TokenCommand.RunAsync(settings, raw, output, TimeProvider.System, CancellationToken.None);
        return (exitCode, output.ToString());
    }
}
