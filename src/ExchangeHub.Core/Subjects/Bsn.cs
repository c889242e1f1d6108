// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;

namespace ExchangeHub.Core.Subjects;

/// <summary>
/// A burgerservicenummer (citizen service number). Nine digits that pass the eleven-test (elfproef):
/// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11. An eight-digit number is the same BSN with a
/// leading zero omitted, as older systems store it; the hub normalises it to nine digits.
/// </summary>
public readonly record struct Bsn
{
    private Bsn(string value) => Value = value;

    /// <summary>The nine digits.</summary>
    public string Value { get; }

    /// <summary>Parses a BSN, or says in words why the text is not one.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Bsn bsn, [NotNullWhen(false)] out string? problem)
    {
        bsn = default;
        if (string.IsNullOrEmpty(text))
        {
            problem = "a BSN is required";
            return false;
        }

        if (text.Length is not (8 or 9))
        {
            problem = $"a BSN has 9 digits (or 8 without its leading zero), this value has {text.Length} characters";
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                problem = "a BSN consists of digits only";
                return false;
            }
        }

        var digits = text.Length == 8 ? "0" + text : text;
        if (!PassesElevenTest(digits))
        {
            problem = "this number fails the eleven-test (elfproef), so it is not a BSN; check for a typing error";
            return false;
        }

        problem = null;
        bsn = new Bsn(digits);
        return true;
    }

    /// <summary>Parses a BSN or throws <see cref="FormatException"/>.</summary>
    public static Bsn Parse(string text) =>
        TryParse(text, out var bsn, out var problem) ? bsn : throw new FormatException($"Not a BSN: {problem}.");

    /// <summary>Never prints the number itself: a BSN must not end up in logs by accident.</summary>
    public override string ToString() => "BSN(***)";

    private static bool PassesElevenTest(string nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (9 - i) * (nineDigits[i] - '0');
        }

        sum -= nineDigits[8] - '0';

        // 000000000 passes the arithmetic but is no one's number.
        return sum % 11 == 0 && nineDigits != "000000000";
    }
}
