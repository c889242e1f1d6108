// This file is part of ExchangeHub.

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The JSON behind the privacy officer's page, read with a plain HttpClient over mutual TLS: for the privacy officer
/// only, and what it shows of records is itself logged.
/// </summary>
public sealed class AuditWebApiTests(AuditWebHub hub) : IClassFixture<AuditWebHub>
{
    [Theory]
    [InlineData("session")]
    [InlineData("disclosures")]
    [InlineData("notices")]
    [InlineData("log")]
    public async Task Api_PrivacyOfficer_JsonNotCached(string endpoint)
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.PrivacyOfficer);

        using var response = await client.GetAsync(new Uri($"api/{endpoint}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, (await response.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
    }

    [Theory]
    [InlineData("/audit", "text/html")]
    [InlineData("/audit/", "text/html")]
    [InlineData("/audit/app.js", "text/javascript")]
    [InlineData("/audit/app.css", "text/css")]
    public async Task Page_PrivacyOfficer_ServedFromTheHub(string path, string mediaType)
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.PrivacyOfficer);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, mediaType), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("unsafe-inline", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app.js")]
    [InlineData("api/session")]
    [InlineData("api/disclosures")]
    [InlineData("api/notices")]
    [InlineData("api/log")]
    public async Task Page_OtherPartner_ForbiddenWithTheReason(string path)
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.Rotterdam);
        var sizeBefore = hub.Service<IDisclosureLog>().Committed.Size;

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"EH1007: The privacy officer's page is for privacy officers (role PRIVACY_OFFICER) acting for purpose PRIVACY_AUDIT; partner Gemeente Rotterdam ({TestPki.RotterdamOin}) may not use it.", body, StringComparison.Ordinal);
        if (path.StartsWith("api/", StringComparison.Ordinal))
        {
            Assert.Equal("EH1007", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        }
        else
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(sizeBefore, hub.Service<IDisclosureLog>().Committed.Size);
    }

    [Fact]
    public async Task Page_UnregisteredCertificate_UnauthorizedWithTheReason()
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.Unregistered);

        using var response = await client.GetAsync(new Uri("api/disclosures", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("EH1003", error.GetProperty("error").GetString());
        Assert.StartsWith($"EH1003: The client certificate is valid, but OIN {TestPki.UnregisteredOin} is not registered", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disclosures_ListsDenials_TheListingIsLoggedAsADisclosureToTheOfficer()
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.PrivacyOfficer);

        var first = await client.GetJsonAsync("disclosures");
        var second = await client.GetJsonAsync("disclosures");

        // The denial is listed, without anything about the subject.
        var denial = Assert.Single(first.GetProperty("latestDenials").EnumerateArray());
        Assert.Equal(("EH3006", TestPki.PoliceOin, TestPki.RotterdamOin), (denial.GetProperty("reasonId").GetString(), denial.GetProperty("sender").GetProperty("oin").GetString(), denial.GetProperty("recipient").GetProperty("oin").GetString()));
        Assert.DoesNotContain("seudonym", denial.GetRawText(), StringComparison.Ordinal);

        // Each listing is a record of its own, appended after the snapshot its figures were read from: the
        // second look counts the first one's, an allowed disclosure to the privacy officer under AVG art. 6(1)(c).
        var logSize = first.GetProperty("logSize").GetInt64();
        var listings = await ListingsToTheOfficerAsync(logSize);
        var listing = Assert.Single(listings, r => (long)r.Sequence >= logSize && (long)r.Sequence < second.GetProperty("logSize").GetInt64());
        Assert.Equal((DisclosureDecision.Allowed, Purpose.PrivacyAudit, LegalBasis.AvgArt61C), (listing.Decision, listing.Purpose, listing.LegalBasis));
        Assert.Empty(listing.SubjectPseudonym);
        Assert.Equal([TestPki.PoliceOin], listing.DataProviders.Select(p => p.Oin));
        Assert.StartsWith($"The privacy officer's page listed the latest 1 of 1 denied disclosure records", listing.Reason, StringComparison.Ordinal);
        Assert.Equal(Total(first, "byRecipient", TestPki.PrivacyOfficerOin) + 1, Total(second, "byRecipient", TestPki.PrivacyOfficerOin));
        Assert.Equal(first.GetProperty("allowed").GetInt64() + 1, second.GetProperty("allowed").GetInt64());
        Assert.Equal(Total(first, "byLegalBasis", "AVG_ART_6_1_C") + 1, Total(second, "byLegalBasis", "AVG_ART_6_1_C"));
    }

    [Fact]
    public async Task Notices_TheOpenAlarmOfTheUnroutableNotice()
    {
        using var client = AuditWebClient.Create(hub, hub.Pki.PrivacyOfficer);

        var outstanding = await client.GetJsonAsync("notices");

        var notice = Assert.Single(outstanding.GetProperty("notices").EnumerateArray());
        Assert.Equal(
            ("MANDATORY_RECIPIENT_DENIED", hub.UnroutableNotice.MessageId, "END_OF_DETENTION_NOTICE", TestPki.DjiOin),
            (notice.GetProperty("kind").GetString(), notice.GetProperty("messageId").GetString(), notice.GetProperty("messageType").GetString(), notice.GetProperty("sender").GetProperty("oin").GetString()));
        Assert.StartsWith("EH5005: No registered partner is the mayor of the municipality of residence (GM0014)", notice.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, outstanding.GetProperty("openAlarms").GetInt32());
    }

    private async Task<List<DisclosureRecord>> ListingsToTheOfficerAsync(long fromSequence)
    {
        var search = hub.Service<DisclosureSearch>();
        var records = new List<DisclosureRecord>();
        await foreach (var record in search.ReadAsync(DisclosureQuery.All, await search.LogSizeAsync(CancellationToken.None), fromSequence - 1))
        {
            if (record.MessageType == MessageType.DisclosureListing && record.Recipient.Oin == TestPki.PrivacyOfficerOin)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static long Total(JsonElement figures, string chart, string key) =>
        figures.GetProperty(chart).EnumerateArray().Where(s => s.GetProperty("key").GetString() == key).Select(s => s.GetProperty("total").GetInt64()).SingleOrDefault();
}
