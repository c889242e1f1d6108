// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Tests.Pki;

public sealed class DevPkiGeneratorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-devpki-").FullName;

    private static Partner[] Partners =>
    [
        new(Oin.Parse("00000001800000001000"), "Dienst Justitiële Inrichtingen", new[] { PartnerRole.PrisonService }.ToFrozenSet(), null),
        new(Oin.Parse("00000001800000005000"), "Gemeente Rotterdam", new[] { PartnerRole.Municipality }.ToFrozenSet(), "GM0599"),
    ];

    [Fact]
    public void Ensure_EmptyDirectory_CreatesCaHubAndPartnerCertificatesThatValidate()
    {
        var layout = new DevPkiLayout(_directory);

        var written = DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);

        Assert.Equal(6, written.Count);
        Assert.True(File.Exists(layout.CaKey) && File.Exists(layout.HubKey) && File.Exists(layout.DataProtectionKey));
        Assert.EndsWith("dienst-justitiele-inrichtingen.crt", layout.PartnerCertificate(Partners[0].Name), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(layout.PartnerKey(Partners[0].Name)));
        }

        var options = new ClientCertificateOptions();
        options.TrustedCaCertificatePaths.Add(layout.CaCertificate);
        options.RevocationListPaths.Add(layout.RevocationList);
        using var validator = new ClientCertificateValidator(Options.Create(options), TimeProvider.System);
        foreach (var partner in Partners)
        {
            using var certificate = PemFiles.LoadCertificateWithKey(layout.PartnerCertificate(partner.Name), layout.PartnerKey(partner.Name));
            Assert.True(validator.Validate(certificate).IsValid);
            Assert.True(OinCertificateReader.TryRead(certificate, out var oin));
            Assert.Equal(partner.Oin, oin);
        }
    }

    [Fact]
    public void Ensure_SecondRun_KeepsWhatExistsAndAddsNewPartnersOnly()
    {
        var layout = new DevPkiLayout(_directory);
        DevPkiGenerator.Ensure(layout, Partners[..1], ["localhost"]);
        var caBefore = File.ReadAllText(layout.CaCertificate);

        var written = DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);

        Assert.Equal([layout.PartnerCertificate("Gemeente Rotterdam")], written);
        Assert.Equal(caBefore, File.ReadAllText(layout.CaCertificate));
    }

    [Fact]
    public void Ensure_PartnerCertificateNearExpiry_IsReissued()
    {
        var layout = new DevPkiLayout(_directory);
        DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(340));

        var written = DevPkiGenerator.Ensure(layout, Partners, ["localhost"], later);

        // Partner certificates live a year, the hub's two: only the partners' are due.
        Assert.Equal(Partners.Select(p => layout.PartnerCertificate(p.Name)), written);
    }

    [Fact]
    public void Ensure_DataProtectionCertificate_IsRsa3072WithItsKeyReadableByOwnerOnly()
    {
        var layout = new DevPkiLayout(_directory);

        var written = DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);

        Assert.Contains(layout.DataProtectionCertificate, written);
        Assert.EndsWith("data-protection.crt", layout.DataProtectionCertificate, StringComparison.Ordinal);
        using var certificate = PemFiles.LoadCertificateWithKey(layout.DataProtectionCertificate, layout.DataProtectionKey);
        using var key = certificate.GetRSAPrivateKey();
        Assert.NotNull(key);
        Assert.Equal(3072, key.KeySize);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(layout.DataProtectionKey));
        }
    }

    [Fact]
    public void Ensure_NewCaOrNearExpiry_KeepsTheDataProtectionCertificate()
    {
        // Replacing it would make every stored payload unreadable, so neither a new CA nor time replaces it.
        var layout = new DevPkiLayout(_directory);
        DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);
        var before = File.ReadAllText(layout.DataProtectionCertificate);
        File.Delete(layout.CaKey);

        var afterNewCa = DevPkiGenerator.Ensure(layout, Partners, ["localhost"]);
        var afterYears = DevPkiGenerator.Ensure(layout, Partners, ["localhost"], new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(3640)));

        Assert.Contains(layout.CaCertificate, afterNewCa);
        Assert.DoesNotContain(layout.DataProtectionCertificate, afterNewCa);
        Assert.DoesNotContain(layout.DataProtectionCertificate, afterYears);
        Assert.Equal(before, File.ReadAllText(layout.DataProtectionCertificate));
    }

    [Theory]
    [InlineData("Gemeente Rotterdam", "gemeente-rotterdam")]
    [InlineData("Dienst Justitiële Inrichtingen", "dienst-justitiele-inrichtingen")]
    [InlineData("  OM / IDV  ", "om-idv")]
    public void Slug_PartnerName_IsFileNameSafe(string name, string expected) =>
        Assert.Equal(expected, DevPkiLayout.Slug(name));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
