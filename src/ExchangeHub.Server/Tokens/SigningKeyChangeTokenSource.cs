// This file is part of ExchangeHub.

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ExchangeHub.Server.Tokens;

/// <summary>Makes <typeparamref name="TOptions"/> rebuild when the token signing keys rotate.</summary>
internal sealed class SigningKeyChangeTokenSource<TOptions>(TokenSigningKeyRing ring) : IOptionsChangeTokenSource<TOptions>
{
    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => ring.ChangeToken;
}
