// This file is part of ExchangeHub.

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ExchangeHub.Server.Tokens;

/// <summary>
/// The keys that sign access tokens, persisted as owner-only PEM files (certificate and PKCS#8 key) so that tokens
/// survive a restart and every instance on the same data directory signs with the same key. A key signs for
/// <see cref="TokenOptions.SigningKeyRotation"/>, after which a new one is made; the old one stays to validate the
/// tokens it signed until its certificate expires one rotation period later, and is then deleted. The keys are
/// self-signed RSA 3072 certificates: OpenIddict orders certificates by expiry and signs with the newest, which is
/// exactly the rotation wanted (bare keys have no order), and IdentityModel signs with certificates only when RSA.
/// </summary>
public sealed class TokenSigningKeyRing : IDisposable
{
    private const string FilePrefix = "token-signing-";
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly TimeSpan _rotation;
    private readonly TimeProvider _time;
    private IReadOnlyList<X509Certificate2> _keys = [];
    private CancellationTokenSource _changed = new();

    /// <summary>Loads the key ring, creating the first key (and the folder) when there is none.</summary>
    public TokenSigningKeyRing(IOptions<TokenOptions> options, IOptions<StorageOptions> storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var dataDirectory = storage.Value.DataDirectory ?? throw new InvalidOperationException($"EH9506: {StorageOptions.SectionName}:DataDirectory is required to keep the token signing keys.");
        _directory = Path.GetFullPath(options.Value.SigningKeyDirectory, dataDirectory);
        _rotation = options.Value.SigningKeyRotation;
        _time = time;
        Directory.CreateDirectory(_directory);
        RotateIfDue();
    }

    /// <summary>The keys in force, newest first: the first signs, all validate.</summary>
    public IReadOnlyList<X509Certificate2> Keys
    {
        get
        {
            lock (_gate)
            {
                return _keys;
            }
        }
    }

    /// <summary>Signals that the keys changed, so that the token server and validation pick up the new ring.</summary>
    public IChangeToken ChangeToken
    {
        get
        {
            lock (_gate)
            {
                return new CancellationChangeToken(_changed.Token);
            }
        }
    }

    /// <summary>
    /// Makes a new signing key when the newest is older than the rotation period, deletes keys whose certificate
    /// expired, and reloads the ring from disk (another instance may have rotated). Returns whether the keys changed.
    /// </summary>
    public bool RotateIfDue()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var loaded = Load(now);
            if (loaded.Count == 0 || loaded[0].NotBefore.ToUniversalTime() <= (now - _rotation).UtcDateTime)
            {
                Create(now);
                foreach (var key in loaded)
                {
                    key.Dispose();
                }

                loaded = Load(now);
            }

            var changed = !loaded.Select(k => k.Thumbprint).SequenceEqual(_keys.Select(k => k.Thumbprint), StringComparer.Ordinal);
            if (!changed)
            {
                foreach (var key in loaded)
                {
                    key.Dispose();
                }

                return false;
            }

            // Keys handed out before stay usable by whoever holds them; they are collected with the ring.
            _keys = loaded;
            var previous = _changed;
            _changed = new CancellationTokenSource();
            previous.Cancel();
            previous.Dispose();
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _keys)
            {
                key.Dispose();
            }

            _changed.Dispose();
        }
    }

    private List<X509Certificate2> Load(DateTimeOffset now)
    {
        var keys = new List<X509Certificate2>();
        foreach (var path in Directory.EnumerateFiles(_directory, FilePrefix + "*.pem"))
        {
            X509Certificate2 key;
            try
            {
                var pem = File.ReadAllText(path);
                key = X509Certificate2.CreateFromPem(pem, pem);
            }
            catch (CryptographicException ex)
            {
                // Fail closed: a damaged key file is an operator matter, not something to skip silently.
                throw new InvalidOperationException($"EH9507: the token signing key '{path}' cannot be read: {ex.Message}", ex);
            }

            if (key.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                key.Dispose();
                File.Delete(path);
                continue;
            }

            keys.Add(key);
        }

        keys.Sort((a, b) => b.NotBefore.CompareTo(a.NotBefore));
        return keys;
    }

    private void Create(DateTimeOffset now)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=ExchangeHub token signing " + now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));

        // Valid from a little before now (clock skew between instances), until one rotation period after the next key takes over.
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + _rotation + _rotation);
        var pem = new StringBuilder()
            .AppendLine(certificate.ExportCertificatePem())
            .AppendLine(rsa.ExportPkcs8PrivateKeyPem())
            .ToString();
        var path = Path.Combine(_directory, $"{FilePrefix}{now.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}-{certificate.Thumbprint[..8]}.pem");
        SecretFiles.WriteSecret(path, Encoding.ASCII.GetBytes(pem));
    }
}
