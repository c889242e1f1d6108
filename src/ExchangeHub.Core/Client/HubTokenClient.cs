// This file is part of ExchangeHub.

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeHub.Core.Pki;

namespace ExchangeHub.Core.Client;

/// <summary>
/// Obtains access tokens from the hub's token endpoint with the client-credentials grant, authenticating with the
/// partner certificate of the TLS connection (RFC 8705 tls_client_auth: no secret), and keeps each until shortly
/// before it expires. The token is bound to that certificate, so it only works over connections that present it.
/// </summary>
public sealed class HubTokenClient : IDisposable
{
    /// <summary>The token endpoint, relative to the hub's address.</summary>
    public const string TokenEndpointPath = "connect/token";

    private readonly Uri _endpoint;
    private readonly HttpMessageInvoker _transport;
    private readonly string _clientId;
    private readonly HubTokenSettings _settings;
    private readonly string _cacheKey;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _current;

    /// <summary>Creates a client that asks <paramref name="hub"/> over <paramref name="transport"/> (which presents <paramref name="certificate"/>; the client owns it).</summary>
    public HubTokenClient(Uri hub, X509Certificate2 certificate, HttpMessageInvoker transport, HubTokenSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(certificate);
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _endpoint = new Uri(hub, TokenEndpointPath);
        _clientId = OinCertificateReader.TryRead(certificate, out var oin)
            ? oin.Value
            : throw new ArgumentException($"The certificate '{certificate.Subject}' carries no OIN; the hub cannot issue it a token.", nameof(certificate));
        _cacheKey = string.Join('|', hub.GetLeftPart(UriPartial.Authority), certificate.Thumbprint, string.Join(' ', settings.Scopes.Order(StringComparer.Ordinal)));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A token valid for at least another minute (or a fifth of its lifetime), asking the hub when needed.</summary>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_current))
        {
            return _current!.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsFresh(_current))
            {
                return _current!.Value;
            }

            var cached = _settings.Cache?.Read(_cacheKey);
            if (IsFresh(cached))
            {
                _current = cached;
                return cached!.Value;
            }

            _current = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _settings.Cache?.Write(_cacheKey, _current);
            return _current.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Dispose();
        _transport.Dispose();
    }

    private bool IsFresh(AccessToken? token) => token is not null && token.ExpiresAt - _time.GetUtcNow() > TimeSpan.FromSeconds(60);

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", _clientId),
        };
        if (_settings.Scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', _settings.Scopes)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new FormUrlEncodedContent(form),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var requestedAt = _time.GetUtcNow();
        using var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var json = TryParse(body);
        var root = json?.RootElement;
        if (!response.IsSuccessStatusCode || root is null || !root.Value.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } value)
        {
            var error = root?.TryGetProperty("error", out var e) == true ? e.GetString() : null;
            var description = root?.TryGetProperty("error_description", out var d) == true ? d.GetString() : null;
            throw new HubTokenException($"The hub refused a token to {_clientId} ({(int)response.StatusCode} {error ?? "no error code"}): {description ?? "no description"}", error, description);
        }

        var lifetime = root.Value.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
        return new AccessToken(value, requestedAt + lifetime);
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
