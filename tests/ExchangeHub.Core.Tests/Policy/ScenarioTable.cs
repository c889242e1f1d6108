// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Google.Protobuf.Reflection;
using YamlDotNet.RepresentationModel;

namespace ExchangeHub.Core.Tests.Policy;

/// <summary>
/// The scenario table (scenarios.yaml beside this file), read in place from the repository. Reading is strict:
/// an unknown or missing key, an unknown partner or a malformed value throws, so a typo in the table cannot
/// silently drop an assertion.
/// </summary>
public sealed class ScenarioTable
{
    private static readonly string[] RootKeys = ["partners", "case_consultations", "rows"];

    private static readonly string[] PartnerKeys = ["oin", "name", "roles", "municipality"];

    private static readonly string[] RowKeys =
    [
        "name", "from", "to", "message_type", "category", "purpose", "basis", "justification", "subject_municipalities",
        "case_consultation", "decision", "reason", "rule", "fields", "withheld", "retention_days", "explanation_contains",
        "alternatives", "alternatives_include", "note",
    ];

    private static readonly Lazy<ScenarioTable> Shared = new(() => Load(FilePath));

    private ScenarioTable(IReadOnlyDictionary<string, Partner> partners, IReadOnlyDictionary<string, FrozenSet<string>> caseConsultations, IReadOnlyList<Scenario> rows)
    {
        Partners = partners;
        CaseConsultations = caseConsultations;
        Rows = rows;
        ByName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The table's path in the repository.</summary>
    public static string FilePath => Path.Combine(RepositoryPaths.Root, "tests", "ExchangeHub.Core.Tests", "Policy", "scenarios.yaml");

    /// <summary>The table, read once per test run.</summary>
    public static ScenarioTable Default => Shared.Value;

    public IReadOnlyDictionary<string, Partner> Partners { get; }

    /// <summary>Case consultation id to the OINs of its members.</summary>
    public IReadOnlyDictionary<string, FrozenSet<string>> CaseConsultations { get; }

    public IReadOnlyList<Scenario> Rows { get; }

    public IReadOnlyDictionary<string, Scenario> ByName { get; }

    public static ScenarioTable Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        CheckKeys(root, RootKeys, RootKeys, "the table");

        var partners = new Dictionary<string, Partner>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in Mapping(root, "partners"))
        {
            var key = Text(keyNode);
            var map = (YamlMappingNode)valueNode;
            CheckKeys(map, PartnerKeys, ["oin", "name", "roles"], $"partner {key}");
            var roles = List(map, "roles").Select(r => ParseEnum<PartnerRole>(ContractEnums.PartnerRole, r)).ToFrozenSet();
            var municipality = OptionalText(map, "municipality");
            partners.Add(key, new Partner(Oin.Parse(Text(map["oin"])), Text(map["name"]), roles, municipality));
        }

