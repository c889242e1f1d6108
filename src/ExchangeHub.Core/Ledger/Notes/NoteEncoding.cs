// This file is part of ExchangeHub.

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// The byte-level rules shared by notes, verifier keys and checkpoints (c2sp.org/signed-note): key names, key IDs,
/// strict base64 and the character set of a note. One place, so a key name or a base64 string cannot be valid in
/// one parser and invalid in another.
/// </summary>
internal static class NoteEncoding
{
    /// <summary>Signature type 0x01: Ed25519 note signatures (c2sp.org/signed-note, "Ed25519 signatures").</summary>
    public const byte AlgorithmEd25519 = 0x01;

    /// <summary>Signature type 0x04: timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature).</summary>
    public const byte AlgorithmCosignatureV1 = 0x04;

    /// <summary>The size of an Ed25519 public key and of a private key seed (RFC 8032).</summary>
    public const int Ed25519KeySize = 32;

    /// <summary>The size of an Ed25519 signature (RFC 8032).</summary>
    public const int Ed25519SignatureSize = 64;

    /// <summary>The em dash and space that open every signature line.</summary>
    public const string SignatureLinePrefix = "\u2014 ";

    /// <summary>
    /// The most signature lines a parsed note may carry. The spec asks verifiers to apply a limit but to accept at
    /// least 16; 100 is golang.org/x/mod/sumdb/note's limit.
    /// </summary>
    public const int MaxSignatures = 100;

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Strict UTF-8 (throws on lone surrogates), for bytes that are signed.</summary>
    public static byte[] Utf8(string text) => _strictUtf8.GetBytes(text);

    /// <summary>
    /// SHA-256(name || 0x0A || signature type || public key)[:4], big-endian (c2sp.org/signed-note, "Signatures").
    /// </summary>
    public static uint ComputeKeyHash(string name, byte algorithm, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Utf8(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = algorithm;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>
    /// Key names must be non-empty and contain neither Unicode spaces nor '+' (c2sp.org/signed-note, "Format");
    /// control characters and lone surrogates are refused too, since no valid note can contain them.
    /// </summary>
    public static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsValidNoteCharacters(name, allowNewline: false))
        {
            return false;
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value == '+' || Rune.IsWhiteSpace(rune))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid key name.</summary>
    public static void ValidateKeyName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValidKeyName(name))
        {
            throw new ArgumentException(
                "A note key name must be non-empty and contain no spaces, no '+' and no control characters (c2sp.org/signed-note).",
                parameterName);
        }
    }

    /// <summary>
    /// Notes must be valid UTF-8 with no ASCII control characters other than newline (c2sp.org/signed-note,
    /// "Format"). A .NET string is UTF-16, so "valid UTF-8" here means "no lone surrogates".
    /// </summary>
    public static bool IsValidNoteCharacters(string text, bool allowNewline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20)
            {
                if (c != '\n' || !allowNewline)
                {
                    return false;
                }
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> may be the text of a note: non-empty, newline-terminated, valid characters.</summary>
    public static bool IsValidNoteText(string? text) =>
        !string.IsNullOrEmpty(text) && text[^1] == '\n' && IsValidNoteCharacters(text, allowNewline: true);

    /// <summary>
    /// Decodes standard base64 (RFC 4648 section 4, with padding) and accepts only the canonical encoding: no
    /// whitespace, no missing padding, no non-zero trailing bits. .NET's decoder alone skips whitespace, which would
    /// let two different lines carry the same signature.
    /// </summary>
    public static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written).ToArray();
        if (!string.Equals(Convert.ToBase64String(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    /// <summary>Parses exactly eight hexadecimal digits, the key hash field of a key string.</summary>
    public static bool TryParseKeyHash(string text, out uint hash)
    {
        hash = 0;
        if (text.Length != 8)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }

    /// <summary>The key hash as eight lower-case hex digits, as golang.org/x/mod/sumdb/note writes it.</summary>
    public static string FormatKeyHash(uint hash) => hash.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a verifier key <c>&lt;name&gt;+&lt;hex hash&gt;+&lt;base64(type || public key)&gt;</c> whose type is
    /// <paramref name="algorithm"/> and whose hash matches its name and key. The base64 part may itself contain '+',
    /// so only the first two '+' separate fields (the name cannot contain one).
    /// </summary>
    public static bool TryParseVerifierKey(string? text, byte algorithm, out string name, out uint hash, out byte[] publicKey)
    {
        name = string.Empty;
        hash = 0;
        publicKey = [];
        if (text is null)
        {
            return false;
        }

        var first = text.IndexOf('+', StringComparison.Ordinal);
        if (first < 0)
        {
            return false;
        }

        var second = text.IndexOf('+', first + 1);
        if (second < 0)
        {
            return false;
        }

        var candidateName = text[..first];
        if (!IsValidKeyName(candidateName)
            || !TryParseKeyHash(text[(first + 1)..second], out var candidateHash)
            || !TryDecodeBase64(text[(second + 1)..], out var keyData)
            || keyData.Length != 1 + Ed25519KeySize
            || keyData[0] != algorithm)
        {
            return false;
        }

        var key = keyData.AsSpan(1).ToArray();
        if (ComputeKeyHash(candidateName, algorithm, key) != candidateHash)
        {
            return false;
        }

        name = candidateName;
        hash = candidateHash;
        publicKey = key;
        return true;
    }

    /// <summary>Formats a verifier key <c>&lt;name&gt;+&lt;hex hash&gt;+&lt;base64(type || public key)&gt;</c>.</summary>
    public static string FormatVerifierKey(string name, uint hash, byte algorithm, ReadOnlySpan<byte> publicKey)
    {
        var keyData = new byte[1 + publicKey.Length];
        keyData[0] = algorithm;
        publicKey.CopyTo(keyData.AsSpan(1));
        return string.Concat(name, "+", FormatKeyHash(hash), "+", Convert.ToBase64String(keyData));
    }

    /// <summary>Ed25519 verification that answers false, never throws, for a wrong-sized signature or an invalid key.</summary>
    public static bool VerifyEd25519(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519KeySize || signature.Length != Ed25519SignatureSize)
        {
            return false;
        }

        return Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(signature, publicKey, message);
    }
}
