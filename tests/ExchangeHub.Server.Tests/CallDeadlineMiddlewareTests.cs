// This file is part of ExchangeHub.

using ExchangeHub.Server.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Every contract call gets a deadline the hub can live with, through the grpc-timeout the gRPC server then enforces:
/// defaults 30 s for a unary call, at most 2 minutes, 30 minutes for a stream; a subscription keeps the client's.
/// </summary>
public sealed class CallDeadlineMiddlewareTests
{
    [Theory]
    [InlineData("/exchangehub.v1.AuditService/GetCheckpoint", null, "30000m")]
    [InlineData("/exchangehub.v1.AuditService/GetCheckpoint", "5S", "5S")]
    [InlineData("/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice", "2000m", "2000m")]
    [InlineData("/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice", "1H", "120000m")]
    [InlineData("/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice", "99999999S", "120000m")]
    [InlineData("/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice", "soon", "30000m")]
    [InlineData("/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice", "123456789m", "30000m")]
    [InlineData("/exchangehub.v1.AuditService/ExportDisclosures", null, "1800000m")]
    [InlineData("/exchangehub.v1.AuditService/ExportDisclosures", "2H", "1800000m")]
    [InlineData("/exchangehub.v1.AuditService/ExportDisclosures", "10M", "10M")]
    [InlineData("/exchangehub.v1.InboxService/Subscribe", null, null)]
    [InlineData("/exchangehub.v1.InboxService/Subscribe", "10H", "10H")]
    [InlineData("/grpc.health.v1.Health/Check", null, null)]
    public async Task Invoke_ContractCall_GrpcTimeoutWithinTheLimits(string path, string? requested, string? granted)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.ContentType = "application/grpc";
        if (requested is not null)
        {
            context.Request.Headers[GrpcTimeout.Header] = requested;
        }

        string? seen = "(not called)";
        var middleware = new CallDeadlineMiddleware(next => { seen = next.Request.Headers[GrpcTimeout.Header]; return Task.CompletedTask; }, Options.Create(new HubLimitsOptions()));
        await middleware.InvokeAsync(context);

        Assert.Equal(granted, seen);
    }

    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("30S", 30_000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void Parse_EveryUnit_TheTimeout(string value, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GrpcTimeout.Parse(value));

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    public void Parse_NotTheProtocolsForm_Null(string value) => Assert.Null(GrpcTimeout.Parse(value));
}
