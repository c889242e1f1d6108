// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Core.Access;

/// <summary>
/// The purposes a request states in its grounds: every <see cref="ProcessingGrounds"/> field at the top level of the
/// request, single or repeated. Read from the descriptor, so that a new request type with grounds is covered
/// without anyone remembering to add it here.
/// </summary>
public static class RequestPurposes
{
    /// <summary>The distinct purposes stated in <paramref name="request"/>, in order of appearance.</summary>
    public static IReadOnlyList<Purpose> Of(IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<Purpose>? purposes = null;
        foreach (var field in request.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message || field.MessageType != ProcessingGrounds.Descriptor)
            {
                continue;
            }

            var value = field.Accessor.GetValue(request);
            if (field.IsRepeated)
            {
                foreach (var grounds in (System.Collections.IEnumerable)value)
                {
                    Add(ref purposes, ((ProcessingGrounds)grounds).Purpose);
                }
            }
            else if (value is ProcessingGrounds grounds)
            {
                Add(ref purposes, grounds.Purpose);
            }
        }

        return purposes ?? (IReadOnlyList<Purpose>)[];
    }

    private static void Add(ref List<Purpose>? purposes, Purpose purpose)
    {
        purposes ??= [];
        if (!purposes.Contains(purpose))
        {
            purposes.Add(purpose);
        }
    }
}
