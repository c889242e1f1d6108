// This file is part of ExchangeHub.

using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// The fields of a contract message that a rule lets through, as paths of proto field names
/// (<c>subject</c>, <c>institution.name</c>). A path names the field and everything inside it. Built from the
/// contract's descriptors, so a path that the contract does not have cannot exist here; applied by
/// <see cref="Apply"/>, which returns a copy with every other field cleared.
/// </summary>
public sealed class FieldSet
{
    private static readonly ConcurrentDictionary<MessageDescriptor, HashSet<string>> ReservedNames = new();
    private readonly FrozenDictionary<int, FieldSet?> _allowed;

    private FieldSet(MessageDescriptor descriptor, FrozenDictionary<int, FieldSet?> allowed, IReadOnlyList<string> paths)
    {
        Descriptor = descriptor;
        _allowed = allowed;
        Paths = paths;
    }

    /// <summary>The message the paths are relative to.</summary>
    public MessageDescriptor Descriptor { get; }

    /// <summary>The allowed paths, sorted, without paths that a shorter one already covers.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// Builds the set, or lists every path that is not a field of <paramref name="descriptor"/>, names a field the
    /// contract reserves (never to be disclosed), or descends into a field that is not a message.
    /// </summary>
    public static FieldSet? TryCreate(MessageDescriptor descriptor, IEnumerable<string> paths, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(problems);
        var tree = new Node();
        var before = problems.Count;
        foreach (var path in paths)
        {
            AddPath(descriptor, tree, path, problems);
        }

        return problems.Count > before ? null : Freeze(descriptor, tree, string.Empty);
    }

    /// <summary>Whether <paramref name="path"/> (a field path) lies inside the set.</summary>
    public bool Covers(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var set = this;
        foreach (var name in path.Split('.'))
        {
            var field = set.Descriptor.FindFieldByName(name);
            if (field is null || !set._allowed.TryGetValue(field.FieldNumber, out var child))
            {
                return false;
            }

            if (child is null)
            {
                return true;
            }

            set = child;
        }

        return false; // the path names a message of which only some fields are allowed
    }

    /// <summary>A copy of <paramref name="message"/> with every field outside the set cleared.</summary>
    public IMessage Apply(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Descriptor != Descriptor)
        {
            throw new ArgumentException($"This field set is for {Descriptor.FullName}, not {message.Descriptor.FullName}.", nameof(message));
        }

        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        Strip(copy, this);
        return copy;
    }

    private static void Strip(IMessage message, FieldSet set)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (!set._allowed.TryGetValue(field.FieldNumber, out var child))
            {
                field.Accessor.Clear(message);
                continue;
            }

            if (child is null)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                foreach (IMessage element in (IList)field.Accessor.GetValue(message))
                {
                    Strip(element, child);
                }
            }
            else if (field.Accessor.GetValue(message) is IMessage nested)
            {
                Strip(nested, child);
            }
        }
    }

    private static void AddPath(MessageDescriptor root, Node tree, string path, List<string> problems)
    {
        var descriptor = root;
        var node = tree;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var name = segments[i];
            if (IsReserved(descriptor, name))
            {
                problems.Add($"field '{path}': '{name}' is reserved in {descriptor.FullName} and can never be disclosed");
                return;
            }

            var field = descriptor.FindFieldByName(name);
            if (field is null)
            {
                problems.Add($"field '{path}': {descriptor.FullName} has no field '{name}' (it has: {string.Join(", ", descriptor.Fields.InDeclarationOrder().Select(f => f.Name))})");
                return;
            }

            var last = i == segments.Length - 1;
            if (!last && (field.FieldType != FieldType.Message || field.IsMap))
            {
                problems.Add($"field '{path}': '{name}' in {descriptor.FullName} is not a message, so it has no field '{segments[i + 1]}'");
                return;
            }

            // When a shorter path already allows all of it, the rest of the path is still checked, but not recorded.
            if (!node.Whole)
            {
                if (!node.Children.TryGetValue(field.FieldNumber, out var child))
                {
                    child = new Node();
                    node.Children[field.FieldNumber] = child;
                }

                if (last)
                {
                    child.Whole = true;
                    child.Children.Clear();
                }

                node = child;
            }

            if (!last)
            {
                descriptor = field.MessageType;
            }
        }
    }

    private static bool IsReserved(MessageDescriptor descriptor, string name) =>
        ReservedNames.GetOrAdd(descriptor, static d => [.. d.ToProto().ReservedName]).Contains(name);

    private static FieldSet Freeze(MessageDescriptor descriptor, Node node, string prefix)
    {
        var allowed = new Dictionary<int, FieldSet?>();
        var paths = new List<string>();
        foreach (var (number, child) in node.Children)
        {
            var field = descriptor.FindFieldByNumber(number);
            var path = prefix + field.Name;
            if (child.Whole)
            {
                allowed[number] = null;
                paths.Add(path);
            }
            else
            {
                var nested = Freeze(field.MessageType, child, path + ".");
                allowed[number] = nested;
                paths.AddRange(nested.Paths);
            }
        }

        paths.Sort(StringComparer.Ordinal);
        return new FieldSet(descriptor, allowed.ToFrozenDictionary(), paths);
    }

    private sealed class Node
    {
        public bool Whole { get; set; }

        public Dictionary<int, Node> Children { get; } = [];
    }
}
