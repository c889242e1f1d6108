// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Partners;

/// <summary>
/// An Organisatie-identificatienummer: the 20-digit number that identifies a Dutch government organisation in
/// PKIoverheid certificates (subject <c>serialNumber</c>) and in Digikoppeling. The hub checks the form only;
/// whether an OIN belongs to a partner is the partner registry's business.
/// </summary>
public readonly record struct Oin
{
    /// <summary>The number of digits in an OIN.</summary>
    public const int Length = 20;

    private Oin(string value) => Value = value;

    /// <summary>The 20 digits.</summary>
    public string Value { get; }

    /// <summary>Parses an OIN, or says in words why the text is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Oin oin, [NotNullWhen(false)] out string? problem)
    {
        oin = default;
        if (string.IsNullOrEmpty(text))
        {
            problem = "an OIN is required";
            return false;
        }

        if (text.Length != Length)
        {
            problem = $"an OIN has exactly {Length} digits, this value has {text.Length} characters";
            return false;
        }

        var allZero = true;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                problem = "an OIN consists of digits only";
                return false;
            }

            allZero &= c == '0';
        }

        if (allZero)
        {
            problem = "an OIN of only zeros identifies no organisation";
            return false;
        }

        problem = null;
        oin = new Oin(text);
        return true;
    }

    /// <summary>Parses an OIN or throws <see cref="FormatException"/>.</summary>
    public static Oin Parse(string text) =>
        TryParse(text, out var oin, out var problem) ? oin : throw new FormatException($"'{text}' is not an OIN: {problem}.");

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
