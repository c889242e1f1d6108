// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeHub.Contracts.V1;
using Google.Protobuf.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// Reads a policy file (YAML), validates every rule against the contract and the rules of the game, and
/// compiles it. Validation collects every problem with its line instead of stopping at the first, so legal
/// staff can fix a file in one pass. The format is described in the README, section "Purpose binding".
/// </summary>
public static partial class PolicyLoader
{
    /// <summary>
    /// Bases that rest on a weighty public interest (zwaarwegend algemeen belang); a rule on one of them must
    /// require a justification.
    /// </summary>
    public static readonly FrozenSet<LegalBasis> WeightyPublicInterestBases =
        new[] { LegalBasis.WpgArt182, LegalBasis.WpgArt19, LegalBasis.WpgArt20, LegalBasis.WjsgArt39F }.ToFrozenSet();

    private static readonly string[] RootKeys = ["id", "version", "description", "rules"];

    private static readonly string[] RuleKeys =
        ["id", "description", "citation", "legal_basis", "purposes", "senders", "recipients", "message_type", "categories", "fields", "conditions", "retention_days"];

    /// <summary>Loads and compiles the policy file at <paramref name="path"/>; throws <see cref="PolicyValidationException"/> when it is invalid.</summary>
    public static CompiledPolicy Load(string path)
    {
        var (policy, problems) = Check(File.ReadAllBytes(path), Path.GetFileName(path));
        return policy ?? throw new PolicyValidationException(problems);
    }

    /// <summary>Validates and, when valid, compiles a policy; returns the problems otherwise.</summary>
    public static (CompiledPolicy? Policy, IReadOnlyList<PolicyProblem> Problems) Check(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        var context = new Context(source);
        var root = ReadRoot(Encoding.UTF8.GetString(content), context);
        if (root is null)
        {
            return (null, context.Problems);
        }

        context.UnknownKeys(root, RootKeys, "policy");
        var id = context.Scalar(root, "id", "policy");
        if (id is not null && !IdPattern().IsMatch(id))
        {
            context.Add(root, "policy.id", $"'{id}' is not a valid id: use lower-case letters, digits and dashes");
        }

        var version = context.Scalar(root, "version", "policy");
        context.Scalar(root, "description", "policy");
        var rules = new List<PolicyRule>();
        if (context.Node(root, "rules", "policy") is { } rulesNode)
        {
            if (rulesNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                context.Add(rulesNode, "policy.rules", "must be a non-empty list of rules");
            }
            else
            {
                var ids = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (ReadRule(sequence.Children[i], i, context) is { } rule)
                    {
                        if (ids.TryGetValue(rule.Id, out var line))
                        {
                            context.Add(sequence.Children[i], $"rules[{i}] ({rule.Id}).id", $"the id '{rule.Id}' is already used by the rule at line {line}");
                        }
                        else
                        {
                            ids[rule.Id] = rule.Line;
                            rules.Add(rule);
                        }
                    }
                }
            }
        }

        var index = BuildIndex(rules, context);
        if (context.Problems.Count > 0 || id is null || version is null)
        {
            return (null, context.Problems);
        }

