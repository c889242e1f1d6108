// This file is part of ExchangeHub.

using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExchangeHub.Core.Tests.Pki;

public sealed class ClientCertificateValidatorTests : IDisposable
{
    private static readonly Oin Dji = Oin.Parse("00000001800000001000");
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-pki-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly DevCertificateAuthority _ca;

    public ClientCertificateValidatorTests()
    {
        _ca = DevCertificateAuthority.Create("Test CA", _time);
        PemFiles.WriteCertificate(CaPath, _ca.Certificate);
        WriteRevocationList();
    }

    private string CaPath => Path.Combine(_directory, "ca.crt");

    private string CrlPath => Path.Combine(_directory, "ca.crl");

    [Fact]
    public void Validate_PartnerCertificateFromTrustedCa_IsValid()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Dji);
        using var validator = CreateValidator();

        var result = validator.Validate(certificate);

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public void Validate_CertificateFromForeignCa_UntrustedIssuer()
    {
        using var foreign = DevCertificateAuthority.Create("Test CA", _time); // same name, other key
        using var certificate = foreign.IssuePartnerCertificate("DJI", "DJI", Dji);
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.UntrustedIssuer, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_ExpiredCertificate_Expired()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji, _time.GetUtcNow().AddDays(-30), _time.GetUtcNow().AddDays(-1));
        using var validator = CreateValidator();

        var result = validator.Validate(certificate);

        Assert.Equal(CertificateRejection.Expired, result.Rejection);
    }

    [Fact]
    public void Validate_CertificateBecomesExpiredAsTimePasses_Expired()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji, _time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(1));
        using var validator = CreateValidator(refresh: TimeSpan.FromDays(365));
        Assert.True(validator.Validate(certificate).IsValid);

        _time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(CertificateRejection.Expired, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_NotYetValidCertificate_NotYetValid()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji, _time.GetUtcNow().AddDays(1), _time.GetUtcNow().AddDays(30));
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.NotYetValid, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_RevokedCertificate_Revoked()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        WriteRevocationList(certificate);
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.Revoked, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_RevocationAfterStart_TakesEffectAfterRefreshInterval()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        using var validator = CreateValidator(refresh: TimeSpan.FromSeconds(30));
        Assert.True(validator.Validate(certificate).IsValid);

        WriteRevocationList(certificate);
        File.SetLastWriteTimeUtc(CrlPath, DateTime.UtcNow.AddSeconds(5)); // a distinct stamp even on coarse file systems
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(CertificateRejection.Revoked, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_RevocationListSignedByAnotherCa_RevocationStatusUnknown()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        using var impostor = DevCertificateAuthority.Create("Test CA", _time);
        PemFiles.WriteRevocationList(CrlPath, impostor.CreateRevocationList([], BigInteger.One));
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.RevocationStatusUnknown, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_StaleRevocationList_RevocationStatusUnknown()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        PemFiles.WriteRevocationList(CrlPath, _ca.CreateRevocationList([], BigInteger.One, _time.GetUtcNow().AddHours(1)));
        using var validator = CreateValidator();
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(CertificateRejection.RevocationStatusUnknown, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_NoRevocationListButNotRequired_IsValid()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        File.Delete(CrlPath);
        using var validator = CreateValidator(requireList: false);

        Assert.True(validator.Validate(certificate).IsValid);
    }

    [Fact]
    public void Validate_NoRevocationListAndRequired_RevocationStatusUnknown()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        File.Delete(CrlPath);
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.RevocationStatusUnknown, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Validate_ServerCertificateUsedAsClient_WrongKeyUsage()
    {
        using var certificate = _ca.IssueServerCertificate("hub", ["localhost"]);
        using var validator = CreateValidator();

        var result = validator.Validate(certificate);

        Assert.Equal(CertificateRejection.WrongKeyUsage, result.Rejection);
        Assert.Contains("clientAuth", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelfSignedLookAlike_UntrustedIssuer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(OinCertificateReader.BuildSubject("DJI", "DJI", Dji), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(DevCertificateAuthority.ClientAuthenticationOid)], false));
        using var certificate = request.CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(1));
        using var validator = CreateValidator();

        Assert.Equal(CertificateRejection.UntrustedIssuer, validator.Validate(certificate).Rejection);
    }

    [Fact]
    public void Constructor_NoSelfSignedCa_Throws()
    {
        using var leaf = _ca.IssuePartnerCertificate("DJI", "DJI", Dji);
        var leafPath = Path.Combine(_directory, "leaf.crt");
        PemFiles.WriteCertificate(leafPath, leaf);
        var options = new ClientCertificateOptions();
        options.TrustedCaCertificatePaths.Add(leafPath);

        var ex = Assert.Throws<InvalidOperationException>(() => new ClientCertificateValidator(Options.Create(options), _time));
        Assert.StartsWith("EH9201:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OinCertificateReader_PartnerCertificate_ReadsOin()
    {
        using var certificate = _ca.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Dji);

        Assert.True(OinCertificateReader.TryRead(certificate, out var oin));
        Assert.Equal(Dji, oin);
    }

    [Fact]
    public void OinCertificateReader_EtsiOrganizationIdentifier_ReadsOin()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.Add(OinCertificateReader.OrganizationIdentifierOid, "NTRNL-" + Dji.Value);
        subject.AddCommonName("DJI");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(_time.GetUtcNow(), _time.GetUtcNow().AddDays(1));

        Assert.True(OinCertificateReader.TryRead(certificate, out var oin));
        Assert.Equal(Dji, oin);
    }

    [Fact]
    public void OinCertificateReader_NoOin_ReturnsFalse()
    {
        using var certificate = _ca.IssueServerCertificate("hub", ["localhost"]);

        Assert.False(OinCertificateReader.TryRead(certificate, out _));
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private ClientCertificateValidator CreateValidator(bool requireList = true, TimeSpan? refresh = null)
    {
        var options = new ClientCertificateOptions { RequireRevocationList = requireList, RevocationListRefreshInterval = refresh ?? TimeSpan.FromSeconds(30) };
        options.TrustedCaCertificatePaths.Add(CaPath);
        options.RevocationListPaths.Add(CrlPath);
        return new ClientCertificateValidator(Options.Create(options), _time);
    }

    private void WriteRevocationList(params X509Certificate2[] revoked) =>
        PemFiles.WriteRevocationList(CrlPath, _ca.CreateRevocationList(revoked, new BigInteger(revoked.Length + 1)));
}
