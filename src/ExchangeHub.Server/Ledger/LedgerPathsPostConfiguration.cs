// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Storage;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.Ledger;

/// <summary>
/// Resolves the log's key files against the content root, and defaults them to <c>keys/</c> in the data
/// directory: back that directory up with the database, since a lost signing key means a new log identity.
/// </summary>
internal sealed class LedgerPathsPostConfiguration(IHostEnvironment environment, IOptions<StorageOptions> storage) : IPostConfigureOptions<LedgerOptions>
{
    public void PostConfigure(string? name, LedgerOptions options)
    {
        var keys = storage.Value.DataDirectory is { } data ? Path.Combine(data, "keys") : null;
        options.SigningKeyPath = Resolve(options.SigningKeyPath ?? (keys is null ? null : Path.Combine(keys, "log-signing.key")));
        options.PseudonymKeyPath = Resolve(options.PseudonymKeyPath ?? (keys is null ? null : Path.Combine(keys, "subject-pseudonym.key")));
    }

    private string? Resolve(string? path) => path is null ? null : Path.GetFullPath(path, environment.ContentRootPath);
}
