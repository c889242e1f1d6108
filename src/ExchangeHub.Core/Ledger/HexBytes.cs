// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger;

/// <summary>Bytes that print as lowercase hex only when a log line is actually written.</summary>
/// <param name="Bytes">The bytes.</param>
public readonly record struct HexBytes(byte[] Bytes)
{
    /// <inheritdoc />
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}
