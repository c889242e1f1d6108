// This file is part of ExchangeHub.

using System.Net.Http.Json;
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
        ArgumentNullException.ThrowIfNull(hub);
        var handler = hub.CreateHttpHandler(certificate);
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
