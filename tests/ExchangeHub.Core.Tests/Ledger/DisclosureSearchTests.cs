// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Subjects;
using ExchangeHub.Core.Validation;
using ExchangeHub.Tests.Support.Ledger;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>
/// Search, paging and counts over a seeded log (<see cref="SampleDisclosures.AuditLog"/>, entries 0 to 8 at
/// sequences 0 to 8, 2 and 8 being redactions). Every expectation is written out by hand from that table.
/// </summary>
public sealed class DisclosureSearchTests : IAsyncLifetime
{
    private const string BsnA = "111222333";
    private const string BsnB = "123456782";
    private LedgerTestData _data = null!;
    private DisclosureSearch _search = null!;

    private string SubjectA => _data.Keys.Pseudonymizer.Pseudonymize(Bsn.Parse(BsnA));

    private string SubjectB => _data.Keys.Pseudonymizer.Pseudonymize(Bsn.Parse(BsnB));

    public async Task InitializeAsync()
    {
        _data = await LedgerTestData.CreateAsync();
        await AppendAsync("audit");
        _search = new DisclosureSearch(_data.Database);
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task ListAsync_NoFilter_EveryDisclosureInLogOrderWithoutRedactions()
    {
        var page = await _search.ListAsync(DisclosureQuery.All, 0, null, CancellationToken.None);

        Assert.Equal([0UL, 1, 3, 4, 5, 6, 7], page.Records.Select(r => r.Sequence));
        Assert.Equal(["audit-0", "audit-1", "audit-3", "audit-4", "audit-5", "audit-6", "audit-7"], page.Records.Select(r => r.MessageId));
        Assert.Equal(9, page.LogSize);
        Assert.Null(page.NextPageToken);
        Assert.True(page.IsFirstPage);
    }

    [Theory]
    [InlineData("subject A by pseudonym", new[] { 0, 1, 4 })]
    [InlineData("subject B by BSN", new[] { 3, 5, 7 })]
    [InlineData("partner Police: sender of 3, data provider of 5", new[] { 3, 5 })]
    [InlineData("partners IDV or AIVD", new[] { 1, 4 })]
    [InlineData("partner privacy officer: recipient only", new[] { 6 })]
    [InlineData("partner hub: sender only", new[] { 5 })]
    [InlineData("legal basis WPG_ART_20", new[] { 3, 5 })]
    [InlineData("legal bases AVG 6(1)(c) or 6(1)(e)", new[] { 0, 1 })]
    [InlineData("purpose PERSON_CENTRED_APPROACH", new[] { 3, 5 })]
    [InlineData("purposes RELEASE_PREPARATION or REINTEGRATION", new[] { 0, 7 })]
    [InlineData("decision DENIED", new[] { 3, 7 })]
    [InlineData("decision ALLOWED", new[] { 0, 1, 4, 5, 6 })]
    [InlineData("category END_OF_DETENTION_NOTICE", new[] { 0, 1 })]
    [InlineData("categories POLICE_DATA or CASE_DATA", new[] { 3, 5 })]
    [InlineData("period November (half-open)", new[] { 4, 5 })]
    [InlineData("period from the last nanosecond of October", new[] { 3, 4, 5, 6, 7 })]
    [InlineData("period until the last nanosecond of October (excluded)", new[] { 0, 1 })]
    [InlineData("period until the last 100 ns tick of October", new[] { 0, 1 })]
    [InlineData("period until November", new[] { 0, 1, 3 })]
    [InlineData("subject B, DENIED, from December", new[] { 7 })]
    [InlineData("subject A and WPG_ART_20: nothing", new int[0])]
    public async Task ListAsync_EachFilter_ExactlyTheMatchingRecords(string name, int[] expected)
    {
        var query = DisclosureQuery.FromFilter(Filter(name), _data.Keys.Pseudonymizer);

        var page = await _search.ListAsync(query, 1000, null, CancellationToken.None);

        Assert.Equal(expected.Select(i => $"audit-{i}"), page.Records.Select(r => r.MessageId));
        Assert.All(page.Records, r => Assert.True(query.Matches(r)));
    }

    [Theory]
    [InlineData(DisclosureGrouping.LegalBasis, "WPG_ART_20=2 WIV_2017_OFFICIAL_REPORT=1 AVG_ART_6_1_C=1 AVG_ART_6_1_E=1 WET_SENB_REINTEGRATION=1")]
    [InlineData(DisclosureGrouping.Month, "2026-10=3 2026-11=2 2026-12=2")]
    [InlineData(DisclosureGrouping.Decision, "ALLOWED=5 DENIED=2")]
    [InlineData(DisclosureGrouping.Purpose, "VICTIM_INFORMATION=1 RELEASE_PREPARATION=1 PERSON_CENTRED_APPROACH=2 REINTEGRATION=1 PROSECUTION=1")]
    [InlineData(DisclosureGrouping.Partner, "00000001800000001000=3 00000001800000002000=2 00000001800000003000=1 00000001800000005000=4 00000001800000007000=1 00000001800000008000=1 00000001800000011000=1")]
    [InlineData(DisclosureGrouping.Sender, "00000001800000001000=3 00000001800000003000=1 00000001800000007000=1 00000001800000011000=1")]
    [InlineData(DisclosureGrouping.Recipient, "00000001800000002000=2 00000001800000005000=4 00000001800000008000=1")]
    public async Task CountAsync_EachGrouping_ExactBucketsInKeyOrder(DisclosureGrouping groupBy, string expected)
    {
        var counts = await _search.CountAsync(DisclosureQuery.All, groupBy, CancellationToken.None);

        Assert.Equal(expected, Buckets(counts));
        Assert.Equal(7, counts.Total);
        Assert.Equal(9, counts.LogSize);
        Assert.Equal(groupBy, counts.GroupBy);
        var keyCase = groupBy switch
        {
            DisclosureGrouping.LegalBasis => DisclosureBucket.KeyOneofCase.LegalBasis,
            DisclosureGrouping.Month => DisclosureBucket.KeyOneofCase.Month,
            DisclosureGrouping.Decision => DisclosureBucket.KeyOneofCase.Decision,
            DisclosureGrouping.Purpose => DisclosureBucket.KeyOneofCase.Purpose,
            _ => DisclosureBucket.KeyOneofCase.Partner,
        };
        Assert.All(counts.Buckets, b => Assert.Equal(keyCase, b.KeyCase));
    }

    [Fact]
    public async Task CountAsync_WithFilter_CountsOnlyTheMatches()
    {
        var query = DisclosureQuery.FromFilter(new DisclosureFilter { Bsn = BsnA }, _data.Keys.Pseudonymizer);

        var counts = await _search.CountAsync(query, DisclosureGrouping.Month, CancellationToken.None);

        Assert.Equal("2026-10=2 2026-11=1", Buckets(counts));
        Assert.Equal(3, counts.Total);
    }

    [Fact]
    public async Task CountAsync_NothingMatches_NoBucketsAndZeroTotal()
    {
        var query = DisclosureQuery.FromFilter(new DisclosureFilter { Purposes = { Purpose.ChildProtection } }, _data.Keys.Pseudonymizer);

        var counts = await _search.CountAsync(query, DisclosureGrouping.LegalBasis, CancellationToken.None);

        Assert.Empty(counts.Buckets);
        Assert.Equal(0, counts.Total);
    }

    [Fact]
    public async Task ListAsync_PagesOfTwo_EachRecordOnceAndNoTokenAfterTheLast()
    {
        var pages = new List<DisclosurePage>();
        string? token = null;
        do
        {
            var page = await _search.ListAsync(DisclosureQuery.All, 2, token, CancellationToken.None);
            pages.Add(page);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(["0 1", "3 4", "5 6", "7"], pages.Select(p => string.Join(' ', p.Records.Select(r => r.Sequence))));
        Assert.All(pages, p => Assert.Equal(9, p.LogSize));
        Assert.Equal([true, false, false, false], pages.Select(p => p.IsFirstPage));
    }

    [Fact]
    public async Task ListAsync_PageExactlyFull_NoTokenForAnEmptyNextPage()
    {
        var page = await _search.ListAsync(DisclosureQuery.All, 7, null, CancellationToken.None);

        Assert.Equal(7, page.Records.Count);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task ListAsync_LogGrowsBetweenPages_TheListingKeepsItsSnapshot()
    {
        var first = await _search.ListAsync(DisclosureQuery.All, 5, null, CancellationToken.None);
        await AppendAsync("later");

        var second = await _search.ListAsync(DisclosureQuery.All, 5, first.NextPageToken, CancellationToken.None);
        var fresh = await _search.ListAsync(DisclosureQuery.All, 1000, null, CancellationToken.None);

        Assert.Equal(["audit-6", "audit-7"], second.Records.Select(r => r.MessageId));
        Assert.Null(second.NextPageToken);
        Assert.Equal(9, second.LogSize);
        Assert.Equal(18, fresh.LogSize);
        Assert.Equal(14, fresh.Records.Count);
    }

    [Fact]
    public async Task ListAsync_TokenUsedWithAnotherFilter_InvalidPageToken()
    {
        var first = await _search.ListAsync(DisclosureQuery.All, 2, null, CancellationToken.None);
        var other = DisclosureQuery.FromFilter(new DisclosureFilter { Bsn = BsnA }, _data.Keys.Pseudonymizer);

        var ex = await Assert.ThrowsAsync<RequestInvalidException>(() => _search.ListAsync(other, 2, first.NextPageToken, CancellationToken.None));

        var violation = Assert.Single(ex.Violations);
        Assert.Equal("page_token", violation.Field);
        Assert.StartsWith("was issued for a different filter", violation.Description, StringComparison.Ordinal);
        Assert.StartsWith("EH2001: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_TokenWithTheSameFilterWrittenDifferently_Accepted()
    {
        var written = DisclosureQuery.FromFilter(new DisclosureFilter { Bsn = BsnA, LegalBases = { LegalBasis.AvgArt61E, LegalBasis.AvgArt61C } }, _data.Keys.Pseudonymizer);
        var rewritten = DisclosureQuery.FromFilter(new DisclosureFilter { SubjectPseudonym = SubjectA, LegalBases = { LegalBasis.AvgArt61C, LegalBasis.AvgArt61E, LegalBasis.AvgArt61C } }, _data.Keys.Pseudonymizer);

        var first = await _search.ListAsync(written, 1, null, CancellationToken.None);
        var second = await _search.ListAsync(rewritten, 1, first.NextPageToken, CancellationToken.None);

        Assert.Equal(["audit-0"], first.Records.Select(r => r.MessageId));
        Assert.Equal(["audit-1"], second.Records.Select(r => r.MessageId));
        Assert.Equal(written.ToString(), rewritten.ToString());
    }

    [Fact]
    public async Task ListAsync_TokenFromBeforeARestart_Expired()
    {
        var first = await _search.ListAsync(DisclosureQuery.All, 2, null, CancellationToken.None);
        var restarted = new DisclosureSearch(_data.Database);

        var ex = await Assert.ThrowsAsync<RequestInvalidException>(() => restarted.ListAsync(DisclosureQuery.All, 2, first.NextPageToken, CancellationToken.None));

        Assert.StartsWith("was issued before the hub restarted", Assert.Single(ex.Violations).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ListAsync_MalformedToken_Invalid(string token)
    {
        var ex = await Assert.ThrowsAsync<RequestInvalidException>(() => _search.ListAsync(DisclosureQuery.All, 2, token, CancellationToken.None));

        Assert.Equal("page_token", Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task ListAsync_PageSizeOutOfRange_Invalid(int pageSize)
    {
        var ex = await Assert.ThrowsAsync<RequestInvalidException>(() => _search.ListAsync(DisclosureQuery.All, pageSize, null, CancellationToken.None));

        Assert.Equal("page_size", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task ListAsync_PageSizeZero_TheDefaultOfOneHundred()
    {
        for (var i = 0; i < 14; i++)
        {
            await AppendAsync($"bulk{i}");
        }

        var page = await _search.ListAsync(DisclosureQuery.All, 0, null, CancellationToken.None);

        Assert.Equal(DisclosureSearch.DefaultPageSize, page.Records.Count);
        Assert.NotNull(page.NextPageToken);
    }

    [Theory]
    [InlineData("51 partners", "filter.partners")]
    [InlineData("period ending at its start", "filter.period_end")]
    [InlineData("unspecified legal basis", "filter.legal_bases[0]")]
    [InlineData("BSN failing the eleven-test", "filter.bsn")]
    [InlineData("pseudonym in capitals", "filter.subject_pseudonym")]
    [InlineData("empty BSN", "filter.bsn")]
    [InlineData("empty pseudonym", "filter.subject_pseudonym")]
    public void FromFilter_Invalid_NamesTheField(string name, string field)
    {
        var filter = name switch
        {
            "51 partners" => new DisclosureFilter { Partners = { Enumerable.Range(0, 51).Select(i => new PartnerId { Oin = $"000000018000000{i:D5}" }) } },
            "period ending at its start" => new DisclosureFilter { PeriodStart = At(2026, 11, 1), PeriodEnd = At(2026, 11, 1) },
            "unspecified legal basis" => new DisclosureFilter { LegalBases = { LegalBasis.Unspecified } },
            "BSN failing the eleven-test" => new DisclosureFilter { Bsn = "123456789" },
            "empty BSN" => new DisclosureFilter { Bsn = string.Empty },
            "empty pseudonym" => new DisclosureFilter { SubjectPseudonym = string.Empty },
            _ => new DisclosureFilter { SubjectPseudonym = new string('A', 64) },
        };

        var ex = Assert.Throws<RequestInvalidException>(() => DisclosureQuery.FromFilter(filter, _data.Keys.Pseudonymizer));

        Assert.Equal(field, Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task ListAsync_SearchColumnDisagreesWithTheLeaf_TheLeafDecides()
    {
        // Record 0 is AVG 6(1)(e) in its leaf; its column now claims WPG art. 20.
        await _data.ExecuteAsync("DROP TRIGGER log_leaves_no_update; UPDATE log_leaves SET legal_basis = 4 WHERE seq = 0");
        var query = DisclosureQuery.FromFilter(new DisclosureFilter { LegalBases = { LegalBasis.WpgArt20 } }, _data.Keys.Pseudonymizer);

        var page = await _search.ListAsync(query, 100, null, CancellationToken.None);
        var counts = await _search.CountAsync(DisclosureQuery.All, DisclosureGrouping.LegalBasis, CancellationToken.None);

        Assert.Equal(["audit-3", "audit-5"], page.Records.Select(r => r.MessageId));
        Assert.Equal("WPG_ART_20=2 WIV_2017_OFFICIAL_REPORT=1 AVG_ART_6_1_C=1 AVG_ART_6_1_E=1 WET_SENB_REINTEGRATION=1", Buckets(counts));
    }

    [Fact]
    public async Task ReadAsync_TamperedLeaf_StopsWithLeafUnreadable()
    {
        await _data.ExecuteAsync("DROP TRIGGER log_leaves_no_update; UPDATE log_leaves SET entry = CAST(entry || x'00' AS BLOB) WHERE seq = 4");

        var ex = await Assert.ThrowsAsync<LeafUnreadableException>(() => _search.CountAsync(DisclosureQuery.All, DisclosureGrouping.Month, CancellationToken.None));

        Assert.Equal(4, ex.Sequence);
        Assert.StartsWith("EH4015: Leaf 4 of the disclosure log cannot be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_CanonicalAndWithoutTheBsn()
    {
        var query = DisclosureQuery.FromFilter(
            new DisclosureFilter
            {
                Bsn = BsnA,
                Partners = { new PartnerId { Oin = SampleDisclosures.RotterdamOin }, new PartnerId { Oin = SampleDisclosures.DjiOin } },
                Decisions = { DisclosureDecision.Denied },
                PeriodStart = At(2026, 11, 1),
                PeriodEnd = new Timestamp { Seconds = At(2026, 12, 1).Seconds, Nanos = 500 },
            },
            _data.Keys.Pseudonymizer);

        Assert.Equal(
            $"subject {SubjectA}; partners {SampleDisclosures.DjiOin}, {SampleDisclosures.RotterdamOin}; decisions DENIED; recorded from 2026-11-01T00:00:00Z until 2026-12-01T00:00:00.0000005Z",
            query.ToString());
        Assert.DoesNotContain(BsnA, query.ToString(), StringComparison.Ordinal);
        Assert.Equal("all disclosure records", DisclosureQuery.All.ToString());
    }

    private DisclosureFilter Filter(string name)
    {
        var lastNanosecondOfOctober = new Timestamp { Seconds = At(2026, 11, 1).Seconds - 1, Nanos = 999_999_999 };
        return name switch
        {
            "subject A by pseudonym" => new() { SubjectPseudonym = SubjectA },
            "subject B by BSN" => new() { Bsn = BsnB },
            "partner Police: sender of 3, data provider of 5" => new() { Partners = { Partner(SampleDisclosures.PoliceOin) } },
            "partners IDV or AIVD" => new() { Partners = { Partner(SampleDisclosures.IdvOin), Partner(SampleDisclosures.AivdOin) } },
            "partner privacy officer: recipient only" => new() { Partners = { Partner(SampleDisclosures.PrivacyOfficerOin) } },
            "partner hub: sender only" => new() { Partners = { Partner(SampleDisclosures.HubOin) } },
            "legal basis WPG_ART_20" => new() { LegalBases = { LegalBasis.WpgArt20 } },
            "legal bases AVG 6(1)(c) or 6(1)(e)" => new() { LegalBases = { LegalBasis.AvgArt61C, LegalBasis.AvgArt61E } },
            "purpose PERSON_CENTRED_APPROACH" => new() { Purposes = { Purpose.PersonCentredApproach } },
            "purposes RELEASE_PREPARATION or REINTEGRATION" => new() { Purposes = { Purpose.ReleasePreparation, Purpose.Reintegration } },
            "decision DENIED" => new() { Decisions = { DisclosureDecision.Denied } },
            "decision ALLOWED" => new() { Decisions = { DisclosureDecision.Allowed } },
            "category END_OF_DETENTION_NOTICE" => new() { Categories = { DataCategory.EndOfDetentionNotice } },
            "categories POLICE_DATA or CASE_DATA" => new() { Categories = { DataCategory.PoliceData, DataCategory.CaseData } },
            "period November (half-open)" => new() { PeriodStart = At(2026, 11, 1), PeriodEnd = At(2026, 12, 1) },
            "period from the last nanosecond of October" => new() { PeriodStart = lastNanosecondOfOctober },
            "period until the last nanosecond of October (excluded)" => new() { PeriodEnd = lastNanosecondOfOctober },
            "period until the last 100 ns tick of October" => new() { PeriodEnd = new Timestamp { Seconds = lastNanosecondOfOctober.Seconds, Nanos = 999_999_900 } },
            "period until November" => new() { PeriodEnd = At(2026, 11, 1) },
            "subject B, DENIED, from December" => new() { SubjectPseudonym = SubjectB, Decisions = { DisclosureDecision.Denied }, PeriodStart = At(2026, 12, 1) },
            "subject A and WPG_ART_20: nothing" => new() { SubjectPseudonym = SubjectA, LegalBases = { LegalBasis.WpgArt20 } },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
    }

    private static PartnerId Partner(string oin) => new() { Oin = oin };

    private static Timestamp At(int year, int month, int day) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero));

    private static string Buckets(DisclosureCounts counts) =>
        string.Join(' ', counts.Buckets.Select(b => $"{DisclosureCounts.Label(b)}={b.Count}"));

    private async Task AppendAsync(string prefix) =>
        await _data.Writer.AppendAsync((log, _) => Task.FromResult(SampleDisclosures.AuditLog(prefix, SubjectA, SubjectB).Select(log.Append).ToList()));
}
