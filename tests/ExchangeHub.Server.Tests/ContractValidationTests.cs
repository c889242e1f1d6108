// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Tests.Support.Hub;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>Invalid requests are answered INVALID_ARGUMENT with a google.rpc.BadRequest naming each field.</summary>
[Collection(SharedHubDefinition.Name)]
public sealed class ContractValidationTests(HubTestServer hub)
{
    [Fact]
    public async Task SubmitNotice_UnspecifiedEnumAndBadBsn_InvalidArgumentWithFieldViolations()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji);
        var request = ValidRequests.EndOfDetentionNotice();
        request.Grounds[0].Purpose = Purpose.Unspecified;
        request.Notice.Subject.Bsn = "111222334";

        var ex = await Assert.ThrowsAsync<RpcException>(() => new NoticeService.NoticeServiceClient(channel)
            .SubmitEndOfDetentionNoticeAsync(request, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("EH2001: The request is invalid: grounds[0].purpose: PURPOSE_UNSPECIFIED is not a value", ex.Status.Detail, StringComparison.Ordinal);
        var status = ex.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal("EH2001", status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(
            ["grounds[0].purpose", "notice.subject.bsn"],
            status.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 2001 && r.Message.Contains("notice.subject.bsn", StringComparison.Ordinal));
        Assert.DoesNotContain(hub.Logs.Records, r => r.Message.Contains("111222334", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscribe_UnspecifiedCategoryFilter_InvalidArgumentOnTheStream()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);
        var request = new SubscribeRequest { Categories = { DataCategory.Unspecified } };

        using var call = new InboxService.InboxServiceClient(channel).Subscribe(request, deadline: DateTime.UtcNow.AddSeconds(20));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("categories[0]", ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Field);
    }

    [Fact]
    public async Task SubmitNotice_InvalidRequestFromUnregisteredPartner_UnauthenticatedFirst()
    {
        // Authentication comes before validation: an outsider learns nothing about the contract's rules.
        using var channel = hub.CreateChannel(hub.Pki.Unregistered);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new NoticeService.NoticeServiceClient(channel)
            .SubmitEndOfDetentionNoticeAsync(new SubmitEndOfDetentionNoticeRequest(), deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }
}
