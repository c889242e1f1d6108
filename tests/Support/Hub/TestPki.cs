// This file is part of ExchangeHub.

using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;

namespace ExchangeHub.Tests.Support.Hub;

/// <summary>
/// A throwaway PKI for one test run: the partner CA the hub trusts (with a revocation list naming one revoked
/// certificate), a foreign CA it does not, and client certificates for each outcome the tests assert.
/// </summary>
public sealed class TestPki : IDisposable
{
    public const string DjiOin = "00000001800000001000";
    public const string RotterdamOin = "00000001800000005000";
    public const string UnregisteredOin = "00000001800000099000";
    public const string DisabledOin = "00000001800000098000";
    public const string PrivacyOfficerOin = "00000001800000008000";
    public const string IdvOin = "00000001800000002000";
    public const string UtrechtOin = "00000001800000006000";
    public const string PoliceOin = "00000001800000003000";
    public const string AivdOin = "00000001800000007000";
    public const string JustidOin = "00000001800000009000";
    public const string AmsterdamOin = "00000001800000010000";

    private readonly DevCertificateAuthority _ca;
    private readonly DevCertificateAuthority _foreignCa;

    public TestPki(string directory)
    {
        Directory = directory;
        _ca = DevCertificateAuthority.Create("ExchangeHub Test CA");
        _foreignCa = DevCertificateAuthority.Create("ExchangeHub Test CA"); // same name, other key: only the key counts

        var now = DateTimeOffset.UtcNow;
        Dji = _ca.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Oin.Parse(DjiOin));
        Rotterdam = _ca.IssuePartnerCertificate("Gemeente Rotterdam", "Gemeente Rotterdam", Oin.Parse(RotterdamOin));
        PrivacyOfficer = _ca.IssuePartnerCertificate("FG", "Functionaris Gegevensbescherming", Oin.Parse(PrivacyOfficerOin));
        Idv = _ca.IssuePartnerCertificate("OM IDV", "Openbaar Ministerie", Oin.Parse(IdvOin));
        Utrecht = _ca.IssuePartnerCertificate("Gemeente Utrecht", "Gemeente Utrecht", Oin.Parse(UtrechtOin));
        Police = _ca.IssuePartnerCertificate("Politie", "Politie", Oin.Parse(PoliceOin));
        Aivd = _ca.IssuePartnerCertificate("AIVD", "Algemene Inlichtingen- en Veiligheidsdienst", Oin.Parse(AivdOin));
        Justid = _ca.IssuePartnerCertificate("Justid", "Justitiële Informatiedienst", Oin.Parse(JustidOin));
        Amsterdam = _ca.IssuePartnerCertificate("Gemeente Amsterdam", "Gemeente Amsterdam", Oin.Parse(AmsterdamOin));
        Unregistered = _ca.IssuePartnerCertificate("Unknown", "Not a partner", Oin.Parse(UnregisteredOin));
        Disabled = _ca.IssuePartnerCertificate("Suspended", "Suspended partner", Oin.Parse(DisabledOin));
        Expired = _ca.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Oin.Parse(DjiOin), now.AddDays(-60), now.AddDays(-1));
        Revoked = _ca.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Oin.Parse(DjiOin));
        Foreign = _foreignCa.IssuePartnerCertificate("DJI", "Dienst Justitiële Inrichtingen", Oin.Parse(DjiOin));
        ServerUsageOnly = _ca.IssueServerCertificate("DJI pretending", ["dji.example"]);
        Server = _ca.IssueServerCertificate("ExchangeHub test", ["localhost"]);

        System.IO.Directory.CreateDirectory(directory);
        PemFiles.WriteCertificate(CaCertificatePath, _ca.Certificate);
        PemFiles.WriteRevocationList(RevocationListPath, _ca.CreateRevocationList([Revoked], BigInteger.One));
        PemFiles.WriteCertificate(ServerCertificatePath, Server);
        PemFiles.WritePrivateKey(ServerKeyPath, Server);
    }

    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string RevocationListPath => Path.Combine(Directory, "ca.crl");

    public string ServerCertificatePath => Path.Combine(Directory, "hub.crt");

    public string ServerKeyPath => Path.Combine(Directory, "hub.key");

    public X509Certificate2 CaCertificate => _ca.Certificate;

    public X509Certificate2 Server { get; }

    public X509Certificate2 Dji { get; }

    public X509Certificate2 Rotterdam { get; }

    public X509Certificate2 PrivacyOfficer { get; }

    public X509Certificate2 Idv { get; }

    public X509Certificate2 Utrecht { get; }

    public X509Certificate2 Police { get; }

    public X509Certificate2 Aivd { get; }

    public X509Certificate2 Justid { get; }

    /// <summary>A municipality (GM0363) whose inbox only the inbox tests use, so they see their own messages alone.</summary>
    public X509Certificate2 Amsterdam { get; }

    public X509Certificate2 Unregistered { get; }

    public X509Certificate2 Disabled { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 Revoked { get; }

    public X509Certificate2 Foreign { get; }

    public X509Certificate2 ServerUsageOnly { get; }

    public void Dispose()
    {
        foreach (var certificate in new[] { Server, Dji, Rotterdam, PrivacyOfficer, Idv, Utrecht, Police, Aivd, Justid, Amsterdam, Unregistered, Disabled, Expired, Revoked, Foreign, ServerUsageOnly })
        {
            certificate.Dispose();
        }

        _ca.Dispose();
        _foreignCa.Dispose();
    }
}
