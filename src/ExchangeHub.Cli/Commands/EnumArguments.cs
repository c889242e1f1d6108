// This file is part of ExchangeHub.

using ExchangeHub.Core.Policy;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Cli.Commands;

/// <summary>Contract enum values on the command line, by their short proto names (e.g. PERSON_CENTRED_APPROACH).</summary>
internal static class EnumArguments
{
    /// <summary>Parses <paramref name="text"/> (any case), or says which values <paramref name="option"/> takes.</summary>
    public static TEnum Parse<TEnum>(EnumDescriptor descriptor, string text, string option)
        where TEnum : struct, Enum =>
        ProtoEnumNames.TryParse<TEnum>(descriptor, text.ToUpperInvariant(), out var value)
            ? value
            : throw new CommandLineException($"{option} '{text}' is not a {descriptor.Name}; expected one of: {string.Join(", ", ProtoEnumNames.ShortNames(descriptor))}");
}
