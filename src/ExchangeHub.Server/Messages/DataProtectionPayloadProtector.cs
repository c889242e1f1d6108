// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Messages;

/// <summary>
/// Envelope encryption for stored payloads: a fresh 256-bit data key per payload seals it with AES-256-GCM
/// (<see cref="EnvelopeCipher"/>), and ASP.NET Core Data Protection wraps that data key under the purpose
/// <c>ExchangeHub.Payload.v1</c> / message type (for example <c>END_OF_DETENTION_NOTICE</c>), so a key wrapped
/// for one type does not unwrap as another. Deleting a message's wrapped key destroys its payload
/// (crypto-shredding); the shared key ring is not touched by that. Thread-safe.
/// </summary>
/// <remarks>
/// The key ring lives in <see cref="PayloadProtectionOptions.KeysDirectory"/>, each key encrypted to the
/// configured RSA certificate (XML Encryption). Data Protection creates keys by itself: the first at the first
/// payload, then a new one before the current one expires (<see cref="PayloadProtectionOptions.KeyLifetime"/>,
/// 90 days by default). Expired keys stay in the ring and keep unwrapping the payloads they wrapped, so key
/// rotation alone destroys nothing. To replace the certificate, configure the new one and list the old one
/// under <see cref="PayloadProtectionOptions.PreviousCertificates"/>: new keys are encrypted to the new one,
/// older keys still decrypt with the old one.
/// </remarks>
internal sealed class DataProtectionPayloadProtector : IPayloadProtector, IDisposable
{
    /// <summary>The purpose every payload key is wrapped under; the message type is the sub-purpose.</summary>
    public const string Purpose = "ExchangeHub.Payload.v1";

    /// <summary>
    /// The Data Protection application name. Set explicitly because the default is derived from the content
    /// root path, and a hub moved to another directory would then no longer read its own key ring.
    /// </summary>
    public const string ApplicationName = "ExchangeHub";

    private readonly ServiceProvider _dataProtection;
    private readonly X509Certificate2[] _certificates;
    private readonly FrozenDictionary<MessageType, IDataProtector> _protectors;

    public DataProtectionPayloadProtector(IOptions<PayloadProtectionOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var settings = options.Value;
        KeysDirectory = settings.KeysDirectory!;
        _certificates =
        [
            LoadCertificate(settings.CertificatePath!, settings.KeyPath!),
            .. settings.PreviousCertificates.Select(p => LoadCertificate(p.CertificatePath!, p.KeyPath!)),
        ];

        // A container of its own rather than the host's AddDataProtection(): the certificate comes from
        // validated options, which the host's builder methods cannot wait for (they take the certificate at
        // registration, and the decryption certificate list they fill is internal). It also keeps the payload
        // key ring apart from whatever else in ASP.NET Core uses Data Protection. Logs go to the host's loggers.
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(CreateKeysDirectory(KeysDirectory))
            .ProtectKeysWithCertificate(_certificates[0])
            .UnprotectKeysWithAnyCertificate(_certificates)
            .SetDefaultKeyLifetime(settings.KeyLifetime);
        _dataProtection = services.BuildServiceProvider();

        var provider = _dataProtection.GetRequiredService<IDataProtectionProvider>();
        _protectors = Enum.GetValues<MessageType>()
            .Where(t => t != MessageType.Unspecified)
            .ToFrozenDictionary(t => t, t => provider.CreateProtector(Purpose, ContractEnums.Name(t)));
    }

    /// <summary>The directory of the key ring.</summary>
    public string KeysDirectory { get; }

    /// <summary>The thumbprint (SHA-256) of the certificate that encrypts new key ring keys.</summary>
    public string CertificateThumbprint => _certificates[0].GetCertHashString(HashAlgorithmName.SHA256);

    /// <inheritdoc />
    public ProtectedPayload Protect(MessageType type, string messageId, ReadOnlySpan<byte> plaintext)
    {
        var protector = ProtectorFor(type);
        var key = EnvelopeCipher.CreateKey();
        try
        {
            var ciphertext = EnvelopeCipher.Seal(key, type, messageId, plaintext);
            return new ProtectedPayload(protector.Protect(key), ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public byte[] Unprotect(MessageType type, string messageId, ProtectedPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var protector = ProtectorFor(type);
        if (payload.WrappedKey is null || payload.WrappedKey.Length == 0)
        {
            throw new PayloadDestroyedException(type, messageId);
        }

        byte[] key;
        try
        {
            key = protector.Unprotect(payload.WrappedKey);
        }
        catch (CryptographicException ex)
        {
            throw new CryptographicException(
                $"EH5213: The data key of {ContractEnums.Name(type)} message '{messageId}' does not unwrap: it was altered or wrapped for another message type, or the key ring key that wrapped it is missing or cannot be decrypted with the configured certificates.",
                ex);
        }

        try
        {
            return EnvelopeCipher.Open(key, type, messageId, payload.Ciphertext ?? []);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Checks at start that every key in the ring decrypts with the configured certificates, then wraps and
    /// unwraps a probe (which creates the first key in a new ring). Returns the number of keys. A key that does
    /// not decrypt means the payloads it wrapped are unreadable, usually because a replaced certificate is not
    /// listed under PreviousCertificates: that stops the start instead of failing message by message.
    /// </summary>
    public int VerifyKeyRing()
    {
        var unreadable = new List<string>();
        var keys = _dataProtection.GetRequiredService<IKeyManager>().GetAllKeys();
        foreach (var key in keys.Where(k => !k.IsRevoked))
        {
            try
            {
                _ = key.Descriptor;
            }
            catch (CryptographicException ex)
            {
                unreadable.Add($"{key.KeyId:D} ({ex.Message})");
            }
        }

        if (unreadable.Count > 0)
        {
            throw new InvalidOperationException(
                $"EH5214: The payload key ring in '{KeysDirectory}' holds keys that the configured certificates cannot decrypt: {string.Join(", ", unreadable)}. Payloads wrapped by them would be unreadable. List the certificate that encrypted them under {PayloadProtectionOptions.SectionName}:PreviousCertificates.");
        }

        var probe = Protect(MessageType.EndOfDetentionNotice, "key-ring-probe", "probe"u8);
        _ = Unprotect(MessageType.EndOfDetentionNotice, "key-ring-probe", probe);
        return _dataProtection.GetRequiredService<IKeyManager>().GetAllKeys().Count;
    }

    /// <summary>Loads a certificate with its private key from PEM files.</summary>
    internal static X509Certificate2 LoadCertificate(string certificatePath, string keyPath) =>
        PemFiles.LoadCertificateWithKey(certificatePath, keyPath);

    public void Dispose()
    {
        _dataProtection.Dispose();
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }
    }

    private IDataProtector ProtectorFor(MessageType type) =>
        _protectors.TryGetValue(type, out var protector)
            ? protector
            : throw new ArgumentOutOfRangeException(nameof(type), type, "A stored payload needs a defined message type.");

    private static DirectoryInfo CreateKeysDirectory(string path)
    {
        // The keys are encrypted, but their names and dates are nobody else's business either.
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
