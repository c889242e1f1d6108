// This file is part of ExchangeHub.

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Server.Limits;
using ExchangeHub.Tests.Support.Hub;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The limits on a call: the size of the request message, what is one well-formed request message, and how many calls
/// a partner may have in progress. A hub of its own with small limits (4 KiB messages, two calls at once).
/// </summary>
public sealed class CallLimitsTests(CallLimitsTests.SmallLimitsHub hub) : IClassFixture<CallLimitsTests.SmallLimitsHub>
{
    private const int MaxMessage = 4096;
    private const string GetCheckpoint = "/exchangehub.v1.AuditService/GetCheckpoint";

    [Fact]
    public async Task SubmitSignal_MessageOverTheLimit_ResourceExhaustedEh6001NothingStored()
    {
        using var channel = hub.CreateChannel(hub.Pki.Police);
        var rowsBefore = HubTables.CountRows(hub);
        var signal = HubMessages.Signal("GM0599", PoliceGrounds, new string('x', 2 * MaxMessage), HubTestServer.CaseConsultationId);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new SignalService.SignalServiceClient(channel)
            .SubmitSignalAsync(signal, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.StartsWith($"EH6001: The request message is {signal.CalculateSize()} bytes; this hub accepts at most {MaxMessage} bytes", ex.Status.Detail, StringComparison.Ordinal);
        var info = ex.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal("EH6001", info.Reason);
        Assert.Equal(MaxMessage.ToString(CultureInfo.InvariantCulture), info.Metadata["max_bytes"]);
        Assert.Equal("exchangehub.v1.SubmitSignalRequest", info.Metadata["message_type"]);
        Assert.Equal(rowsBefore, HubTables.CountRows(hub));
        Assert.True(await hub.Logs.WaitForAsync(r => r.EventId.Id == 6001 && r.Message.Contains(TestPki.PoliceOin, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SubmitSignal_GzipThatDecompressesOverTheLimit_ResourceExhaustedEh6001()
    {
        using var channel = hub.CreateChannel(hub.Pki.Police);
        var signal = HubMessages.Signal("GM0599", PoliceGrounds, new string('x', 40 * MaxMessage), HubTestServer.CaseConsultationId);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new SignalService.SignalServiceClient(channel)
            .SubmitSignalAsync(signal, Gzip(), DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.StartsWith($"EH6001: The request message is more than {MaxMessage} (decompressed) bytes", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckpoint_GzipRequest_Served()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);

        var response = await new AuditService.AuditServiceClient(channel).GetCheckpointAsync(new GetCheckpointRequest(), Gzip(), DateTime.UtcNow.AddSeconds(20));

        Assert.StartsWith("hub.test.example/disclosure-log\n", response.SignedNote, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the request holds no message.")]
    [InlineData("000000", "the request ends inside the message's length prefix.")]
    [InlineData("000000000A0102", "the request ends after 2 of the 10 bytes its length prefix announces.")]
    [InlineData("00000000000000000000", "the request holds more than one message, and the method takes one.")]
    [InlineData("0100000000", "the message is flagged as compressed, but the request names no compression (grpc-encoding).")]
    [InlineData("0200000000", "the message's compressed flag is 2, which is neither 0 nor 1.")]
    [InlineData("00000000020000", "Protocol message contained an invalid tag (zero).")]
    public async Task GetCheckpoint_NotOneWellFormedMessage_InvalidArgumentEh2002(string hex, string problem)
    {
        var answer = await PostAsync(hub.Pki.Rotterdam, GetCheckpoint, Convert.FromHexString(hex));

        Assert.Equal(StatusCode.InvalidArgument, answer.Code);
        Assert.Equal($"EH2002: The request is not a well-formed exchangehub.v1.GetCheckpointRequest message: {problem} Nothing was read from it and nothing was stored.", answer.Message);
        Assert.Equal("EH2002", answer.Details!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task GetCheckpoint_GzipFlagOnDataThatIsNotGzip_InvalidArgumentEh2002()
    {
        var answer = await PostAsync(hub.Pki.Rotterdam, GetCheckpoint, Convert.FromHexString("0100000004DEADBEEF"), encoding: "gzip");

        Assert.Equal(StatusCode.InvalidArgument, answer.Code);
        Assert.Contains("the message is flagged as gzip-compressed, but is not gzip data.", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCheckpoint_OneEmptyMessage_ServedThroughTheSameRawPath()
    {
        var answer = await PostAsync(hub.Pki.Rotterdam, GetCheckpoint, Convert.FromHexString("0000000000"));

        Assert.Equal(StatusCode.OK, answer.Code);
    }

    [Fact]
    public async Task GetCheckpoint_CompressedWithAnEncodingTheHubDoesNotTake_UnimplementedEh2003()
    {
        var answer = await PostAsync(hub.Pki.Rotterdam, GetCheckpoint, Convert.FromHexString("0100000000"), encoding: "deflate");

        Assert.Equal(StatusCode.Unimplemented, answer.Code);
        Assert.Equal("EH2003: The request is compressed with 'deflate', which this hub does not accept; send it uncompressed or with gzip.", answer.Message);
        Assert.Equal("identity,gzip", answer.AcceptEncoding);
    }

    [Fact]
    public async Task PullInbox_PartnerWithTwoSubscriptionsOpen_ResourceExhaustedEh6002UntilOneEnds()
    {
        using var amsterdam = hub.CreateChannel(hub.Pki.Amsterdam);
        var inbox = new InboxService.InboxServiceClient(amsterdam);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        using var subscription1 = inbox.Subscribe(new SubscribeRequest(), cancellationToken: first.Token);
        using var subscription2 = inbox.Subscribe(new SubscribeRequest(), cancellationToken: second.Token);

        // The subscriptions take their slots on the hub's side some time after they are opened here.
        await WaitUntilAsync(() => hub.Service<PartnerCallLimiter>().CallsInProgress(TestPki.AmsterdamOin) == 2);
        var refused = await Assert.ThrowsAsync<RpcException>(() => inbox.PullInboxAsync(new PullInboxRequest(), deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.StartsWith($"EH6002: Partner {TestPki.AmsterdamOin} already has 2 calls in progress", refused.Status.Detail, StringComparison.Ordinal);
        var status = refused.GetRpcStatus()!;
        Assert.Equal("EH6002", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal($"partner:{TestPki.AmsterdamOin}", status.GetDetail<QuotaFailure>()!.Violations.Single().Subject);
        Assert.True(status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.True(await hub.Logs.WaitForAsync(r => r.EventId.Id == 6002 && r.Message.Contains(TestPki.AmsterdamOin, StringComparison.Ordinal)));

        // Another partner is not held back by Amsterdam's calls.
        using var utrecht = hub.CreateChannel(hub.Pki.Utrecht);
        await new InboxService.InboxServiceClient(utrecht).PullInboxAsync(new PullInboxRequest(), deadline: DateTime.UtcNow.AddSeconds(20));

        await first.CancelAsync();
        await WaitUntilAsync(() => hub.Service<PartnerCallLimiter>().CallsInProgress(TestPki.AmsterdamOin) == 1);
        await inbox.PullInboxAsync(new PullInboxRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
    }

    private static ProcessingGrounds PoliceGrounds => new()
    {
        Purpose = Purpose.PersonCentredApproach,
        LegalBasis = LegalBasis.WpgArt20,
        Justification = "Recruits minors for travel to a conflict zone.",
    };

    // Asks the client to compress the request with gzip.
    private static Metadata Gzip() => new() { { "grpc-internal-encoding-request", "gzip" } };

    /// <summary>Waits until <paramref name="condition"/> holds, for at most 10 s.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "the hub never got there");
            await Task.Delay(25);
        }
    }

    /// <summary>Posts <paramref name="body"/> as a gRPC request as it is, framing and all, with a valid token.</summary>
    private async Task<RawAnswer> PostAsync(X509Certificate2 certificate, string path, byte[] body, string? encoding = null)
    {
        using var tokens = hub.CreateTokenClient(certificate);
        var token = await tokens.GetTokenAsync(CancellationToken.None);
        using var handler = hub.CreateHttpHandler(certificate);
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // A refusal before the service is trailers-only (the status in the headers); a served call ends in trailers.
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values) ? values.First() : null;
        var details = Header("grpc-status-details-bin") is { } bin
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin.PadRight(bin.Length + ((4 - (bin.Length % 4)) % 4), '=')))
            : null;
        return new RawAnswer(
            (StatusCode)int.Parse(Header("grpc-status")!, CultureInfo.InvariantCulture),
            Uri.UnescapeDataString(Header("grpc-message") ?? string.Empty),
            details,
            Header("grpc-accept-encoding"));
    }

    private sealed record RawAnswer(StatusCode Code, string Message, Google.Rpc.Status? Details, string? AcceptEncoding);

    /// <summary>A hub with small limits: 4 KiB request messages, two calls in progress per partner.</summary>
    public sealed class SmallLimitsHub : HubTestServer
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            ArgumentNullException.ThrowIfNull(settings);
            settings["ExchangeHub:Limits:MaxRequestMessageSize"] = MaxMessage.ToString(CultureInfo.InvariantCulture);
            settings["ExchangeHub:Limits:MaxConcurrentCallsPerPartner"] = "2";
        }
    }
}
