// This file is part of ExchangeHub.

using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeHub.Tests.Support.Hub;

namespace ExchangeHub.Server.Tests;

/// <summary>Plain HTTPS requests to the privacy officer's page (not gRPC), as a browser's script makes them.</summary>
internal static class AuditWebClient
{
    /// <summary>An HttpClient based at the page that presents <paramref name="certificate"/> and trusts only the test CA.</summary>
    public static HttpClient Create(HubTestServer hub, X509Certificate2 certificate)
    {
        var authorities = new X509Certificate2Collection(hub.Pki.CaCertificate);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                {
                    if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var hubCertificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(hubCertificate);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(hub.Address, "/audit/") };
    }

    /// <summary>GETs <c>api/<paramref name="endpoint"/></c> and returns its JSON; fails on anything but 200.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string endpoint)
    {
        using var response = await client.GetAsync(new Uri($"api/{endpoint}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
