// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Validation;

/// <summary>One thing wrong with a request: which field (a path of proto field names) and why.</summary>
/// <param name="Field">The field path, e.g. <c>notice.subject.bsn</c> or <c>recipients[1].oin</c>.</param>
/// <param name="Description">What is wrong, in words a partner's developer can act on.</param>
public sealed record FieldViolation(string Field, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Description}";
}
