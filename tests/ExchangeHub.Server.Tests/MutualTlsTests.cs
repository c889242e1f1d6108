// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Pki;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Who gets in: each test connects to the real hub over TLS on loopback with one kind of client certificate
/// and asserts the exact outcome, on the wire and in the hub's log.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class MutualTlsTests(HubTestServer hub)
{
    [Fact]
    public async Task Health_RegisteredPartner_Serving()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji);

        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: Deadline());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        Assert.True(File.Exists(Path.Combine(hub.DataDirectory, "hub.db")), "the hub creates its SQLite database on first start");
    }

    [Fact]
    public async Task PartnerService_RegisteredPartner_ReachesTheServiceAsThatPartner()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji);

        var response = await new NoticeService.NoticeServiceClient(channel)
            .SubmitEndOfDetentionNoticeAsync(ValidRequests.EndOfDetentionNotice(), deadline: Deadline());

        Assert.NotEmpty(response.Receipt.MessageId);
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 1102 && r.Message.Contains(TestPki.DjiOin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContractMethodNotYetServed_RegisteredPartner_UnimplementedWithReason()
    {
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        // Counting disclosures is filled in by a later version; reaching UNIMPLEMENTED (not UNAUTHENTICATED) proves
        // the caller passed TLS, partner authentication and contract validation.
        var ex = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(channel).CountDisclosuresAsync(new CountDisclosuresRequest
        {
            GroupBy = DisclosureGrouping.LegalBasis,
        }, deadline: Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.StartsWith("EH9001: /exchangehub.v1.AuditService/CountDisclosures is part of the v1 contract", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_NoClientCertificate_RefusedBeforeTheHub()
    {
        await AssertRefusedInHandshakeAsync(null, CertificateRejection.NoCertificate);
    }

    [Fact]
    public async Task AnyCall_CertificateFromForeignCa_RefusedInHandshake()
    {
        await AssertRefusedInHandshakeAsync(hub.Pki.Foreign, CertificateRejection.UntrustedIssuer);
    }

    [Fact]
    public async Task AnyCall_ExpiredCertificate_RefusedInHandshake()
    {
        await AssertRefusedInHandshakeAsync(hub.Pki.Expired, CertificateRejection.Expired);
    }

    [Fact]
    public async Task AnyCall_RevokedCertificate_RefusedInHandshake()
    {
        await AssertRefusedInHandshakeAsync(hub.Pki.Revoked, CertificateRejection.Revoked);
    }

    [Fact]
    public async Task AnyCall_ServerCertificateWithoutClientAuthUsage_RefusedInHandshake()
    {
        await AssertRefusedInHandshakeAsync(hub.Pki.ServerUsageOnly, CertificateRejection.WrongKeyUsage);
    }

    [Fact]
    public async Task PartnerService_ValidCertificateUnregisteredOin_Unauthenticated()
    {
        using var channel = hub.CreateChannel(hub.Pki.Unregistered);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new NoticeService.NoticeServiceClient(channel)
            .SubmitEndOfDetentionNoticeAsync(ValidRequests.EndOfDetentionNotice(), deadline: Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(
            $"EH1003: The client certificate is valid, but OIN {TestPki.UnregisteredOin} is not registered as a partner of this hub. Ask the hub operator to add your organisation to the partner registry.",
            ex.Status.Detail);
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 1103 && r.Message.Contains(TestPki.UnregisteredOin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PartnerService_DisabledPartner_Unauthenticated()
    {
        using var channel = hub.CreateChannel(hub.Pki.Disabled);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(channel)
            .GetCheckpointAsync(new GetCheckpointRequest(), deadline: Deadline()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.StartsWith($"EH1004: Partner {TestPki.DisabledOin}", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflection_UnregisteredOin_Unauthenticated()
    {
        using var channel = hub.CreateChannel(hub.Pki.Unregistered);
        var client = new ServerReflection.ServerReflectionClient(channel);

        using var call = client.ServerReflectionInfo(deadline: Deadline());
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Reflection_RegisteredPartner_ListsTheV1Services()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);
        var client = new ServerReflection.ServerReflectionClient(channel);

        using var call = client.ServerReflectionInfo(deadline: Deadline());
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Superset(
            new HashSet<string>
            {
                "exchangehub.v1.NoticeService", "exchangehub.v1.SignalService", "exchangehub.v1.OfficialReportService",
                "exchangehub.v1.InboxService", "exchangehub.v1.CaseService", "exchangehub.v1.AuditService", "grpc.health.v1.Health",
            },
            services.ToHashSet());
    }

    private async Task AssertRefusedInHandshakeAsync(X509Certificate2? certificate, CertificateRejection expectedRejection)
    {
        var requestsBefore = hub.RequestsSeen;
        using var channel = hub.CreateChannel(certificate);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(channel)
            .CheckAsync(new HealthCheckRequest(), deadline: Deadline()).ResponseAsync);

        // The handshake fails, so the client never gets an HTTP response. With TLS 1.3 the client learns of the
        // refusal only after its own handshake finished, so the failure surfaces either while starting the call
        // (UNAVAILABLE) or while reading its response (INTERNAL); in both cases the cause is the transport, and
        // the hub's pipeline never saw a request.
        Assert.Contains(ex.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.True(IsTransportFailure(ex), ex.ToString());
        Assert.Equal(requestsBefore, hub.RequestsSeen);
        Assert.True(await hub.Logs.WaitForAsync(r => r.EventId.Id == 1101
            && r.Message.StartsWith("TLS handshake refused from 127.0.0.1:", StringComparison.Ordinal)
            && r.Message.Contains($": {expectedRejection},", StringComparison.Ordinal)
            && (certificate is null || r.Message.Contains(certificate.Subject, StringComparison.Ordinal))));
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);

    private static bool IsTransportFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