        return (new CompiledPolicy(id, version, Convert.ToHexStringLower(SHA256.HashData(content)), rules, index), []);
    }

    private static YamlMappingNode? ReadRoot(string text, Context context)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            context.Problems.Add(new PolicyProblem(context.Source, (int)ex.Start.Line, "policy", $"not valid YAML: {ex.Message}"));
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this instead of a YamlException on some broken input, e.g. a flow list
            // without its closing bracket; the line is that of the last node the parser read.
            var line = (int)(parser.Current?.Start.Line ?? 0);
            context.Problems.Add(new PolicyProblem(context.Source, line, "policy", $"not valid YAML (is a '[', '{{' or quote not closed?): {ex.Message}"));
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            context.Problems.Add(new PolicyProblem(context.Source, 0, "policy", "the file must hold one YAML document: a mapping with id, version, description and rules"));
            return null;
        }

        return root;
    }

    private static PolicyRule? ReadRule(YamlNode node, int index, Context context)
    {
        var where = $"rules[{index}]";
        if (node is not YamlMappingNode map)
        {
            context.Add(node, where, "a rule must be a mapping");
            return null;
        }

        var before = context.Problems.Count;
        var id = context.Scalar(map, "id", where);
        if (id is not null)
        {
            where = $"rules[{index}] ({id})";
            if (!IdPattern().IsMatch(id))
            {
                context.Add(map, where + ".id", $"'{id}' is not a valid id: use lower-case letters, digits and dashes");
            }
        }

        context.UnknownKeys(map, RuleKeys, where);
        var description = context.Scalar(map, "description", where);
        var citation = context.Scalar(map, "citation", where, "every rule must cite its statute article, e.g. 'Wpg art. 20 lid 1'");
        var basis = context.Enum<LegalBasis>(map, "legal_basis", where, ContractEnums.LegalBasis);
        var purposes = context.EnumList<Purpose>(map, "purposes", where, ContractEnums.Purpose);
        var senders = context.EnumList<PartnerRole>(map, "senders", where, ContractEnums.PartnerRole);
        var recipients = context.EnumList<PartnerRole>(map, "recipients", where, ContractEnums.PartnerRole);
        var messageType = context.Enum<MessageType>(map, "message_type", where, ContractEnums.MessageType);
        var categories = context.EnumList<DataCategory>(map, "categories", where, ContractEnums.DataCategory);
        var conditions = ReadConditions(map, where, context);
        var retention = ReadRetention(map, where, context);

        FieldSet? fields = null;
        MessageDescriptor? payload = null;
        if (messageType is { } type)
        {
            payload = PayloadTypes.For(type);
            if (payload is null)
            {
                context.Add(map, where + ".message_type", $"{ContractEnums.Name(type)} is not governed by its own rules: a subject access report is the privacy officer's audit right, not a disclosure between partners");
            }
        }

        var fieldPaths = context.ScalarList(map, "fields", where);
        if (payload is not null && fieldPaths is not null)
        {
            var problems = new List<string>();
            fields = FieldSet.TryCreate(payload, fieldPaths.Select(f => f.Value), problems);
            foreach (var problem in problems)
            {
                context.Add(map["fields"], where + ".fields", problem);
            }

            if (fields is not null && messageType == MessageType.CaseQuery && categories is not null)
            {
                CheckCaseViewFields(map, where, categories, fields, context);
            }
        }

        if (basis is { } b && WeightyPublicInterestBases.Contains(b) && conditions is { } c && !c.HasFlag(PolicyCondition.JustificationRequired))
        {
            context.Add(map, where + ".conditions", $"{ContractEnums.Name(b)} rests on a weighty public interest (zwaarwegend algemeen belang): the rule must list the condition justification_required");
        }

        if (context.Problems.Count > before)
        {
            return null;
        }

        return new PolicyRule
        {
            Id = id!,
            Description = description!,
            Citation = citation!,
            LegalBasis = basis!.Value,
            Purposes = purposes!.ToFrozenSet(),
            SenderRoles = senders!.ToFrozenSet(),
            RecipientRoles = recipients!.ToFrozenSet(),
            MessageType = messageType!.Value,
            Categories = categories!.ToFrozenSet(),
            Fields = fields!,
            Conditions = conditions!.Value,
            Retention = retention!.Value,
            Line = (int)map.Start.Line,
        };
    }

    /// <summary>
    /// A CASE_QUERY rule discloses items of its categories, each in its own list of the case view: every category must
    /// have a list, and every field must lie in the list of one of the rule's categories.
    /// </summary>
    private static void CheckCaseViewFields(YamlMappingNode map, string where, List<DataCategory> categories, FieldSet fields, Context context)
    {
        var lists = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            if (CaseViewLists.For(category) is { } list)
            {
                lists.Add(list);
            }
            else
            {
                context.Add(map["categories"], where + ".categories", $"{ContractEnums.Name(category)} has no list in a case view; a CASE_QUERY rule covers items of END_OF_DETENTION_NOTICE, SIGNAL, POLICE_DATA, CRIMINAL_PROCEDURE_DATA, CHILD_PROTECTION_DATA, OFFICIAL_REPORT or REINTEGRATION_DATA");
            }
        }

        foreach (var list in lists.Where(l => !CaseViewLists.In(l, fields.Paths).Any()).Order(StringComparer.Ordinal))
        {
            context.Add(map["fields"], where + ".fields", $"no field lies in the case view list '{list}' of this rule's categories, so the rule would disclose an empty item; name what the item shows, e.g. '{list}.origin'");
        }

        foreach (var path in fields.Paths.Where(p => !lists.Any(l => CaseViewLists.In(l, [p]).Any())))
        {
            context.Add(map["fields"], where + ".fields", $"field '{path}' is not in the case view list of this rule's categories ({string.Join(", ", lists.Order(StringComparer.Ordinal))}); the hub fills the rest of a case view itself");
        }
    }

    private static PolicyCondition? ReadConditions(YamlMappingNode map, string where, Context context)
    {
        var result = PolicyCondition.None;
        if (!map.Children.ContainsKey("conditions"))
        {
            return result;
        }

        var names = context.ScalarList(map, "conditions", where, allowEmpty: true);
        if (names is null)
        {
            return null;
        }

        var valid = true;
        foreach (var (name, node) in names)
        {
            if (ConditionNames.ByName.TryGetValue(name, out var condition))
            {
                result |= condition;
            }
            else
            {
                context.Add(node, where + ".conditions", $"unknown condition '{name}'; known: {string.Join(", ", ConditionNames.ByName.Keys)}");
                valid = false;
            }
        }

        return valid ? result : null;
    }

    private static TimeSpan? ReadRetention(YamlMappingNode map, string where, Context context)
    {
        var text = context.Scalar(map, "retention_days", where, "every rule must say how long what it discloses may be kept");
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 36_500)
        {
            context.Add(map["retention_days"], where + ".retention_days", $"'{text}' is not a whole number of days from 1 to 36500");
            return null;
        }

        return TimeSpan.FromDays(days);
    }

    private static FrozenDictionary<RuleKey, PolicyRule> BuildIndex(List<PolicyRule> rules, Context context)
    {
        var index = new Dictionary<RuleKey, PolicyRule>();
        foreach (var rule in rules)
        {
            var reported = false;
            foreach (var category in rule.Categories)
            {
                foreach (var purpose in rule.Purposes)
                {
                    foreach (var sender in rule.SenderRoles)
                    {
                        foreach (var recipient in rule.RecipientRoles)
                        {
                            var key = new RuleKey(rule.MessageType, category, rule.LegalBasis, purpose, sender, recipient);
                            if (!index.TryGetValue(key, out var earlier))
                            {
                                index[key] = rule;
                            }
                            else if (!reported && !earlier.AgreesWith(rule))
                            {
                                // Overlapping rules that agree are harmless (the first one is recorded); rules that
                                // disagree would make the outcome depend on their order.
                                reported = true;
                                context.Problems.Add(new PolicyProblem(context.Source, rule.Line, $"rule {rule.Id}",
                                    $"overlaps rule {earlier.Id} (line {earlier.Line}) for {ContractEnums.Name(rule.MessageType)}/{ContractEnums.Name(category)} under {ContractEnums.Name(rule.LegalBasis)} for {ContractEnums.Name(purpose)} from {ContractEnums.Name(sender)} to {ContractEnums.Name(recipient)}, and they disagree on {Disagreement(earlier, rule)}"));
                            }
                        }
                    }
                }
            }
        }

        return index.ToFrozenDictionary();
    }

    private static string Disagreement(PolicyRule a, PolicyRule b)
    {
        var parts = new List<string>();
        if (!a.Fields.Paths.SequenceEqual(b.Fields.Paths, StringComparer.Ordinal))
        {
            parts.Add("fields");
        }

        if (a.Conditions != b.Conditions)
        {
            parts.Add("conditions");
        }

        if (a.Retention != b.Retention)
        {
            parts.Add("retention");
        }

        return string.Join(", ", parts);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex IdPattern();

    /// <summary>Collects problems with their lines while reading.</summary>
    private sealed class Context(string source)
    {
        public string Source { get; } = source;

        public List<PolicyProblem> Problems { get; } = [];

        public void Add(YamlNode node, string where, string message) =>
            Problems.Add(new PolicyProblem(Source, (int)node.Start.Line, where, message));

        public void UnknownKeys(YamlMappingNode map, string[] known, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? string.Empty;
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    Add(key, where, $"unknown key '{name}'; expected one of: {string.Join(", ", known)}");
                }
            }
        }

        public YamlNode? Node(YamlMappingNode map, string key, string where, string? why = null)
        {
            if (map.Children.TryGetValue(key, out var node))
            {
                return node;
            }

            Add(map, where, $"'{key}' is missing" + (why is null ? string.Empty : $": {why}"));
            return null;
        }

        public string? Scalar(YamlMappingNode map, string key, string where, string? why = null)
        {
            if (Node(map, key, where, why) is not { } node)
            {
                return null;
            }

            if (node is not YamlScalarNode { Value: { } value } scalar || string.IsNullOrWhiteSpace(value) || IsPlainNull(scalar))
            {
                Add(node, $"{where}.{key}", "must be a non-empty text" + (why is null ? string.Empty : $": {why}"));
                return null;
            }

            return value.Trim();
        }

        /// <summary>YAML's null (<c>~</c>, <c>null</c>), which the representation model keeps as text.</summary>
        private static bool IsPlainNull(YamlScalarNode scalar) =>
            scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL";

        public List<(string Value, YamlNode Node)>? ScalarList(YamlMappingNode map, string key, string where, bool allowEmpty = false)
        {
            if (Node(map, key, where) is not { } node)
            {
                return null;
            }

            if (node is not YamlSequenceNode sequence || (!allowEmpty && sequence.Children.Count == 0))
            {
                Add(node, $"{where}.{key}", allowEmpty ? "must be a list" : "must be a non-empty list");
                return null;
            }

            var values = new List<(string, YamlNode)>();
            foreach (var item in sequence.Children)
            {
                if (item is YamlScalarNode { Value: { Length: > 0 } value })
                {
                    values.Add((value.Trim(), item));
                }
                else
                {
                    Add(item, $"{where}.{key}", "every entry must be a non-empty text");
                }
            }

            return values.Count == sequence.Children.Count ? values : null;
        }

        public TEnum? Enum<TEnum>(YamlMappingNode map, string key, string where, EnumDescriptor descriptor)
            where TEnum : struct, System.Enum
        {
            var text = Scalar(map, key, where);
            if (text is null)
            {
                return null;
            }

            if (ProtoEnumNames.TryParse<TEnum>(descriptor, text, out var value))
            {
                return value;
            }

            Add(map[key], $"{where}.{key}", $"'{text}' is not a {descriptor.Name}; expected one of: {string.Join(", ", ProtoEnumNames.ShortNames(descriptor))}");
            return null;
        }

        public List<TEnum>? EnumList<TEnum>(YamlMappingNode map, string key, string where, EnumDescriptor descriptor)
            where TEnum : struct, System.Enum
        {
            var items = ScalarList(map, key, where);
            if (items is null)
            {
                return null;
            }

            var values = new List<TEnum>();
            foreach (var (text, node) in items)
            {
                if (ProtoEnumNames.TryParse<TEnum>(descriptor, text, out var value))
                {
                    values.Add(value);
                }
                else
                {
                    Add(node, $"{where}.{key}", $"'{text}' is not a {descriptor.Name}; expected one of: {string.Join(", ", ProtoEnumNames.ShortNames(descriptor))}");
                }
            }

            return values.Count == items.Count ? values : null;
        }
    }
}
