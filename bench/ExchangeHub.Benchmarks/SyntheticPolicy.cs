// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Benchmarks;

/// <summary>
/// Writes a valid policy of any number of signal rules, each for its own combination of sender role, recipient
/// role and legal basis, so that no two overlap. Deterministic: the same count gives the same file.
/// </summary>
internal static class SyntheticPolicy
{
    public static readonly string[] Roles =
    [
        "PRISON_SERVICE", "PROSECUTION", "DETENTION_INFORMATION_POINT", "POLICE", "ROYAL_MARECHAUSSEE", "PROBATION", "MUNICIPALITY",
        "INTELLIGENCE_SERVICE", "IMMIGRATION_SERVICE", "RETURN_AND_DEPARTURE_SERVICE", "ASYLUM_RECEPTION", "CHILD_PROTECTION_BOARD",
        "CARE_AND_SAFETY_HOUSE", "JUSTICE_INFORMATION_SERVICE",
    ];

    public static readonly string[] Bases =
    [
        "WPG_ART_16", "WPG_ART_18_2", "WPG_ART_19", "WPG_ART_20", "WJSG_ART_39F", "WIV_2017_OFFICIAL_REPORT", "AVG_ART_6_1_C", "AVG_ART_6_1_E",
        "WET_SENB_REINTEGRATION", "WGPA_RADICALISATION",
    ];

    public static readonly string[] Purposes =
    [
        "VICTIM_INFORMATION", "RELEASE_PREPARATION", "PERSON_CENTRED_APPROACH", "REINTEGRATION", "PROSECUTION", "SUPERVISION",
        "NATIONAL_SECURITY_MEASURE", "PUBLIC_ORDER", "MIGRATION_MEASURE", "CHILD_PROTECTION",
    ];

    /// <summary>The combination rule <paramref name="i"/> covers.</summary>
    public static (string Sender, string Recipient, string Basis, string Purpose) Combination(int i) =>
        (Roles[i % Roles.Length], Roles[i / Roles.Length % Roles.Length], Bases[i / (Roles.Length * Roles.Length) % Bases.Length], Purposes[i % Purposes.Length]);

    public static byte[] Create(int rules)
    {
        if (rules > Roles.Length * Roles.Length * Bases.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(rules), "Not that many distinct combinations.");
        }

        var yaml = new StringBuilder();
        yaml.AppendLine("id: synthetic").AppendLine(CultureInfo.InvariantCulture, $"version: \"{rules}\"").AppendLine("description: Synthetic benchmark policy.").AppendLine("rules:");
        for (var i = 0; i < rules; i++)
        {
            var (sender, recipient, basis, purpose) = Combination(i);
            var weighty = PolicyLoader.WeightyPublicInterestBases.Any(b => ContractEnums.Name(b) == basis);
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: rule-{i}")
                .AppendLine(CultureInfo.InvariantCulture, $"    description: Synthetic rule {i}.")
                .AppendLine("    citation: \"Synthetic citation, art. 1\"")
                .AppendLine(CultureInfo.InvariantCulture, $"    legal_basis: {basis}")
                .AppendLine(CultureInfo.InvariantCulture, $"    purposes: [{purpose}]")
                .AppendLine(CultureInfo.InvariantCulture, $"    senders: [{sender}]")
                .AppendLine(CultureInfo.InvariantCulture, $"    recipients: [{recipient}]")
                .AppendLine("    message_type: SIGNAL")
                .AppendLine("    categories: [SIGNAL]")
                .AppendLine("    fields: [subject, signal_type, observed_at, municipality]")
                .AppendLine(CultureInfo.InvariantCulture, $"    conditions: [{(weighty ? "justification_required, " : string.Empty)}recipient_is_subject_municipality]")
                .AppendLine("    retention_days: 365");
        }

        return Encoding.UTF8.GetBytes(yaml.ToString());
    }
}
