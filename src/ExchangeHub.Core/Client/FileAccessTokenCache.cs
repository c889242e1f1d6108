// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExchangeHub.Core.Storage;

namespace ExchangeHub.Core.Client;

/// <summary>
/// Keeps access tokens in owner-only files, so that hubctl invocations in a row reuse one token instead of asking
/// the hub each time. A token is bound to its certificate, so a copied file is useless without the private key.
/// </summary>
public sealed class FileAccessTokenCache(string directory) : IAccessTokenCache
{
    /// <summary>The default folder: <c>$XDG_CACHE_HOME/exchangehub/tokens</c> or <c>~/.cache/exchangehub/tokens</c>.</summary>
    public static string DefaultDirectory =>
        Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "exchangehub",
            "tokens");

    /// <inheritdoc />
    public AccessToken? Read(string key)
    {
        var path = PathFor(key);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<AccessToken>(File.ReadAllBytes(path)) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // A damaged cache entry only costs a new token request.
            return null;
        }
    }

    /// <inheritdoc />
    public void Write(string key, AccessToken token)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.Write(PathFor(key), JsonSerializer.SerializeToUtf8Bytes(token), ownerOnly: true, overwrite: true);
    }

    private string PathFor(string key) =>
        Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".json");
}
