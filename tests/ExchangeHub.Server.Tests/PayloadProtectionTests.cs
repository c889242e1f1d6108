// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Pki;
using ExchangeHub.Server.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Payload encryption at rest through the real registration (<c>AddPayloadProtection</c>), a real Data
/// Protection key ring in a temporary directory and freshly generated certificates.
/// </summary>
public sealed class PayloadProtectionTests : IDisposable
{
    private const string MessageId = "01J9ZQ4V7C2M8E5R3T6Y1U0W9X";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"bsn\":\"999990019\",\"name\":\"J. de Vries\"}");

    private readonly string _root = Directory.CreateTempSubdirectory("eh-payload-").FullName;
    private readonly CertificateFiles _certificate;

    public PayloadProtectionTests()
    {
        _certificate = WriteRsaCertificate("current");
    }

    private string DataDirectory => Path.Combine(_root, "data");

    private string KeysDirectory => Path.Combine(DataDirectory, "keys", "data-protection");

    [Fact]
    public void Protect_ThenUnprotect_ReturnsThePayload()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();

        var protectedPayload = protector.Protect(MessageType.EndOfDetentionNotice, MessageId, Payload);

        Assert.Equal(Payload, protector.Unprotect(MessageType.EndOfDetentionNotice, MessageId, protectedPayload));
        Assert.Equal(EnvelopeCipher.Overhead + Payload.Length, protectedPayload.Ciphertext.Length);
        Assert.InRange(protectedPayload.WrappedKey.Length, EnvelopeCipher.KeySize + 1, 200);
        Assert.DoesNotContain("999990019", Encoding.UTF8.GetString(protectedPayload.Ciphertext), StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_EmptyPayload_RoundTrips()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();

        var protectedPayload = protector.Protect(MessageType.Signal, MessageId, []);

        Assert.Empty(protector.Unprotect(MessageType.Signal, MessageId, protectedPayload));
    }

    [Fact]
    public void Protect_SamePayloadTwice_GivesEachItsOwnDataKey()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();

        var first = protector.Protect(MessageType.Signal, MessageId, Payload);
        var second = protector.Protect(MessageType.Signal, MessageId, Payload);

        // Each message has its own data key, so deleting one wrapped key destroys one payload only.
        Assert.NotEqual(first.WrappedKey, second.WrappedKey);
        Assert.Throws<PayloadDestroyedException>(() => protector.Unprotect(MessageType.Signal, MessageId, first with { WrappedKey = [] }));
        Assert.Equal(Payload, protector.Unprotect(MessageType.Signal, MessageId, second));
    }

    [Fact]
    public void Unprotect_AsAnotherMessageType_FailsAtTheWrappedKey()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var protectedPayload = protector.Protect(MessageType.Signal, MessageId, Payload);

        var error = Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(MessageType.OfficialReport, MessageId, protectedPayload));

        // EH5213, not EH5212: the data key is wrapped under a purpose per message type and does not even unwrap.
        Assert.StartsWith("EH5213:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_AsAnotherMessageOfTheSameType_FailsAuthentication()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var protectedPayload = protector.Protect(MessageType.Signal, MessageId, Payload);

        var error = Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(MessageType.Signal, "01J9ZQ4V7C2M8E5R3T6Y1U0W9Y", protectedPayload));

        Assert.StartsWith("EH5212:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_WrappedKeyOfAnotherMessage_Fails()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var mine = protector.Protect(MessageType.Signal, MessageId, Payload);
        var other = protector.Protect(MessageType.Signal, MessageId, Payload);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(MessageType.Signal, MessageId, mine with { WrappedKey = other.WrappedKey }));
    }

    [Fact]
    public void Unprotect_AlteredWrappedKey_Fails()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var protectedPayload = protector.Protect(MessageType.Signal, MessageId, Payload);
        var wrappedKey = (byte[])protectedPayload.WrappedKey.Clone();
        wrappedKey[^1] ^= 0x01;

        var error = Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(MessageType.Signal, MessageId, protectedPayload with { WrappedKey = wrappedKey }));

        Assert.StartsWith("EH5213:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_WrappedKeyDeleted_ThrowsPayloadDestroyed()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var protectedPayload = protector.Protect(MessageType.Signal, MessageId, Payload);

        var emptied = Assert.Throws<PayloadDestroyedException>(() => protector.Unprotect(MessageType.Signal, MessageId, protectedPayload with { WrappedKey = [] }));
        var nulled = Assert.Throws<PayloadDestroyedException>(() => protector.Unprotect(MessageType.Signal, MessageId, protectedPayload with { WrappedKey = null! }));

        Assert.StartsWith("EH5210:", emptied.Message, StringComparison.Ordinal);
        Assert.Equal(MessageId, emptied.MessageId);
        Assert.Equal(MessageType.Signal, nulled.MessageType);
    }

    [Fact]
    public void KeyRing_OnDisk_IsEncryptedToTheCertificate()
    {
        using var host = BuildHost(Settings(_certificate));
        host.Services.GetRequiredService<IPayloadProtector>().Protect(MessageType.Signal, MessageId, Payload);

        var files = Directory.GetFiles(KeysDirectory, "key-*.xml");

        Assert.NotEmpty(files);
        foreach (var xml in files.Select(File.ReadAllText))
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
            Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(KeysDirectory));
        }
    }

    [Fact]
    public void Restart_SameDirectoryAndCertificate_ReadsEarlierPayloads()
    {
        ProtectedPayload protectedPayload;
        using (var first = BuildHost(Settings(_certificate)))
        {
            protectedPayload = first.Services.GetRequiredService<IPayloadProtector>().Protect(MessageType.ReintegrationData, MessageId, Payload);
        }

        var keysBefore = Directory.GetFiles(KeysDirectory, "key-*.xml");
        using var second = BuildHost(Settings(_certificate));

        Assert.Equal(Payload, second.Services.GetRequiredService<IPayloadProtector>().Unprotect(MessageType.ReintegrationData, MessageId, protectedPayload));
        Assert.Equal(keysBefore, Directory.GetFiles(KeysDirectory, "key-*.xml"));
    }

    [Fact]
    public async Task Restart_WithAnotherCertificate_CannotReadAndDoesNotStart()
    {
        ProtectedPayload protectedPayload;
        using (var first = BuildHost(Settings(_certificate)))
        {
            protectedPayload = first.Services.GetRequiredService<IPayloadProtector>().Protect(MessageType.Signal, MessageId, Payload);
        }

        var stranger = WriteRsaCertificate("stranger");
        using (var other = BuildHost(Settings(stranger)))
        {
            var protector = other.Services.GetRequiredService<IPayloadProtector>();
            var error = Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(MessageType.Signal, MessageId, protectedPayload));
            Assert.StartsWith("EH5213:", error.Message, StringComparison.Ordinal);
        }

        using var started = BuildHost(Settings(stranger));
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => started.StartAsync());
        Assert.StartsWith("EH5214:", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateRotation_PreviousCertificateListed_ReadsOldAndEncryptsNewKeysToTheNewOne()
    {
        ProtectedPayload old;
        using (var first = BuildHost(Settings(_certificate)))
        {
            old = first.Services.GetRequiredService<IPayloadProtector>().Protect(MessageType.Signal, MessageId, Payload);
        }

        var successor = WriteRsaCertificate("successor");
        var settings = Settings(successor);
        settings["ExchangeHub:DataProtection:PreviousCertificates:0:CertificatePath"] = _certificate.CertificatePath;
        settings["ExchangeHub:DataProtection:PreviousCertificates:0:KeyPath"] = _certificate.KeyPath;
        using var rotated = BuildHost(settings);
        await rotated.StartAsync();

        var protector = rotated.Services.GetRequiredService<IPayloadProtector>();
        Assert.Equal(Payload, protector.Unprotect(MessageType.Signal, MessageId, old));

        // A new key encrypted to the successor alone survives dropping the old certificate once its keys are gone.
        var newest = protector.Protect(MessageType.Signal, "new-message", Payload);
        Assert.Equal(Payload, protector.Unprotect(MessageType.Signal, "new-message", newest));
        await rotated.StopAsync();
    }

    [Fact]
    public async Task Start_CreatesTheKeyRingAndProbesIt()
    {
        using var host = BuildHost(Settings(_certificate));

        await host.StartAsync();

        Assert.Single(Directory.GetFiles(KeysDirectory, "key-*.xml"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WithoutCertificateOutsideTheDevPki_FailsWithEH5201()
    {
        var settings = Settings(_certificate);
        settings.Remove("ExchangeHub:DataProtection:CertificatePath");
        settings.Remove("ExchangeHub:DataProtection:KeyPath");

        // The development PKI does not stand in outside Development, even when switched on.
        settings["ExchangeHub:DevPki:Enabled"] = "true";
        settings["ExchangeHub:DevPki:Directory"] = Path.Combine(_root, "pki");
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("EH5201: ExchangeHub:DataProtection:CertificatePath is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("EH5202:", StringComparison.Ordinal));
        Assert.False(Directory.Exists(KeysDirectory));
    }

    [Fact]
    public void Development_DevPkiEnabled_UsesItsDataProtectionCertificateAndTheDataDirectory()
    {
        var layout = new DevPkiLayout(Path.Combine(_root, "pki"));
        DevPkiGenerator.EnsureDataProtectionCertificate(layout);
        using var host = BuildHost(
            new Dictionary<string, string?>
            {
                ["ExchangeHub:Storage:DataDirectory"] = "data",
                ["ExchangeHub:DevPki:Enabled"] = "true",
                ["ExchangeHub:DevPki:Directory"] = "pki",
            },
            Environments.Development);

        var options = host.Services.GetRequiredService<IOptions<PayloadProtectionOptions>>().Value;
        var protector = host.Services.GetRequiredService<IPayloadProtector>();

        Assert.Equal(layout.DataProtectionCertificate, options.CertificatePath);
        Assert.Equal(layout.DataProtectionKey, options.KeyPath);
        Assert.Equal(KeysDirectory, options.KeysDirectory);
        Assert.Equal(Payload, protector.Unprotect(MessageType.Signal, MessageId, protector.Protect(MessageType.Signal, MessageId, Payload)));
    }

    [Fact]
    public async Task Start_EcdsaCertificate_FailsWithEH5203()
    {
        using var ca = DevCertificateAuthority.Create("ExchangeHub Test CA");
        using var ecdsa = ca.IssueServerCertificate("not for XML Encryption", ["localhost"]);
        var files = new CertificateFiles { CertificatePath = Path.Combine(_root, "ecdsa.crt"), KeyPath = Path.Combine(_root, "ecdsa.key") };
        PemFiles.WriteCertificate(files.CertificatePath, ecdsa);
        PemFiles.WritePrivateKey(files.KeyPath, ecdsa);
        using var host = BuildHost(Settings(files));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("EH5203:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_KeyOfAnotherCertificate_FailsWithEH5203()
    {
        var stranger = WriteRsaCertificate("stranger");
        using var host = BuildHost(Settings(new CertificateFiles { CertificatePath = _certificate.CertificatePath, KeyPath = stranger.KeyPath }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("EH5203:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_KeyLifetimeUnderAWeek_FailsWithEH5205()
    {
        var settings = Settings(_certificate);
        settings["ExchangeHub:DataProtection:KeyLifetime"] = "1.00:00:00";
        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("EH5205:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Protect_ManyThreads_AllRoundTrip()
    {
        using var host = BuildHost(Settings(_certificate));
        var protector = host.Services.GetRequiredService<IPayloadProtector>();
        var types = Enum.GetValues<MessageType>().Where(t => t != MessageType.Unspecified).ToArray();

        await Parallel.ForAsync(0, 200, (i, _) =>
        {
            var type = types[i % types.Length];
            var id = $"message-{i}";
            var plaintext = Encoding.UTF8.GetBytes($"payload {i}");
            Assert.Equal(plaintext, protector.Unprotect(type, id, protector.Protect(type, id, plaintext)));
            return ValueTask.CompletedTask;
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Dictionary<string, string?> Settings(CertificateFiles certificate) => new()
    {
        ["ExchangeHub:Storage:DataDirectory"] = DataDirectory,
        ["ExchangeHub:DataProtection:CertificatePath"] = certificate.CertificatePath,
        ["ExchangeHub:DataProtection:KeyPath"] = certificate.KeyPath,
    };

    private IHost BuildHost(Dictionary<string, string?> settings, string environment = "Testing")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = _root,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPayloadProtection();
        return builder.Build();
    }

    private CertificateFiles WriteRsaCertificate(string name)
    {
        // 2048 bits, the least the hub takes: generating 3072-bit keys would make these tests slow.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=ExchangeHub payload test {name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        var files = new CertificateFiles { CertificatePath = Path.Combine(_root, name + ".crt"), KeyPath = Path.Combine(_root, name + ".key") };
        PemFiles.WriteCertificate(files.CertificatePath, certificate);
        PemFiles.WritePrivateKey(files.KeyPath, certificate);
        return files;
    }
}
