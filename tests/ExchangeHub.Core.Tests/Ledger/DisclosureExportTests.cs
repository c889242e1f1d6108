// This file is part of ExchangeHub.

using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Ledger;
using Google.Protobuf;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>The export file formats, written from the seeded audit log and read back by an independent reader.</summary>
public sealed class DisclosureExportTests : IAsyncLifetime
{
    private LedgerTestData _data = null!;
    private List<DisclosureRecord> _records = null!;

    public async Task InitializeAsync()
    {
        _data = await LedgerTestData.CreateAsync();
        await _data.Writer.AppendAsync((log, _) => Task.FromResult(SampleDisclosures.AuditLog("export", new string('a', 64), new string('b', 64)).Select(log.Append).ToList()));
        _records = await new DisclosureSearch(_data.Database).ReadAsync(DisclosureQuery.All, 9).ToListAsync();
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task WriteAsync_Csv_HeaderThenOneRowPerRecord_RoundTrips()
    {
        var (count, bytes) = await ExportAsync(ExportFormat.Csv);

        var text = Encoding.UTF8.GetString(bytes);
        var rows = DisclosureCsv.Parse(text);
        Assert.Equal(7, count);
        Assert.Equal((byte)'s', bytes[0]); // no byte order mark
        Assert.Equal(
            "sequence,recorded_at,sender,sender_role,recipient,recipient_role,data_providers,category,message_type,message_id,delivery_id,purpose,legal_basis,justification,policy_id,policy_version,rule_id,decision,reason,disclosed_fields,payload_sha256,correlation_id,idempotency_key,subject_pseudonym,justification_sha256",
            string.Join(',', rows[0]));
        Assert.Equal(8, rows.Count);
        Assert.Equal(_records, rows.Skip(1).Select(row => DisclosureCsv.ToRecord(rows[0], row)));
    }

    [Fact]
    public async Task WriteAsync_Csv_CellsAsTheContractSays()
    {
        var (_, bytes) = await ExportAsync(ExportFormat.Csv);

        var rows = DisclosureCsv.Parse(Encoding.UTF8.GetString(bytes));
        var header = rows[0];
        var signal = rows.Single(r => r[header.IndexOf("message_id")] == "export-3");
        var caseQuery = rows.Single(r => r[header.IndexOf("message_id")] == "export-5");
        var alarm = rows.Single(r => r[header.IndexOf("message_id")] == "export-6");
        string Cell(List<string> row, string column) => row[header.IndexOf(column)];

        Assert.Equal("3", Cell(signal, "sequence"));
        Assert.Equal("2026-10-31T23:59:59.999999999Z", Cell(signal, "recorded_at"));
        Assert.Equal(SampleDisclosures.PoliceOin, Cell(signal, "sender"));
        Assert.Equal("LEGAL_BASIS_WPG_ART_20", Cell(signal, "legal_basis"));
        Assert.Equal("DISCLOSURE_DECISION_DENIED", Cell(signal, "decision"));
        Assert.Equal("Record 3: \"Denied\", by rule-3,\r\nsee the policy.", Cell(signal, "reason"));
        Assert.Equal("", Cell(signal, "payload_sha256"));
        Assert.Equal(SampleDisclosures.PoliceOin, Cell(caseQuery, "data_providers"));
        Assert.Equal("subject|details.summary", Cell(caseQuery, "disclosed_fields"));
        Assert.Equal("050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7de", Cell(caseQuery, "payload_sha256"));
        Assert.Equal("2026-11-15T10:30:00Z", Cell(caseQuery, "recorded_at"));
        Assert.Equal(["", "", "", ""], new[] { Cell(alarm, "sender"), Cell(alarm, "legal_basis"), Cell(alarm, "purpose"), Cell(alarm, "subject_pseudonym") });
        Assert.Contains(",\"Record 3: \"\"Denied\"\", by rule-3,\r\nsee the policy.\",", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_JsonLines_OneCanonicalJsonRecordPerLine_RoundTrips()
    {
        var (count, bytes) = await ExportAsync(ExportFormat.JsonLines);

        var text = Encoding.UTF8.GetString(bytes);
        Assert.Equal(7, count);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(_records, lines.Select(JsonParser.Default.Parse<DisclosureRecord>));
        Assert.StartsWith("{ \"recordedAt\": \"2026-10-05T09:00:00Z\", \"sender\": { \"oin\": \"00000001800000001000\" }", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExportFormat.Csv, 1)]
    [InlineData(ExportFormat.JsonLines, 0)]
    public async Task WriteAsync_NoRecords_HeaderOnlyOrEmpty(ExportFormat format, int lines)
    {
        using var stream = new MemoryStream();

        var count = await DisclosureExport.WriteAsync(AsyncEnumerable.Empty<DisclosureRecord>(), format, stream, CancellationToken.None);

        Assert.Equal(0, count);
        Assert.Equal(lines, Encoding.UTF8.GetString(stream.ToArray()).Count(c => c == '\n'));
    }

    private async Task<(long Count, byte[] Bytes)> ExportAsync(ExportFormat format)
    {
        using var stream = new MemoryStream();
        var count = await DisclosureExport.WriteAsync(_records.ToAsyncEnumerable(), format, stream, CancellationToken.None);
        return (count, stream.ToArray());
    }
}
