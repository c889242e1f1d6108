// This file is part of ExchangeHub.

using System.Collections;
using System.Collections.Concurrent;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Subjects;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Validation;

/// <summary>
/// Checks a request against the rules the v1 contract states in its descriptors, so that no service can
/// forget one: fields marked <c>(exchangehub.v1.required)</c> are set, no enum anywhere carries its
/// <c>_UNSPECIFIED</c> zero or a number the contract does not define (fail closed on values from a newer
/// contract), a oneof whose members are all required has one set, and the common value types hold valid
/// values (a field named <c>bsn</c> passes the eleven-test, <c>oin</c> is an OIN; pseudonyms, municipality
/// codes and timestamps have their documented form).
/// </summary>
public static class ContractValidator
{
    private const int MaxDepth = 32;
    private static readonly ConcurrentDictionary<MessageDescriptor, bool[]> RequiredByField = new();
    private static readonly System.Buffers.SearchValues<char> LowercaseHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Returns every violation in <paramref name="message"/>; empty when it is valid.</summary>
    public static IReadOnlyList<FieldViolation> Validate(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var violations = new List<FieldViolation>();
        Walk(message, string.Empty, violations, 0);
        return violations;
    }

    private static void Walk(IMessage message, string prefix, List<FieldViolation> violations, int depth)
    {
        if (depth > MaxDepth)
        {
            violations.Add(new(prefix.TrimEnd('.'), $"nesting deeper than {MaxDepth} levels is not accepted"));
            return;
        }

        var descriptor = message.Descriptor;
        var required = RequiredByField.GetOrAdd(descriptor, static d => [.. d.Fields.InDeclarationOrder().Select(IsRequired)]);
        var fields = descriptor.Fields.InDeclarationOrder();
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var path = prefix + field.Name;
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)field.Accessor.GetValue(message))
                {
                    CheckValue(field.MessageType.FindFieldByNumber(2), entry.Value, $"{path}[{entry.Key}]", violations, depth);
                }

                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                if (required[i] && list.Count == 0)
                {
                    violations.Add(new(path, "at least one value is required"));
                }

                for (var j = 0; j < list.Count; j++)
                {
                    CheckValue(field, list[j], $"{path}[{j}]", violations, depth);
                }

                continue;
            }

            if (!IsPresent(field, message))
            {
                // An unset member of a oneof is judged by the oneof rule below; an unset proto3 optional is allowed.
                if (required[i] && field.RealContainingOneof is null)
                {
                    violations.Add(new(path, "is required"));
                }

                continue;
            }

            if (required[i] && IsEmptyScalar(field, message))
            {
                violations.Add(new(path, "is required"));
                continue;
            }

            CheckValue(field, field.Accessor.GetValue(message), path, violations, depth);
        }

        foreach (var oneof in descriptor.RealOneofCount > 0 ? descriptor.Oneofs.Take(descriptor.RealOneofCount) : [])
        {
            if (oneof.Accessor.GetCaseFieldDescriptor(message) is null && oneof.Fields.All(IsRequired))
            {
                violations.Add(new(prefix + oneof.Name, $"exactly one of {string.Join(", ", oneof.Fields.Select(f => f.Name))} is required"));
            }
        }

        CheckWellKnownValue(message, prefix, violations);
    }

    private static void CheckValue(FieldDescriptor field, object? value, string path, List<FieldViolation> violations, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.Enum:
                var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                if (number == 0)
                {
                    violations.Add(new(path, $"{field.EnumType.Values[0].Name} is not a value; choose one of the defined {field.EnumType.Name} values"));
                }
                else if (field.EnumType.FindValueByNumber(number) is null)
                {
                    violations.Add(new(path, $"{number} is not a {field.EnumType.Name} value this hub knows"));
                }

                break;
            case FieldType.Message when value is IMessage nested:
                Walk(nested, path + ".", violations, depth + 1);
                break;
            case FieldType.String when value is string { Length: > 0 } text && CheckString(field, text) is { } problem:
                violations.Add(new(path, problem));
                break;
        }
    }

    private static void CheckWellKnownValue(IMessage message, string prefix, List<FieldViolation> violations)
    {
        if (message is Timestamp timestamp && !IsValidTimestamp(timestamp))
        {
            violations.Add(new(prefix.TrimEnd('.'), "is not a valid timestamp (0001-01-01 to 9999-12-31, nanos 0 to 999999999)"));
        }
    }

    /// <summary>
    /// Format rules for string fields, by field name wherever it appears (a field named <c>bsn</c> is always a
    /// BSN) or by message and field where the name alone is ambiguous.
    /// </summary>
    private static string? CheckString(FieldDescriptor field, string value) => (field.ContainingType.FullName, field.Name) switch
    {
        (_, "bsn") => Bsn.TryParse(value, out _, out var problem) ? null : problem,
        (_, "oin") => Oin.TryParse(value, out _, out var problem) ? null : problem,
        (_, "subject_pseudonym") => IsHubPseudonym(value) ? null : "the hub's subject pseudonym is 64 lowercase hexadecimal characters",
        ("exchangehub.v1.SubjectReference", "pseudonym") => Pseudonyms.IsValid(value) ? null : "a pseudonym has 16 to 128 characters from A-Z, a-z, 0-9, '-' and '_'",
        ("exchangehub.v1.MunicipalityCode", "code") => MunicipalityCodes.IsValid(value) ? null : "a municipality code is 'GM' and four digits (CBS gemeentecode), e.g. GM0599",
        _ => null,
    };

    private static bool IsHubPseudonym(string value) =>
        value.Length == 64 && !value.AsSpan().ContainsAnyExcept(LowercaseHex);

    private static bool IsRequired(FieldDescriptor field) =>
        field.GetOptions()?.GetExtension(CommonExtensions.Required) ?? false;

    private static bool IsPresent(FieldDescriptor field, IMessage message)
    {
        if (field.RealContainingOneof is { } oneof)
        {
            return oneof.Accessor.GetCaseFieldDescriptor(message) == field;
        }

        return !field.HasPresence || field.Accessor.HasValue(message);
    }

    private static bool IsEmptyScalar(FieldDescriptor field, IMessage message) => field.FieldType switch
    {
        FieldType.String => string.IsNullOrEmpty((string)field.Accessor.GetValue(message)),
        FieldType.Bytes => ((ByteString)field.Accessor.GetValue(message)).IsEmpty,
        _ => false,
    };

    private static bool IsValidTimestamp(Timestamp timestamp) =>
        timestamp.Seconds is >= -62_135_596_800 and <= 253_402_300_799 && timestamp.Nanos is >= 0 and <= 999_999_999;

    private static string Join(string at, string name) => at.Length == 0 ? name : $"{at}.{name}";
}
