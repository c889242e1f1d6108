// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using ExchangeHub.Core.Validation;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Page tokens of disclosure listings. A token holds the listing's snapshot (the log size at its first page) and
/// the last sequence returned, and a MAC that binds both to the listing's query, under a key drawn when this
/// instance is made. So a token cannot be used with another filter, and cannot be made up: every listing starts
/// with a first page, which is the page that is logged. The key lives in memory only, so tokens end with the
/// process; a listing interrupted by a restart starts again.
/// </summary>
internal sealed class DisclosurePageTokens : IDisposable
{
    private const byte Version = 1;
    private const int KeyIdSize = 4;
    private const int MacSize = 16;
    private const int BodySize = 1 + KeyIdSize + 8 + 8;
    private const int TokenSize = BodySize + MacSize;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _keyId = RandomNumberGenerator.GetBytes(KeyIdSize);

    /// <summary>The token for the page after <paramref name="lastSequence"/> of the listing of <paramref name="query"/> at <paramref name="logSize"/>.</summary>
    public string Issue(DisclosureQuery query, long logSize, long lastSequence)
    {
        Span<byte> token = stackalloc byte[TokenSize];
        token[0] = Version;
        _keyId.CopyTo(token[1..]);
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(1 + KeyIdSize, 8), logSize);
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(1 + KeyIdSize + 8, 8), lastSequence);
        Mac(query, token[..BodySize], token[BodySize..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// Reads a token issued for <paramref name="query"/>, or throws <see cref="RequestInvalidException"/> on field
    /// <c>page_token</c> saying why it cannot be used.
    /// </summary>
    public (long LogSize, long LastSequence) Read(DisclosureQuery query, string token)
    {
        Span<byte> bytes = stackalloc byte[TokenSize];
        if (token.Length != Base64Url.GetEncodedLength(TokenSize)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written)
            || written != TokenSize
            || bytes[0] != Version)
        {
            throw Invalid("is not a page token of this hub; pass next_page_token back exactly as it was returned, or leave it empty for the first page");
        }

        if (!bytes.Slice(1, KeyIdSize).SequenceEqual(_keyId))
        {
            throw Invalid("was issued before the hub restarted and has expired; start the listing again without a page_token");
        }

        Span<byte> expected = stackalloc byte[MacSize];
        Mac(query, bytes[..BodySize], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[BodySize..]))
        {
            throw Invalid("was issued for a different filter; a page token is valid only with the filter of the listing it came from. Repeat that filter unchanged, or start again without a page_token");
        }

        var logSize = BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(1 + KeyIdSize, 8));
        var last = BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(1 + KeyIdSize + 8, 8));
        return (logSize, last);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private void Mac(DisclosureQuery query, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        // HMAC over the body and the hash of the canonical query text, so the token is bound to what is listed.
        Span<byte> input = stackalloc byte[BodySize + SHA256.HashSizeInBytes];
        body.CopyTo(input);
        SHA256.HashData(query.CanonicalBytes(), input[BodySize..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        mac[..MacSize].CopyTo(destination);
    }

    private static RequestInvalidException Invalid(string reason) => new("page_token", reason);
}
