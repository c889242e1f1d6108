// This file is part of ExchangeHub.

using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;
using ExchangeHub.Tests.Support.Ledger;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The privacy officer's search, figures and export through the audit API. The shared hub's log also holds other
/// tests' records, so each test seeds <see cref="SampleDisclosures.AuditLog"/> under subjects of its own and
/// filters on them.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class AuditQueryTests(HubTestServer hub)
{
    private static readonly ProcessingGrounds AuditGrounds = new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };

    // The seeded records of subject A that no audit read of A (logged with category unspecified) can join.
    private static readonly DataCategory[] SeededCategories = [DataCategory.EndOfDetentionNotice, DataCategory.OfficialReport];

    // The token refuses first: only privacy officers hold the audit:read scope, and they hold no purpose but
    // PRIVACY_AUDIT; the service's own EH1007 check stays behind it as a second line.
    [Theory]
    [InlineData("ListDisclosures", "Rotterdam", "EH1019: The access token does not carry scope 'audit:read'")]
    [InlineData("ListDisclosures", "officer without PRIVACY_AUDIT", "EH1020: The request states purpose PERSON_CENTRED_APPROACH")]
    [InlineData("CountDisclosures", "Rotterdam", "EH1019: The access token does not carry scope 'audit:read'")]
    [InlineData("ExportDisclosures", "Rotterdam", "EH1019: The access token does not carry scope 'audit:read'")]
    [InlineData("ExportDisclosures", "officer without PRIVACY_AUDIT", "EH1020: The request states purpose PERSON_CENTRED_APPROACH")]
    public async Task EachRpc_NotAPrivacyOfficerForPrivacyAudit_PermissionDeniedWithErrorInfoAndNothingLogged(string rpc, string caller, string expected)
    {
        var (subject, _) = await SeedAsync();
        using var channel = hub.CreateChannel(caller == "Rotterdam" ? hub.Pki.Rotterdam : hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var grounds = caller == "Rotterdam" ? AuditGrounds : new ProcessingGrounds { Purpose = Purpose.PersonCentredApproach, LegalBasis = LegalBasis.AvgArt61E };
        var filter = new DisclosureFilter { SubjectPseudonym = subject };

        var ex = await Assert.ThrowsAsync<RpcException>(() => rpc switch
        {
            "ListDisclosures" => audit.ListDisclosuresAsync(new ListDisclosuresRequest { Grounds = grounds, Filter = filter }).ResponseAsync,
            "CountDisclosures" => audit.CountDisclosuresAsync(new CountDisclosuresRequest { Filter = filter, GroupBy = DisclosureGrouping.Month }).ResponseAsync,
            _ => ReadExportAsync(audit, new ExportDisclosuresRequest { Grounds = grounds, Filter = filter, Format = ExportFormat.Csv }),
        });

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith(expected, ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(expected[..6], HubMessages.ErrorInfo(ex).Reason);
        var about = await hub.Service<SqliteLedgerStore>().DisclosuresAboutAsync(subject, null, null, CancellationToken.None);
        Assert.Equal(3, about.Count);
    }

    [Fact]
    public async Task ListDisclosures_PagesOfTwo_TheSeededRecordsOnceAndTheListingLoggedOnce()
    {
        var (subjectA, _) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var request = new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = new DisclosureFilter { SubjectPseudonym = subjectA }, PageSize = 2 };

        var first = await audit.ListDisclosuresAsync(request);
        request.PageToken = first.NextPageToken;
        var second = await audit.ListDisclosuresAsync(request);

        Assert.Equal([$"{Prefix(subjectA)}-0", $"{Prefix(subjectA)}-1"], first.Records.Select(r => r.MessageId));
        Assert.Equal([$"{Prefix(subjectA)}-4"], second.Records.Select(r => r.MessageId));
        Assert.Empty(second.NextPageToken);
        Assert.Equal(first.LogSize, second.LogSize);
        Assert.True(first.Records[^1].Sequence < first.LogSize);

        // The first page was logged, to the officer, about subject A; the second page was not logged again.
        var listings = (await hub.Service<SqliteLedgerStore>().DisclosuresAboutAsync(subjectA, null, null, CancellationToken.None))
            .Where(r => r.MessageType == MessageType.DisclosureListing).ToList();
        var listing = Assert.Single(listings);
        Assert.Equal(TestPki.PrivacyOfficerOin, listing.Recipient.Oin);
        Assert.True(listing.Sequence >= first.LogSize);
        Assert.Equal(Purpose.PrivacyAudit, listing.Purpose);
        Assert.Contains($"in the first {first.LogSize} leaves", listing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDisclosures_TokenWithAnotherFilter_InvalidArgumentOnPageToken()
    {
        var (subjectA, subjectB) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var first = await audit.ListDisclosuresAsync(new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = new DisclosureFilter { SubjectPseudonym = subjectA }, PageSize = 1 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => audit.ListDisclosuresAsync(new ListDisclosuresRequest
        {
            Grounds = AuditGrounds,
            Filter = new DisclosureFilter { SubjectPseudonym = subjectB },
            PageSize = 1,
            PageToken = first.NextPageToken,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("EH2001: The request is invalid: page_token: was issued for a different filter", ex.Status.Detail, StringComparison.Ordinal);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("page_token", violation.Field);
    }

    [Theory]
    [InlineData(1001u, "page_size")]
    [InlineData(0u, "filter.period_end")]
    public async Task ListDisclosures_OutOfBounds_InvalidArgumentNamingTheField(uint pageSize, string field)
    {
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var filter = new DisclosureFilter();
        if (field == "filter.period_end")
        {
            filter.PeriodStart = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
            filter.PeriodEnd = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(channel)
            .ListDisclosuresAsync(new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = filter, PageSize = pageSize }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(field, Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Theory]
    [InlineData(DisclosureGrouping.LegalBasis, "WPG_ART_20=2 WET_SENB_REINTEGRATION=1")]
    [InlineData(DisclosureGrouping.Month, "2026-10=1 2026-11=1 2026-12=1")]
    [InlineData(DisclosureGrouping.Partner, "00000001800000001000=1 00000001800000003000=1 00000001800000005000=3 00000001800000011000=1")]
    [InlineData(DisclosureGrouping.Decision, "ALLOWED=1 DENIED=2")]
    public async Task CountDisclosures_SeededSubject_ExactBucketsAndTheLogSize(DisclosureGrouping groupBy, string expected)
    {
        var (_, subjectB) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        var counts = await new AuditService.AuditServiceClient(channel).CountDisclosuresAsync(new CountDisclosuresRequest
        {
            Filter = new DisclosureFilter { SubjectPseudonym = subjectB },
            GroupBy = groupBy,
        });

        Assert.Equal(expected, string.Join(' ', counts.Buckets.Select(b => $"{DisclosureCounts.Label(b)}={b.Count}")));
        Assert.Equal(3UL, counts.Total);
        Assert.True(counts.LogSize >= 9, $"log size {counts.LogSize}");
    }

    [Fact]
    public async Task ExportDisclosures_Csv_RoundTripsToTheListingAndIsLogged()
    {
        var (subjectA, _) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var filter = new DisclosureFilter { SubjectPseudonym = subjectA, Categories = { SeededCategories } };

        var file = Encoding.UTF8.GetString((await ExportAsync(audit, filter, ExportFormat.Csv)).SelectMany(c => c.ToByteArray()).ToArray());
        var listed = await audit.ListDisclosuresAsync(new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = filter });

        var rows = DisclosureCsv.Parse(file);
        Assert.Equal(string.Join(',', DisclosureExport.CsvColumns), string.Join(',', rows[0]));
        Assert.Equal(listed.Records, rows.Skip(1).Select(row => DisclosureCsv.ToRecord(rows[0], row)));
        Assert.Equal(3, listed.Records.Count);
        var logged = (await hub.Service<SqliteLedgerStore>().DisclosuresAboutAsync(subjectA, null, null, CancellationToken.None))
            .Single(r => r.MessageType == MessageType.DisclosureExport);
        Assert.Equal(TestPki.PrivacyOfficerOin, logged.Recipient.Oin);
        Assert.StartsWith("Export (CSV) of disclosure records (subject ", logged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportDisclosures_JsonLines_RoundTripsToTheListing()
    {
        var (subjectA, _) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var filter = new DisclosureFilter { SubjectPseudonym = subjectA, Categories = { SeededCategories } };

        var file = Encoding.UTF8.GetString((await ExportAsync(audit, filter, ExportFormat.JsonLines)).SelectMany(c => c.ToByteArray()).ToArray());
        var listed = await audit.ListDisclosuresAsync(new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = filter });

        Assert.Equal(listed.Records, file.TrimEnd('\n').Split('\n').Select(JsonParser.Default.Parse<DisclosureRecord>));
    }

    [Fact]
    public async Task ExportDisclosures_LargerThanOneChunk_FullChunksOf64KiBThenTheRest()
    {
        // 50 copies of the audit log under one subject: 150 records of subject B, some 100 KiB of JSON.
        var subject = Pseudonym("b");
        await hub.Service<IDisclosureLog>().AppendAsync((log, _) => Task.FromResult(
            Enumerable.Range(0, 50).SelectMany(i => SampleDisclosures.AuditLog($"bulk-{i}", Pseudonym("a"), subject)).Select(log.Append).ToList()));
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var filter = new DisclosureFilter { SubjectPseudonym = subject, Categories = { DataCategory.PoliceData, DataCategory.CaseData, DataCategory.ReintegrationData } };

        var chunks = await ExportAsync(new AuditService.AuditServiceClient(channel), filter, ExportFormat.JsonLines);

        Assert.True(chunks.Count >= 2, $"{chunks.Count} chunk(s)");
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(DisclosureExport.MaxChunkSize, c.Length));
        Assert.InRange(chunks[^1].Length, 1, DisclosureExport.MaxChunkSize);
        var lines = Encoding.UTF8.GetString(chunks.SelectMany(c => c.ToByteArray()).ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(150, lines.Length);
        Assert.Equal(150, lines.Select(JsonParser.Default.Parse<DisclosureRecord>).Select(r => r.Sequence).Distinct().Count());
    }

    private static async Task<List<ByteString>> ExportAsync(AuditService.AuditServiceClient audit, DisclosureFilter filter, ExportFormat format)
    {
        using var call = audit.ExportDisclosures(new ExportDisclosuresRequest { Grounds = AuditGrounds, Filter = filter, Format = format });
        var chunks = new List<ByteString>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            chunks.Add(response.Chunk);
        }

        return chunks;
    }

    private static async Task ReadExportAsync(AuditService.AuditServiceClient audit, ExportDisclosuresRequest request)
    {
        using var call = audit.ExportDisclosures(request);
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
        }
    }

    /// <summary>Seeds the audit log under two fresh subjects; the message ids start with <see cref="Prefix"/> of A.</summary>
    private async Task<(string SubjectA, string SubjectB)> SeedAsync()
    {
        var (a, b) = (Pseudonym("a"), Pseudonym("b"));
        await hub.Service<IDisclosureLog>().AppendAsync((log, _) => Task.FromResult(SampleDisclosures.AuditLog(Prefix(a), a, b).Select(log.Append).ToList()));
        return (a, b);
    }

    private static string Prefix(string subject) => "q-" + subject[..12];

    private string Pseudonym(string name) =>
        hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(new SubjectReference { Pseudonym = $"audit-query-{name}-{Guid.NewGuid():N}" });
}
