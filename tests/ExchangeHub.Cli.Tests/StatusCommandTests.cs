// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Cli.Commands;
using ExchangeHub.Core.Pki;
using ExchangeHub.Tests.Support.Hub;
using Microsoft.Extensions.Time.Testing;

namespace ExchangeHub.Cli.Tests;

/// <summary><c>hubctl status</c> against a real hub over mutual TLS on loopback.</summary>
public sealed class StatusCommandTests(HubTestServer hub) : IClassFixture<HubTestServer>
{
    [Fact]
    public async Task Status_RegisteredPartner_ReportsServingAndServices()
    {
        var (exitCode, output) = await RunAsync(hub.Pki.Rotterdam);

        Assert.Equal(0, exitCode);
        Assert.Contains($"OIN          {TestPki.RotterdamOin}", output, StringComparison.Ordinal);
        Assert.Contains("Health       SERVING", output, StringComparison.Ordinal);
        Assert.Contains("Partner      accepted", output, StringComparison.Ordinal);
        Assert.Contains("exchangehub.v1.NoticeService", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnregisteredOin_ExplainsRefusal()
    {
        var (exitCode, output) = await RunAsync(hub.Pki.Unregistered);

        Assert.Equal(StatusCommand.NotAPartner, exitCode);
        Assert.Contains($"Partner      REFUSED: EH1003: The client certificate is valid, but OIN {TestPki.UnregisteredOin} is not registered", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_RevokedCertificate_Unreachable()
    {
        var (exitCode, output) = await RunAsync(hub.Pki.Revoked);

        Assert.Equal(StatusCommand.Unreachable, exitCode);
        Assert.Contains("Connection   FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CertificateNearExpiry_Warns()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(hub.Pki.Rotterdam.NotAfter.ToUniversalTime().AddDays(-10), TimeSpan.Zero));

        var (exitCode, output) = await RunAsync(hub.Pki.Rotterdam, time);

        Assert.Equal(0, exitCode);
        Assert.Contains("WARNING      the certificate expires within 30 days", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(X509Certificate2 certificate, TimeProvider? time = null)
    {
        var directory = Directory.CreateTempSubdirectory("eh-cli-").FullName;
        try
        {
            var certificatePath = Path.Combine(directory, "partner.crt");
            var keyPath = Path.Combine(directory, "partner.key");
            PemFiles.WriteCertificate(certificatePath, certificate);
            PemFiles.WritePrivateKey(keyPath, certificate);
            var settings = new HubConnectionSettings(hub.Address, certificatePath, keyPath, hub.Pki.CaCertificatePath);
            using var output = new StringWriter();

            var exitCode = await StatusCommand.RunAsync(settings, output, time ?? TimeProvider.System, CancellationToken.None);

            return (exitCode, output.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
