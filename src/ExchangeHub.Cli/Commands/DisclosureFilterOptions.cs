// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// The options of <c>hubctl audit list|count|export</c> that make a <see cref="DisclosureFilter"/>: criteria combine
/// with AND, repeated values of one option with OR. Enum values are the contract's names, short or full, in any
/// case, with '-' for '_' (<c>wpg-art-20</c>, <c>LEGAL_BASIS_WPG_ART_20</c>). Times are UTC unless they say
/// otherwise; a date alone is its midnight; the period is half-open (<c>--from</c> included, <c>--to</c> not).
/// </summary>
internal static class DisclosureFilterOptions
{
    public static readonly Option<string?> Subject = new("--subject") { HelpName = "BSN", Description = "Only records about the person with this BSN (the hub pseudonymises it)." };

    public static readonly Option<string?> SubjectPseudonym = new("--subject-pseudonym") { HelpName = "HEX", Description = "Only records with this subject pseudonym (64 hex characters, as in the records)." };

    public static readonly Option<string[]> Partners = Repeated("--partner", "OIN", "Only records in which this partner (OIN) is sender, recipient or data provider. Repeatable.");

    public static readonly Option<string[]> LegalBases = Repeated("--legal-basis", "NAME", "Only records with this legal basis, e.g. WPG_ART_20. Repeatable.");

    public static readonly Option<string[]> Purposes = Repeated("--purpose", "NAME", "Only records with this purpose, e.g. PERSON_CENTRED_APPROACH. Repeatable.");

    public static readonly Option<string[]> Decisions = Repeated("--decision", "NAME", "Only records with this decision: ALLOWED or DENIED. Repeatable.");

    public static readonly Option<string[]> Categories = Repeated("--category", "NAME", "Only records of this data category, e.g. SIGNAL. Repeatable.");

    public static readonly Option<string?> From = new("--from") { HelpName = "TIME", Description = "Only records recorded at or after this time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z; UTC)." };

    public static readonly Option<string?> To = new("--to") { HelpName = "TIME", Description = "Only records recorded before this time (excluded; same forms as --from)." };

    public static void AddOptionsTo(Command command)
    {
        foreach (var option in new Option[] { Subject, SubjectPseudonym, Partners, LegalBases, Purposes, Decisions, Categories, From, To })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The filter the options describe, or <see cref="CommandLineException"/> naming the option that is wrong.</summary>
    public static DisclosureFilter FromParseResult(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var filter = new DisclosureFilter();
        var bsn = parse.GetValue(Subject);
        var pseudonym = parse.GetValue(SubjectPseudonym);
        if (bsn is not null && pseudonym is not null)
        {
            throw new CommandLineException("give --subject or --subject-pseudonym, not both");
        }

        if (bsn is not null)
        {
            filter.Bsn = bsn;
        }
        else if (pseudonym is not null)
        {
            filter.SubjectPseudonym = pseudonym;
        }

        filter.Partners.AddRange((parse.GetValue(Partners) ?? []).Select(oin => new PartnerId { Oin = oin }));
        filter.LegalBases.AddRange(Enums<LegalBasis>(parse, LegalBases, ContractEnums.LegalBasis));
        filter.Purposes.AddRange(Enums<Purpose>(parse, Purposes, ContractEnums.Purpose));
        filter.Decisions.AddRange(Enums<DisclosureDecision>(parse, Decisions, ContractEnums.DisclosureDecision));
        filter.Categories.AddRange(Enums<DataCategory>(parse, Categories, ContractEnums.DataCategory));
        filter.PeriodStart = Time(parse, From);
        filter.PeriodEnd = Time(parse, To);
        return filter;
    }

    /// <summary>Reads a contract enum value by its short or full name, in any case, '-' standing for '_'.</summary>
    public static TEnum ParseEnum<TEnum>(string text, EnumDescriptor descriptor, string option)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        return ProtoEnumNames.TryParse<TEnum>(descriptor, text.Trim().Replace('-', '_').ToUpperInvariant(), out var value)
            ? value
            : throw new CommandLineException($"{option} '{text}' is not one of {string.Join(", ", ProtoEnumNames.ShortNames(descriptor))}");
    }

    private static Option<string[]> Repeated(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description, AllowMultipleArgumentsPerToken = true };

    private static List<TEnum> Enums<TEnum>(ParseResult parse, Option<string[]> option, EnumDescriptor descriptor)
        where TEnum : struct, Enum =>
        (parse.GetValue(option) ?? []).Select(text => ParseEnum<TEnum>(text, descriptor, option.Name)).ToList();

    private static Google.Protobuf.WellKnownTypes.Timestamp? Time(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(instant)
            : throw new CommandLineException($"{option.Name} '{text}' is not a date or time; write e.g. 2026-11-01 or 2026-11-01T08:00:00Z");
    }
}
