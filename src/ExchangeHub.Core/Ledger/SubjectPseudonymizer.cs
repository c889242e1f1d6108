// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Subjects;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// The keyed pseudonym of a subject in the disclosure log: HMAC-SHA-256 under a secret only the hub holds, as
/// 64 lowercase hex characters. A plain hash of a BSN would be reversed by trying all 10^9 numbers in about a
/// minute; without the key that is impossible, yet a privacy officer (through the hub) can still find every
/// disclosure about one person. The identifier kind is part of the input (domain separation), so a BSN and a
/// chain pseudonym that happen to share characters never collide.
/// </summary>
public sealed class SubjectPseudonymizer : IDisposable
{
    private readonly HMACSHA256 _hmac;
    private readonly Lock _gate = new();

    /// <summary>Creates a pseudonymizer with a key of at least 32 bytes.</summary>
    public SubjectPseudonymizer(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The pseudonym key must have at least 32 bytes (256 bits).", nameof(key));
        }

        _hmac = new HMACSHA256(key);
    }

    /// <summary>The pseudonym of a subject reference (BSN normalised to nine digits, or chain pseudonym).</summary>
    public string Pseudonymize(SubjectReference subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.SubjectCase switch
        {
            SubjectReference.SubjectOneofCase.Bsn => Pseudonymize(Bsn.Parse(subject.Bsn)),
            SubjectReference.SubjectOneofCase.Pseudonym => Compute("exchangehub/subject/pseudonym/v1\n" + subject.Pseudonym),
            _ => throw new ArgumentException("A subject reference carries a BSN or a pseudonym.", nameof(subject)),
        };
    }

    /// <summary>The pseudonym of a BSN.</summary>
    public string Pseudonymize(Bsn bsn) => Compute("exchangehub/subject/bsn/v1\n" + bsn.Value);

    /// <inheritdoc />
    public void Dispose() => _hmac.Dispose();

    private string Compute(string input)
    {
        Span<byte> mac = stackalloc byte[32];
        lock (_gate)
        {
            _hmac.TryComputeHash(Encoding.UTF8.GetBytes(input), mac, out _);
        }

        return Convert.ToHexStringLower(mac);
    }
}
