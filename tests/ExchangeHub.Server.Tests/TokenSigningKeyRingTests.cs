// This file is part of ExchangeHub.

using ExchangeHub.Core.Storage;
using ExchangeHub.Server.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExchangeHub.Server.Tests;

/// <summary>The token signing keys: persisted, rotated on schedule, old keys kept for validation, then deleted.</summary>
public sealed class TokenSigningKeyRingTests : IDisposable
{
    private static readonly TimeSpan Rotation = TimeSpan.FromDays(30);
    private readonly string _data = Directory.CreateTempSubdirectory("eh-keys-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void NewRing_CreatesOneOwnerOnlyKey_ASecondRingLoadsTheSame()
    {
        using var first = CreateRing();
        using var second = CreateRing();

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_data, "token-signing-keys")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(first.Keys.Select(k => k.Thumbprint), second.Keys.Select(k => k.Thumbprint));
        Assert.True(first.Keys[0].HasPrivateKey);
    }

    [Fact]
    public void RotateIfDue_BeforeThePeriod_NothingChanges_AfterIt_NewKeySignsOldStaysThenGoes()
    {
        using var ring = CreateRing();
        var original = ring.Keys[0].Thumbprint;
        var changes = 0;
        using var subscription = ring.ChangeToken.RegisterChangeCallback(_ => changes++, null);

        _time.Advance(Rotation - TimeSpan.FromHours(1));
        Assert.False(ring.RotateIfDue());

        _time.Advance(TimeSpan.FromHours(2));
        Assert.True(ring.RotateIfDue());
        Assert.Equal(1, changes);
        Assert.Equal(2, ring.Keys.Count);
        Assert.NotEqual(original, ring.Keys[0].Thumbprint);
        Assert.Equal(original, ring.Keys[1].Thumbprint);

        // The old key validated tokens for one more period; then it is gone, from the ring and from disk.
        _time.Advance(Rotation);
        Assert.True(ring.RotateIfDue());
        Assert.DoesNotContain(ring.Keys, k => k.Thumbprint == original);
        Assert.Equal(ring.Keys.Count, Directory.GetFiles(Path.Combine(_data, "token-signing-keys")).Length);
    }

    [Fact]
    public void DamagedKeyFile_FailsTheStart()
    {
        Directory.CreateDirectory(Path.Combine(_data, "token-signing-keys"));
        File.WriteAllText(Path.Combine(_data, "token-signing-keys", "token-signing-broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var ex = Assert.Throws<InvalidOperationException>(CreateRing);

        Assert.StartsWith("EH9507: the token signing key", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private TokenSigningKeyRing CreateRing() =>
        new(Options.Create(new TokenOptions { SigningKeyRotation = Rotation }), Options.Create(new StorageOptions { DataDirectory = _data }), _time);
}
