// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;
using System.Text;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// Reads and writes contract enum values by their proto names, so that a policy file speaks the contract's
/// language: <c>AVG_ART_6_1_E</c> (or the full <c>LEGAL_BASIS_AVG_ART_6_1_E</c>) for <c>LegalBasis.AvgArt61E</c>.
/// The <c>_UNSPECIFIED</c> value is never accepted.
/// </summary>
public static class ProtoEnumNames
{
    /// <summary>Parses <paramref name="text"/> as a value of <typeparamref name="TEnum"/>.</summary>
    public static bool TryParse<TEnum>(EnumDescriptor descriptor, string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var prefix = Prefix(descriptor);
        var found = descriptor.FindValueByName(text.StartsWith(prefix, StringComparison.Ordinal) ? text : prefix + text);
        if (found is null || found.Number == 0)
        {
            return false;
        }

        value = (TEnum)Enum.ToObject(typeof(TEnum), found.Number);
        return true;
    }

    /// <summary>The short proto name of <paramref name="value"/>, e.g. <c>AVG_ART_6_1_E</c>.</summary>
    public static string ShortName<TEnum>(EnumDescriptor descriptor, TEnum value)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var found = descriptor.FindValueByNumber(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
        return found is null ? value.ToString() : found.Name[Prefix(descriptor).Length..];
    }

    /// <summary>Every defined short name except the unspecified one, for "expected one of" messages.</summary>
    public static IEnumerable<string> ShortNames(EnumDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var prefix = Prefix(descriptor);
        return descriptor.Values.Where(v => v.Number != 0).Select(v => v.Name[prefix.Length..]);
    }

    [SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "Proto enum names are ASCII upper snake case.")]
    private static string Prefix(EnumDescriptor descriptor)
    {
        // LegalBasis -> LEGAL_BASIS_ (the buf style guide prefixes values with the enum name).
        var builder = new StringBuilder();
        foreach (var c in descriptor.Name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.Append('_').ToString();
    }
}
