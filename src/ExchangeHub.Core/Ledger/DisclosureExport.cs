// This file is part of ExchangeHub.

using System.Collections;
using System.Text;
using ExchangeHub.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Writes disclosure records as a file a privacy officer can take elsewhere, in the formats of the contract's
/// <see cref="ExportFormat"/> (whose comment is the specification):
/// <list type="bullet">
/// <item>CSV (RFC 4180, UTF-8 without BOM, CRLF): a header row of the <see cref="DisclosureRecord"/> field names in
/// field-number order (<see cref="CsvColumns"/>), then one row per record. A partner is its OIN, an enum its full
/// value name, a timestamp RFC 3339 UTC as in the proto3 JSON mapping, bytes lowercase hex, a repeated field its
/// values joined with <c>|</c>, an unset value an empty cell.</item>
/// <item>JSON Lines: one record per line in the canonical proto3 JSON mapping, each line ending in LF.</item>
/// </list>
/// The columns come from the record's descriptor, so a field added to the contract appears in the export without
/// a change here. Records are written as they are read; the destination decides how they travel (a gRPC stream in
/// chunks, an HTTP response body, a file).
/// </summary>
public static class DisclosureExport
{
    /// <summary>The largest chunk the audit API sends: 64 KiB.</summary>
    public const int MaxChunkSize = 64 * 1024;

    /// <summary>The separator of the values of a repeated field in a CSV cell.</summary>
    public const char CsvListSeparator = '|';

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly FieldDescriptor[] Fields = [.. DisclosureRecord.Descriptor.Fields.InFieldNumberOrder()];

    /// <summary>The CSV header: every field of <see cref="DisclosureRecord"/> by proto name, in field-number order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = [.. Fields.Select(f => f.Name)];

    /// <summary>
    /// Writes <paramref name="records"/> to <paramref name="destination"/> in <paramref name="format"/> and returns
    /// how many were written. The destination is flushed, not closed.
    /// </summary>
    public static async Task<long> WriteAsync(IAsyncEnumerable<DisclosureRecord> records, ExportFormat format, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(destination);
        if (format is not (ExportFormat.Csv or ExportFormat.JsonLines))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Not an export format.");
        }

        var count = 0L;
        await using var writer = new StreamWriter(destination, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
        if (format == ExportFormat.Csv)
        {
            await writer.WriteAsync(CsvRow(CsvColumns).AsMemory(), cancellationToken);
        }

        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            var line = format == ExportFormat.Csv ? CsvRow(Fields.Select(f => Cell(f, record))) : JsonFormatter.Default.Format(record) + "\n";
            await writer.WriteAsync(line.AsMemory(), cancellationToken);
            count++;
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>One CSV line (RFC 4180 section 2), ending in CRLF.</summary>
    public static string CsvRow(IEnumerable<string> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return string.Join(",", cells.Select(Quote)) + "\r\n";
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static string Cell(FieldDescriptor field, DisclosureRecord record)
    {
        var value = field.Accessor.GetValue(record);
        return field.IsRepeated
            ? string.Join(CsvListSeparator, ((IList)value).Cast<object>().Select(v => Value(field, v)))
            : Value(field, value);
    }

    private static string Value(FieldDescriptor field, object? value) => value switch
    {
        null => string.Empty,
        PartnerId partner => partner.Oin,
        Timestamp timestamp => JsonFormatter.Default.Format(timestamp).Trim('"'),
        ByteString bytes => Convert.ToHexStringLower(bytes.Span),
        string text => text,
        ulong number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when field.FieldType == FieldType.Enum => EnumName(field, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"DisclosureRecord.{field.Name} has a type the CSV export does not know; extend DisclosureExport."),
    };

    // 0 is "unspecified", an unset value: an empty cell. An unknown number (a newer contract) is written as the number.
    private static string EnumName(FieldDescriptor field, int number) => number == 0
        ? string.Empty
        : field.EnumType.FindValueByNumber(number)?.Name ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
