// This file is part of ExchangeHub.

using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Figures of disclosure records, grouped by one dimension, as <see cref="DisclosureSearch.CountAsync"/> takes them:
/// <list type="bullet">
/// <item>one bucket per value that has at least one record (no zero buckets), in ascending key order: enum values
/// by number, partners by OIN (ordinal), months as "YYYY-MM" text (UTC);</item>
/// <item>a record without a value for the dimension (an alarm has no legal basis or purpose, and may have no
/// sender) counts in <see cref="Total"/> but in no bucket;</item>
/// <item>by partner, a record counts for its sender and for its recipient (once when they are the same), so the
/// buckets add up to more than the total; data providers are not counted.</item>
/// </list>
/// </summary>
/// <param name="GroupBy">The dimension.</param>
/// <param name="Buckets">The buckets, keyed as the contract's <see cref="DisclosureBucket"/>.</param>
/// <param name="Total">The number of matching records.</param>
/// <param name="LogSize">The snapshot: records at this sequence and later were not counted.</param>
public sealed record DisclosureCounts(DisclosureGrouping GroupBy, IReadOnlyList<DisclosureBucket> Buckets, long Total, long LogSize)
{
    /// <summary>The bucket's key in words: an enum's short name (<c>AVG_ART_6_1_E</c>), an OIN or a month.</summary>
    public static string Label(DisclosureBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return bucket.KeyCase switch
        {
            DisclosureBucket.KeyOneofCase.LegalBasis => ContractEnums.Name(bucket.LegalBasis),
            DisclosureBucket.KeyOneofCase.Partner => bucket.Partner.Oin,
            DisclosureBucket.KeyOneofCase.Month => bucket.Month,
            DisclosureBucket.KeyOneofCase.Decision => ContractEnums.Name(bucket.Decision),
            DisclosureBucket.KeyOneofCase.Purpose => ContractEnums.Name(bucket.Purpose),
            _ => string.Empty,
        };
    }

    /// <summary>The month bucket of an instant: "YYYY-MM" in UTC.</summary>
    public static string MonthOf(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>A running count for <paramref name="groupBy"/>; throws on an unspecified or unknown grouping.</summary>
    internal static Tally CreateTally(DisclosureGrouping groupBy) => groupBy switch
    {
        DisclosureGrouping.LegalBasis => new EnumTally(groupBy, r => (int)r.LegalBasis, n => new DisclosureBucket { LegalBasis = (LegalBasis)n }),
        DisclosureGrouping.Decision => new EnumTally(groupBy, r => (int)r.Decision, n => new DisclosureBucket { Decision = (DisclosureDecision)n }),
        DisclosureGrouping.Purpose => new EnumTally(groupBy, r => (int)r.Purpose, n => new DisclosureBucket { Purpose = (Purpose)n }),
        DisclosureGrouping.Month => new TextTally(groupBy, r => r.RecordedAt is { } at ? [MonthOf(at.ToDateTimeOffset())] : [], k => new DisclosureBucket { Month = k }),
        DisclosureGrouping.Sender => new TextTally(groupBy, r => Oins(r.Sender), PartnerBucket),
        DisclosureGrouping.Recipient => new TextTally(groupBy, r => Oins(r.Recipient), PartnerBucket),
        DisclosureGrouping.Partner => new TextTally(groupBy, r => Oins(r.Sender, r.Recipient), PartnerBucket),
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Not a grouping of disclosure records."),
    };

    private static DisclosureBucket PartnerBucket(string oin) => new() { Partner = new PartnerId { Oin = oin } };

    private static string[] Oins(params PartnerId?[] partners) =>
        [.. partners.Where(p => p is not null && p.Oin.Length > 0).Select(p => p!.Oin).Distinct(StringComparer.Ordinal)];

    /// <summary>Counts records one at a time, so a count over the whole log holds only its buckets in memory.</summary>
    internal abstract class Tally(DisclosureGrouping groupBy)
    {
        private long _total;

        public void Add(DisclosureRecord record)
        {
            _total++;
            AddToBuckets(record);
        }

        public DisclosureCounts ToCounts(long logSize) => new(groupBy, Buckets(), _total, logSize);

        protected abstract void AddToBuckets(DisclosureRecord record);

        protected abstract IReadOnlyList<DisclosureBucket> Buckets();
    }

    private sealed class EnumTally(DisclosureGrouping groupBy, Func<DisclosureRecord, int> key, Func<int, DisclosureBucket> bucket) : Tally(groupBy)
    {
        private readonly SortedDictionary<int, long> _counts = [];

        protected override void AddToBuckets(DisclosureRecord record)
        {
            // 0 is the contract's "unspecified": the record has no value for this dimension.
            var value = key(record);
            if (value != 0)
            {
                _counts[value] = _counts.GetValueOrDefault(value) + 1;
            }
        }

        protected override IReadOnlyList<DisclosureBucket> Buckets() =>
            [.. _counts.Select(c => WithCount(bucket(c.Key), c.Value))];
    }

    private sealed class TextTally(DisclosureGrouping groupBy, Func<DisclosureRecord, string[]> keys, Func<string, DisclosureBucket> bucket) : Tally(groupBy)
    {
        private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

        protected override void AddToBuckets(DisclosureRecord record)
        {
            foreach (var value in keys(record))
            {
                _counts[value] = _counts.GetValueOrDefault(value) + 1;
            }
        }

        protected override IReadOnlyList<DisclosureBucket> Buckets() =>
            [.. _counts.Select(c => WithCount(bucket(c.Key), c.Value))];
    }

    private static DisclosureBucket WithCount(DisclosureBucket bucket, long count)
    {
        bucket.Count = (ulong)count;
        return bucket;
    }
}
