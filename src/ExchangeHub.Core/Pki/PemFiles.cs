// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Storage;

namespace ExchangeHub.Core.Pki;

/// <summary>Reads and writes certificates, keys and revocation lists as PEM files.</summary>
public static class PemFiles
{
    /// <summary>Writes a certificate (public part only).</summary>
    public static void WriteCertificate(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        WriteAtomically(path, certificate.ExportCertificatePem(), secret: false);
    }

    /// <summary>Writes a certificate's private key as unencrypted PKCS#8, readable by the owner only.</summary>
    public static void WritePrivateKey(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() as AsymmetricAlgorithm
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"Certificate '{certificate.Subject}' has no private key to write.");
        WriteAtomically(path, key.ExportPkcs8PrivateKeyPem(), secret: true);
    }

    /// <summary>Writes a DER revocation list as PEM.</summary>
    public static void WriteRevocationList(string path, byte[] der) =>
        WriteAtomically(path, PemEncoding.WriteString("X509 CRL", der), secret: false);

    /// <summary>Loads a certificate and its private key from two PEM files.</summary>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath)
    {
        using var pemBound = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // Kestrel and SslStream want a key they can use for the handshake; round-tripping through PKCS#12
        // gives a certificate whose key is not tied to the lifetime of the PEM import.
        return X509CertificateLoader.LoadPkcs12(pemBound.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Loads every certificate in a PEM bundle.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
        {
            throw new InvalidDataException($"'{path}' holds no PEM certificate.");
        }

        return collection;
    }

    private static void WriteAtomically(string path, string contents, bool secret) =>
        AtomicFile.Write(path, System.Text.Encoding.ASCII.GetBytes(contents), ownerOnly: secret, overwrite: true);
}
