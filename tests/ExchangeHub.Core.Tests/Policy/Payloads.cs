// This file is part of ExchangeHub.

using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Tests.Policy;

/// <summary>
/// Builds contract messages with every field set, and checks minimised copies against a list of paths, both by
/// walking the descriptors, so a field added to the contract is covered without touching the tests.
/// </summary>
public static class Payloads
{
    private const int MaxDepth = 8;

    /// <summary>
    /// A message of <paramref name="descriptor"/> with every field set to a non-default value, recursively:
    /// repeated fields get two elements, and each oneof gets its first member. Deterministic.
    /// </summary>
    public static IMessage Full(MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Full(descriptor, 0);
    }

    /// <summary>Whether <paramref name="field"/> holds a value in <paramref name="message"/>.</summary>
    public static bool IsSet(IMessage message, FieldDescriptor field)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(field);
        var value = field.Accessor.GetValue(message);
        if (field.IsRepeated || field.IsMap)
        {
            return ((ICollection)value).Count > 0;
        }

        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        return value switch
        {
            string s => s.Length > 0,
            ByteString b => !b.IsEmpty,
            bool b => b,
            Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) != 0,
            _ => !value.Equals(Activator.CreateInstance(value.GetType())),
        };
    }

    /// <summary>
    /// Asserts that every field of <paramref name="original"/> is set (each real oneof: one member), recursively,
    /// so that a minimisation test on it cannot pass because a field was empty to begin with.
    /// </summary>
    public static void AssertEveryFieldSet(IMessage original, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(original);
        foreach (var oneof in original.Descriptor.Oneofs.Where(o => !o.IsSynthetic))
        {
            Assert.True(oneof.Accessor.GetCaseFieldDescriptor(original) is not null, $"{prefix}{oneof.Name}: no member of the oneof is set");
        }

        foreach (var field in original.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            if (field.RealContainingOneof is not null)
            {
                continue;
            }

            Assert.True(IsSet(original, field), $"{path} is not set in the full message");
            if (field.FieldType == FieldType.Message)
            {
                foreach (var nested in Messages(original, field))
                {
                    AssertEveryFieldSet(nested, path + ".");
                }
            }
        }
    }

    /// <summary>
    /// Asserts that <paramref name="disclosed"/> holds exactly the parts of <paramref name="original"/> that
    /// <paramref name="allowed"/> names: a field on an allowed path (or below one) is equal to the original, a
    /// field on the way to an allowed path is checked inside (in every element when repeated), and every other
    /// field is cleared.
    /// </summary>
    public static void AssertMinimised(IMessage original, IMessage disclosed, IReadOnlyCollection<string> allowed, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(disclosed);
        ArgumentNullException.ThrowIfNull(allowed);
        Assert.Equal(original.Descriptor.FullName, disclosed.Descriptor.FullName);
        foreach (var field in original.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var whole = allowed.Any(p => p == path || path.StartsWith(p + ".", StringComparison.Ordinal));
            var inside = !whole && allowed.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal));
            if (whole)
            {
                Assert.True(Equals(field.Accessor.GetValue(original), field.Accessor.GetValue(disclosed)), $"{path} is allowed but was changed");
            }
            else if (inside)
            {
                var originals = Messages(original, field);
                var discloseds = Messages(disclosed, field);
                Assert.True(originals.Count == discloseds.Count, $"{path}: {originals.Count} element(s) in the original, {discloseds.Count} disclosed");
                for (var i = 0; i < originals.Count; i++)
                {
                    AssertMinimised(originals[i], discloseds[i], allowed, path + ".");
                }
            }
            else
            {
                Assert.False(IsSet(disclosed, field), $"{path} is not allowed but was disclosed");
            }
        }
    }

    /// <summary>The message at <paramref name="path"/> (through singular message fields), and the last field.</summary>
    public static (IMessage Message, FieldDescriptor Field) Resolve(IMessage root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var message = root;
        var names = path.Split('.');
        for (var i = 0; ; i++)
        {
            var field = message.Descriptor.FindFieldByName(names[i]) ?? throw new ArgumentException($"{message.Descriptor.FullName} has no field '{names[i]}' (path {path}).", nameof(path));
            if (i == names.Length - 1)
            {
                return (message, field);
            }

            message = field.Accessor.GetValue(message) as IMessage ?? throw new ArgumentException($"'{names[i]}' in {path} is not set or not a singular message.", nameof(path));
        }
    }

    private static List<IMessage> Messages(IMessage message, FieldDescriptor field)
    {
        var value = field.Accessor.GetValue(message);
        return field.IsRepeated ? [.. ((IEnumerable)value).Cast<IMessage>()] : value is IMessage single ? [single] : [];
    }

    private static IMessage Full(MessageDescriptor descriptor, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"{descriptor.FullName} nests deeper than {MaxDepth} levels.");
        }

        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.RealContainingOneof is { } oneof && oneof.Accessor.GetCaseFieldDescriptor(message) is not null)
            {
                continue;
            }

            if (field.IsMap)
            {
                throw new NotSupportedException($"{field.FullName}: map fields are not in the contract.");
            }

            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                list.Add(Value(field, 1, depth));
                list.Add(Value(field, 2, depth));
            }
            else
            {
                field.Accessor.SetValue(message, Value(field, 1, depth));
            }
        }

        return message;
    }

    private static object Value(FieldDescriptor field, int n, int depth) => field.FieldType switch
    {
        FieldType.String => $"{field.Name}-{n}",
        FieldType.Bytes => ByteString.CopyFromUtf8($"{field.Name}-{n}"),
        FieldType.Bool => true,
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, field.EnumType.Values.Where(v => v.Number != 0).ElementAt(n - 1).Number),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => n,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => (long)n,
        FieldType.UInt32 or FieldType.Fixed32 => (uint)n,
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)n,
        FieldType.Double => (double)n,
        FieldType.Float => (float)n,
        FieldType.Message => Full(field.MessageType, depth + 1),
        _ => throw new NotSupportedException($"{field.FullName}: field type {field.FieldType}."),
    };
}
