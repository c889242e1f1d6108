// This file is part of ExchangeHub.

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Access;
using ExchangeHub.Core.Client;
using ExchangeHub.Server.Tokens;
using ExchangeHub.Tests.Support.Hub;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Certificate-bound access tokens (RFC 8705) against the real hub: how a partner obtains one, and each way a token
/// can be wrong, asserted exactly. Tokens that the hub would never issue (expired, other audience, unbound) are
/// made by re-signing a real token's claims with the hub's own signing key, so that only the one claim differs.
/// </summary>
[Collection(SharedHubDefinition.Name)]
public sealed class AccessTokenTests(HubTestServer hub)
{
    [Fact]
    public async Task TokenEndpoint_PartnerCertificate_TokenBoundToItWithTheScopesTheRegistrationAllows()
    {
        using var client = hub.CreateTokenClient(hub.Pki.Dji);

        var claims = Claims(await client.GetTokenAsync(CancellationToken.None));

        Assert.Equal(TestPki.DjiOin, (string?)claims["sub"]);
        Assert.Equal(TestPki.DjiOin, (string?)claims["client_id"]);
        Assert.Equal("exchangehub", (string?)claims["aud"]);
        Assert.Equal(Thumbprint(hub.Pki.Dji), (string?)claims["cnf"]!["x5t#S256"]);
        var lifetime = (long)claims["exp"]! - (long)claims["iat"]!;
        Assert.Equal(600, lifetime);
        var scopes = ((string?)claims["scope"])!.Split(' ');
        Assert.Contains(HubScopes.NoticesSubmit, scopes);
        Assert.Contains("purpose:release_preparation", scopes);
        Assert.DoesNotContain(HubScopes.AuditRead, scopes);
        Assert.DoesNotContain(HubScopes.ReportsSubmit, scopes);
    }