        var caseConsultations = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in Mapping(root, "case_consultations"))
        {
            var members = ((YamlSequenceNode)valueNode).Children.Select(m => Partner(partners, Text(m)).Oin.Value);
            caseConsultations.Add(Text(keyNode), members.ToFrozenSet(StringComparer.Ordinal));
        }

        var rows = new List<Scenario>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in ((YamlSequenceNode)root["rows"]).Children)
        {
            var row = ReadRow((YamlMappingNode)node, partners);
            if (!names.Add(row.Name))
            {
                throw new InvalidDataException($"scenarios.yaml line {node.Start.Line}: row name '{row.Name}' is used twice.");
            }

            rows.Add(row);
        }

        return new ScenarioTable(partners, caseConsultations, rows);
    }

    private static Scenario ReadRow(YamlMappingNode map, Dictionary<string, Partner> partners)
    {
        var name = map.Children.TryGetValue("name", out var nameNode) ? Text(nameNode) : $"(row at line {map.Start.Line})";
        var where = $"scenarios.yaml line {map.Start.Line} ({name})";
        CheckKeys(
            map,
            RowKeys,
            ["name", "from", "to", "message_type", "category", "purpose", "basis", "decision", "reason", "rule", "explanation_contains"],
            where);

        var allowed = Text(map["decision"]) switch
        {
            "allowed" => true,
            "denied" => false,
            var other => throw new InvalidDataException($"{where}: decision must be allowed or denied, not '{other}'."),
        };
        var reasonText = Text(map["reason"]);
        if (!Enum.TryParse<DecisionReason>(reasonText, ignoreCase: false, out var reason) || !Enum.IsDefined(reason) || reasonText != reason.ToString())
        {
            throw new InvalidDataException($"{where}: '{reasonText}' is not a DecisionReason.");
        }

        var rule = Text(map["rule"]);
        var fields = map.Children.ContainsKey("fields") ? List(map, "fields") : null;
        var withheld = map.Children.ContainsKey("withheld") ? List(map, "withheld") : [];
        int? retention = map.Children.TryGetValue("retention_days", out var retentionNode)
            ? int.Parse(Text(retentionNode), NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
        if (allowed != (reason == DecisionReason.Allowed))
        {
            throw new InvalidDataException($"{where}: decision {Text(map["decision"])} does not go with reason {reason}.");
        }

        if (allowed && (fields is null || fields.Count == 0 || rule == "none"))
        {
            throw new InvalidDataException($"{where}: an allowed row needs its rule and its exact fields.");
        }

        if (!allowed && (fields is not null || withheld.Count > 0 || retention is not null))
        {
            throw new InvalidDataException($"{where}: a denied row discloses nothing, so it has no fields, withheld or retention_days.");
        }

        return new Scenario
        {
            Name = name,
            From = Partner(partners, Text(map["from"])),
            To = Partner(partners, Text(map["to"])),
            MessageType = ParseEnum<MessageType>(ContractEnums.MessageType, Text(map["message_type"])),
            Category = ParseEnum<DataCategory>(ContractEnums.DataCategory, Text(map["category"])),
            Purpose = ParseEnum<Purpose>(ContractEnums.Purpose, Text(map["purpose"])),
            LegalBasis = ParseEnum<LegalBasis>(ContractEnums.LegalBasis, Text(map["basis"])),
            Justification = map.Children.TryGetValue("justification", out var justification) ? ((YamlScalarNode)justification).Value : null,
            SubjectMunicipalities = map.Children.ContainsKey("subject_municipalities") ? List(map, "subject_municipalities") : [],
            CaseConsultation = OptionalText(map, "case_consultation"),
            IsAllowed = allowed,
            Reason = reason,
            Rule = rule == "none" ? null : rule,
            Fields = fields,
            Withheld = withheld,
            RetentionDays = retention,
            ExplanationContains = List(map, "explanation_contains"),
            Alternatives = map.Children.ContainsKey("alternatives") ? List(map, "alternatives") : null,
            AlternativesInclude = map.Children.ContainsKey("alternatives_include") ? List(map, "alternatives_include") : [],
        };
    }

    private static Partner Partner(Dictionary<string, Partner> partners, string key) =>
        partners.TryGetValue(key, out var partner) ? partner : throw new InvalidDataException($"scenarios.yaml: unknown partner '{key}'.");

    private static TEnum ParseEnum<TEnum>(EnumDescriptor descriptor, string text)
        where TEnum : struct, Enum =>
        ProtoEnumNames.TryParse<TEnum>(descriptor, text, out var value)
            ? value
            : throw new InvalidDataException($"scenarios.yaml: '{text}' is not a {descriptor.Name}.");

    private static void CheckKeys(YamlMappingNode map, string[] known, string[] required, string where)
    {
        foreach (var key in map.Children.Keys.Select(Text))
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"{where}: unknown key '{key}'.");
            }
        }

        foreach (var key in required)
        {
            if (!map.Children.ContainsKey(key))
            {
                throw new InvalidDataException($"{where}: '{key}' is missing.");
            }
        }
    }

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Mapping(YamlMappingNode map, string key) => ((YamlMappingNode)map[key]).Children;

    private static string Text(YamlNode node) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw new InvalidDataException($"scenarios.yaml line {node.Start.Line}: expected a non-empty text.");

    private static string? OptionalText(YamlMappingNode map, string key) => map.Children.TryGetValue(key, out var node) ? Text(node) : null;

    private static List<string> List(YamlMappingNode map, string key) =>
        map[key] is YamlSequenceNode sequence
            ? [.. sequence.Children.Select(Text)]
            : throw new InvalidDataException($"scenarios.yaml line {map[key].Start.Line}: '{key}' must be a list.");
}

/// <summary>One row of the scenario table.</summary>
public sealed class Scenario
{
    public required string Name { get; init; }

    public required Partner From { get; init; }

    public required Partner To { get; init; }

    public required MessageType MessageType { get; init; }

    public required DataCategory Category { get; init; }

    public required Purpose Purpose { get; init; }

    public required LegalBasis LegalBasis { get; init; }

    public string? Justification { get; init; }

    public required IReadOnlyList<string> SubjectMunicipalities { get; init; }

    public string? CaseConsultation { get; init; }

    public required bool IsAllowed { get; init; }

    public required DecisionReason Reason { get; init; }

    /// <summary>The rule id the decision must name, or null for none.</summary>
    public string? Rule { get; init; }

    /// <summary>Allowed rows: the exact disclosed paths.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    public required IReadOnlyList<string> Withheld { get; init; }

    public int? RetentionDays { get; init; }

    public required IReadOnlyList<string> ExplanationContains { get; init; }

    /// <summary>The exact set of alternatives as BASIS/PURPOSE, or null when the row does not fix it.</summary>
    public IReadOnlyList<string>? Alternatives { get; init; }

    public required IReadOnlyList<string> AlternativesInclude { get; init; }

    /// <summary>The request of this row, with <paramref name="payload"/> as its message.</summary>
    public DisclosureRequest ToRequest(Google.Protobuf.IMessage? payload) => new()
    {
        Sender = From,
        Recipient = To,
        MessageType = MessageType,
        Category = Category,
        Purpose = Purpose,
        LegalBasis = LegalBasis,
        Justification = Justification,
        SubjectMunicipalities = SubjectMunicipalities,
        CaseConsultationId = CaseConsultation,
        Payload = payload,
    };

    public override string ToString() => Name;
}

/// <summary>A case consultation directory over fixed membership lists; looking up allocates nothing.</summary>
public sealed class FixedCaseConsultationDirectory(IReadOnlyDictionary<string, FrozenSet<string>> members) : ICaseConsultationDirectory
{
    public bool IsMember(string caseConsultationId, Oin partner) =>
        members.TryGetValue(caseConsultationId, out var set) && set.Contains(partner.Value);
}
