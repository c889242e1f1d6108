// This file is part of ExchangeHub.

using System.Globalization;
using System.Security.Cryptography;
using ExchangeHub.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Tests.Support;

/// <summary>Requests that satisfy the v1 contract, for tests to break one field at a time.</summary>
public static class ValidRequests
{
    /// <summary>A BSN that passes the eleven-test (fictitious).</summary>
    public const string Bsn = "111222333";

    /// <summary>A fresh BSN that passes the eleven-test (fictitious), for a subject no other test touches.</summary>
    public static string NewBsn()
    {
        while (true)
        {
            var digits = new int[9];
            var sum = 0;
            for (var i = 0; i < 8; i++)
            {
                digits[i] = RandomNumberGenerator.GetInt32(10);
                sum += (9 - i) * digits[i];
            }

            // 9*d1 + ... + 2*d8 - d9 must be divisible by 11 (and the number not all zeros).
            digits[8] = sum % 11;
            if (digits[8] < 10 && sum > 0)
            {
                return string.Concat(digits.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    public static SubmitEndOfDetentionNoticeRequest EndOfDetentionNotice() => new()
    {
        Context = new RequestContext { IdempotencyKey = Guid.NewGuid().ToString("D") },
        Grounds =
        {
            new ProcessingGrounds { Purpose = Purpose.ReleasePreparation, LegalBasis = LegalBasis.AvgArt61E },
            new ProcessingGrounds { Purpose = Purpose.VictimInformation, LegalBasis = LegalBasis.AvgArt61C },
        },
        Notice = new EndOfDetentionNotice
        {
            Subject = new SubjectReference { Bsn = Bsn },
            ExpectedReleaseTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 15, 9, 0, 0, TimeSpan.Zero)),
            Institution = new Institution { Code = "PI-VUGHT", Name = "PI Vught" },
            ReleaseType = ReleaseType.EndOfSentence,
            OffenceCategories = { OffenceCategory.SevereViolent },
            MunicipalityOfResidence = new MunicipalityCode { Code = "GM0599" },
        },
    };
}
