// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;

namespace ExchangeHub.Core.Tests.Messages;

public sealed class EnvelopeCipherTests
{
    private const string MessageId = "01J9ZQ4V7C2M8E5R3T6Y1U0W9X";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"bsn\":\"999990019\",\"release\":\"2025-03-01\"}");
    private readonly byte[] _key = EnvelopeCipher.CreateKey();

    [Fact]
    public void Seal_ThenOpen_ReturnsThePayload()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.Equal(Payload, EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, sealedPayload));
    }

    [Fact]
    public void Seal_Layout_IsVersionNonceTagCiphertext()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.Equal(1 + 12 + 16 + Payload.Length, sealedPayload.Length);
        Assert.Equal(EnvelopeCipher.Overhead + Payload.Length, sealedPayload.Length);
        Assert.Equal(EnvelopeCipher.Version, sealedPayload[0]);
        Assert.DoesNotContain("999990019", Encoding.UTF8.GetString(sealedPayload), StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_SamePayloadTwice_UsesAFreshNonce()
    {
        var first = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);
        var second = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.NotEqual(first.AsSpan(1, EnvelopeCipher.NonceSize).ToArray(), second.AsSpan(1, EnvelopeCipher.NonceSize).ToArray());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Open_AnyByteAltered_Fails()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        // Every byte: the version, each nonce byte, each tag byte and each ciphertext byte.
        for (var i = 0; i < sealedPayload.Length; i++)
        {
            var altered = (byte[])sealedPayload.Clone();
            altered[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, altered));
        }
    }

    [Fact]
    public void Open_AlteredTag_FailsWithAuthenticationError()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);
        sealedPayload[1 + EnvelopeCipher.NonceSize] ^= 0x80;

        var error = Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, sealedPayload));

        Assert.StartsWith("EH5212:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Truncated_Fails()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, sealedPayload.AsSpan(0, sealedPayload.Length - 1)));
        var error = Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, sealedPayload.AsSpan(0, EnvelopeCipher.Overhead - 1)));
        Assert.StartsWith("EH5211:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownVersion_FailsNamingIt()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);
        sealedPayload[0] = 2;

        var error = Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId, sealedPayload));

        Assert.StartsWith("EH5211:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OtherMessageId_Fails()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId + "0", sealedPayload));
        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.Signal, MessageId[..^1], sealedPayload));
    }

    [Fact]
    public void Open_OtherMessageType_Fails()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.EndOfDetentionNotice, MessageId, Payload);

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.EndOfDetentionNoticeCorrection, MessageId, sealedPayload));
    }

    [Fact]
    public void Open_OtherKey_Fails()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.Signal, MessageId, Payload);

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(EnvelopeCipher.CreateKey(), MessageType.Signal, MessageId, sealedPayload));
    }

    [Fact]
    public void Seal_EmptyPayload_RoundTrips()
    {
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.OfficialReport, MessageId, []);

        Assert.Equal(EnvelopeCipher.Overhead, sealedPayload.Length);
        Assert.Empty(EnvelopeCipher.Open(_key, MessageType.OfficialReport, MessageId, sealedPayload));
    }

    [Fact]
    public void Open_EmptyPayloadTagAltered_Fails()
    {
        // With no ciphertext the tag alone authenticates the (empty) payload and its message.
        var sealedPayload = EnvelopeCipher.Seal(_key, MessageType.OfficialReport, MessageId, []);
        sealedPayload[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(_key, MessageType.OfficialReport, MessageId, sealedPayload));
    }

    [Fact]
    public void AssociatedData_IsLabelVersionTypeThenId()
    {
        // The documented layout; a change here makes every stored payload unreadable.
        byte[] expected = [.. "ExchangeHub.Payload"u8, 0x01, 0x00, 0x00, 0x00, 0x04, .. "m-1"u8];

        Assert.Equal(expected, EnvelopeCipher.AssociatedData(MessageType.Signal, "m-1"));
    }

    [Fact]
    public void Seal_UnspecifiedOrUndefinedType_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvelopeCipher.Seal(_key, MessageType.Unspecified, MessageId, Payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvelopeCipher.Seal(_key, (MessageType)4711, MessageId, Payload));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Seal_BlankMessageId_IsRefused(string messageId) =>
        Assert.Throws<ArgumentException>(() => EnvelopeCipher.Seal(_key, MessageType.Signal, messageId, Payload));

    [Fact]
    public void Seal_WrongKeySize_IsRefused() =>
        Assert.Throws<ArgumentException>(() => EnvelopeCipher.Seal(new byte[16], MessageType.Signal, MessageId, Payload));
}
