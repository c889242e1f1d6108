// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using ExchangeHub.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Tests.Support.Ledger;

/// <summary>
/// Reads a disclosure export in CSV back, written from the RFC 4180 grammar and the contract's ExportFormat comment
/// rather than from the hub's writer, so that a round trip tests the writer against the specification.
/// </summary>
public static class DisclosureCsv
{
    /// <summary>Parses RFC 4180 text (CRLF records, quoted fields with doubled quotes) into rows of cells.</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && cell.Length == 0)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("unterminated quoted field");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(text[i++]);
                }

                if (i < text.Length && text[i] is not (',' or '\r'))
                {
                    throw new FormatException($"text after a closing quote at {i}");
                }
            }
            else if (text[i] == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
                i++;
            }
            else if (text[i] == '\r')
            {
                if (i + 1 >= text.Length || text[i + 1] != '\n')
                {
                    throw new FormatException($"a bare CR at {i}; records end in CRLF");
                }

                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i += 2;
            }
            else if (text[i] is '\n' or '"')
            {
                throw new FormatException($"'{text[i]}' at {i} outside a quoted field");
            }
            else
            {
                cell.Append(text[i++]);
            }
        }

        if (row.Count > 0 || cell.Length > 0)
        {
            throw new FormatException("the last record does not end in CRLF");
        }

        return rows;
    }

    /// <summary>Builds the record a CSV row describes, by the header's column names.</summary>
    public static DisclosureRecord ToRecord(IReadOnlyList<string> header, IReadOnlyList<string> row)
    {
        var record = new DisclosureRecord();
        for (var c = 0; c < header.Count; c++)
        {
            var field = DisclosureRecord.Descriptor.FindFieldByName(header[c]) ?? throw new FormatException($"unknown column {header[c]}");
            if (row[c].Length == 0)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(record);
                foreach (var value in row[c].Split('|'))
                {
                    list.Add(Value(field, value));
                }
            }
            else
            {
                field.Accessor.SetValue(record, Value(field, row[c]));
            }
        }

        return record;
    }

    private static object Value(FieldDescriptor field, string text) => field.FieldType switch
    {
        FieldType.UInt64 => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture),
        FieldType.String => text,
        FieldType.Bytes => ByteString.CopyFrom(Convert.FromHexString(text)),
        FieldType.Enum => field.EnumType.FindValueByName(text)?.Number ?? throw new FormatException($"{text} is not a {field.EnumType.Name}"),
        FieldType.Message when field.MessageType == PartnerId.Descriptor => new PartnerId { Oin = text },
        FieldType.Message when field.MessageType == Timestamp.Descriptor => ParseTimestamp(text),
        _ => throw new FormatException($"column {field.Name} has a type this reader does not know"),
    };

    // RFC 3339 in UTC with up to nine fraction digits.
    private static Timestamp ParseTimestamp(string text)
    {
        if (!text.EndsWith('Z'))
        {
            throw new FormatException($"{text} is not in UTC");
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = DateTimeOffset.ParseExact(dot < 0 ? text[..^1] : text[..dot], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var nanos = dot < 0 ? 0 : int.Parse(text[(dot + 1)..^1].PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        return new Timestamp { Seconds = whole.ToUnixTimeSeconds(), Nanos = nanos };
    }
}