    [Fact]
    public async Task TokenEndpoint_ScopeTheRegistrationDoesNotAllow_InvalidScopeWithWhatIsAllowed()
    {
        using var client = hub.CreateTokenClient(hub.Pki.Dji, new HubTokenSettings { Scopes = [HubScopes.AuditRead] });

        var ex = await Assert.ThrowsAsync<HubTokenException>(() => client.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal("invalid_scope", ex.Error);
        Assert.StartsWith($"EH1012: partner Dienst Justitiële Inrichtingen ({TestPki.DjiOin}) may not hold scope(s) audit:read. Its registration allows: ", ex.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_ClientIdOfAnotherPartner_InvalidClient()
    {
        using var response = await PostTokenRequestAsync(hub.Pki.Rotterdam, ("grant_type", "client_credentials"), ("client_id", TestPki.DjiOin));

        var (error, description) = await ErrorAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", error);
        Assert.Equal($"EH1011: client_id '{TestPki.DjiOin}' is not the OIN of the certificate this connection was opened with ({TestPki.RotterdamOin}). Use your own OIN as client_id.", description);
    }

    [Fact]
    public async Task TokenEndpoint_UnregisteredOrDisabledPartner_InvalidClientWithTheReason()
    {
        using var unregistered = await PostTokenRequestAsync(hub.Pki.Unregistered, ("grant_type", "client_credentials"), ("client_id", TestPki.UnregisteredOin));
        using var disabled = await PostTokenRequestAsync(hub.Pki.Disabled, ("grant_type", "client_credentials"), ("client_id", TestPki.DisabledOin));

        Assert.Equal(("invalid_client", true), ((await ErrorAsync(unregistered)).Error, (await ErrorAsync(unregistered)).Description!.StartsWith("EH1003: ", StringComparison.Ordinal)));
        Assert.Equal(("invalid_client", true), ((await ErrorAsync(disabled)).Error, (await ErrorAsync(disabled)).Description!.StartsWith("EH1004: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TokenEndpoint_ClientSecretInsteadOfCertificateGrant_Refused()
    {
        using var password = await PostTokenRequestAsync(hub.Pki.Dji, ("grant_type", "password"), ("client_id", TestPki.DjiOin), ("username", "x"), ("password", "y"));

        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.Equal("unsupported_grant_type", (await ErrorAsync(password)).Error);
    }

    [Fact]
    public async Task Metadata_AdvertisesTlsClientAuthOnlyAndBoundTokens()
    {
        using var http = HttpClientFor(hub.Pki.Dji);

        using var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(hub.Address, TokenDefaults.ConfigurationEndpoint)));

        Assert.Equal(["tls_client_auth"], metadata.RootElement.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(metadata.RootElement.GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        Assert.Equal(["client_credentials"], metadata.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Call_WithoutToken_UnauthenticatedEh1013()
    {
        var ex = await CallWithTokenAsync(hub.Pki.Dji, token: null);

        AssertUnauthenticated(ex, "EH1013: No access token was presented.");
    }

    [Fact]
    public async Task Call_TokenStolenFromDjiReplayedByRotterdamOverItsOwnCertificate_UnauthenticatedEh1016()
    {
        using var dji = hub.CreateTokenClient(hub.Pki.Dji);
        var stolen = await dji.GetTokenAsync(CancellationToken.None);

        var ex = await CallWithTokenAsync(hub.Pki.Rotterdam, stolen);

        AssertUnauthenticated(ex, "EH1016: The access token is bound to another client certificate");
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 1203 && r.Message.Contains(TestPki.RotterdamOin, StringComparison.Ordinal) && r.Message.Contains("EH1016", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_ExpiredToken_UnauthenticatedEh1014()
    {
        var token = await ResignedTokenAsync(hub.Pki.Dji, claims =>
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds();
            claims["iat"] = past;
            claims["nbf"] = past;
            claims["exp"] = past + 60;
        });

        var ex = await CallWithTokenAsync(hub.Pki.Dji, token);

        AssertUnauthenticated(ex, "EH1014: The access token has expired.");
    }

    [Fact]
    public async Task Call_TokenForAnotherAudience_UnauthenticatedEh1015()
    {
        var token = await ResignedTokenAsync(hub.Pki.Dji, claims => claims["aud"] = "another-hub");

        var ex = await CallWithTokenAsync(hub.Pki.Dji, token);

        AssertUnauthenticated(ex, "EH1015: The access token was not issued for this hub (audience 'exchangehub' is required).");
    }

    [Fact]
    public async Task Call_TokenWithoutCertificateBinding_UnauthenticatedEh1016()
    {
        var token = await ResignedTokenAsync(hub.Pki.Dji, claims => claims.Remove("cnf"));

        var ex = await CallWithTokenAsync(hub.Pki.Dji, token);

        AssertUnauthenticated(ex, "EH1016: The access token is bound to another client certificate (cnf x5t#S256) than the one this connection presents, or to none.");
    }

    [Fact]
    public async Task Call_TokenSignedByAnotherKey_UnauthenticatedEh1017()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=not the hub", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var foreignKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var token = await ResignedTokenAsync(hub.Pki.Dji, _ => { }, foreignKey);

        var ex = await CallWithTokenAsync(hub.Pki.Dji, token);

        AssertUnauthenticated(ex, "EH1017: The access token is not valid here: ");
    }

    [Fact]
    public async Task Call_TokenWithoutTheOperationScope_PermissionDeniedEh1019()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji, new HubTokenSettings { Scopes = [HubScopes.InboxReceive, "purpose:release_preparation"] });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new NoticeService.NoticeServiceClient(channel).SubmitEndOfDetentionNoticeAsync(ValidRequests.EndOfDetentionNotice()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH1019: The access token does not carry scope 'notices:submit', which /exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice requires.", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("EH1019", HubMessages.ErrorInfo(ex).Reason);
    }

    [Fact]
    public async Task Call_TokenWithoutThePurposeScope_PermissionDeniedEh1020_NothingLogged()
    {
        var logSize = hub.Service<Core.Ledger.IDisclosureLog>().Committed.Size;
        using var channel = hub.CreateChannel(hub.Pki.Dji, new HubTokenSettings { Scopes = [HubScopes.NoticesSubmit, "purpose:victim_information"] });

        var request = ValidRequests.EndOfDetentionNotice();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new NoticeService.NoticeServiceClient(channel).SubmitEndOfDetentionNoticeAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH1020: The request states purpose RELEASE_PREPARATION, but the access token does not carry scope 'purpose:release_preparation'.", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await HubMessages.LoggedSinceAsync(hub, (long)logSize), e => e.Disclosure?.IdempotencyKey == request.Context.IdempotencyKey);
    }

    [Fact]
    public async Task Call_NarrowTokenWithExactlyTheScopesNeeded_Accepted()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji, new HubTokenSettings { Scopes = [HubScopes.NoticesSubmit, "purpose:release_preparation", "purpose:victim_information"] });

        var response = await new NoticeService.NoticeServiceClient(channel).SubmitEndOfDetentionNoticeAsync(ValidRequests.EndOfDetentionNotice());

        Assert.NotEmpty(response.Receipt.MessageId);
    }

    [Fact]
    public void Scopes_EveryContractMethodHasOne()
    {
        var methods = new[] { NoticeService.Descriptor, SignalService.Descriptor, OfficialReportService.Descriptor, CaseService.Descriptor, InboxService.Descriptor, AuditService.Descriptor }
            .SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"));

        Assert.All(methods, m => Assert.True(HubScopes.TryGetMethodScope(m, out _), $"{m} has no scope"));
    }

    private async Task<RpcException> CallWithTokenAsync(X509Certificate2 certificate, string? token)
    {
        using var channel = hub.CreateChannel(certificate, HubTokenSettings.None);
        var headers = token is null ? null : new Metadata { { "authorization", "Bearer " + token } };
        return await Assert.ThrowsAsync<RpcException>(() => new InboxService.InboxServiceClient(channel).PullInboxAsync(new PullInboxRequest(), headers).ResponseAsync);
    }

    private static void AssertUnauthenticated(RpcException ex, string expectedStart)
    {
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.StartsWith(expectedStart, ex.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>A real token of <paramref name="certificate"/>'s partner with its claims changed, signed by <paramref name="signer"/> (default: the hub's own key).</summary>
    private async Task<string> ResignedTokenAsync(X509Certificate2 certificate, Action<JsonObject> change, X509Certificate2? signer = null)
    {
        using var client = hub.CreateTokenClient(certificate);
        var claims = Claims(await client.GetTokenAsync(CancellationToken.None));
        change(claims);
        var key = new X509SecurityKey(signer ?? hub.Service<TokenSigningKeyRing>().Keys[0]);
        return new JsonWebTokenHandler().CreateToken(claims.ToJsonString(), new SigningCredentials(key, SecurityAlgorithms.RsaSha256), new Dictionary<string, object> { ["typ"] = "at+jwt" });
    }

    private static JsonObject Claims(string token)
    {
        var payload = token.Split('.')[1];
        return JsonNode.Parse(Base64UrlEncoder.DecodeBytes(payload))!.AsObject();
    }

    private static string Thumbprint(X509Certificate2 certificate) => Base64UrlEncoder.Encode(SHA256.HashData(certificate.RawData));

    private HttpClient HttpClientFor(X509Certificate2 certificate) =>
        new(hub.CreateHttpHandler(certificate)) { DefaultRequestVersion = HttpVersion.Version20 };

    private async Task<HttpResponseMessage> PostTokenRequestAsync(X509Certificate2 certificate, params (string Name, string Value)[] form)
    {
        using var http = HttpClientFor(certificate);
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await http.PostAsync(new Uri(hub.Address, TokenDefaults.TokenEndpoint), content);
    }

    private static async Task<(string? Error, string? Description)> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("error").GetString(), body.RootElement.TryGetProperty("error_description", out var d) ? d.GetString() : null);
    }
}
