// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Telemetry;

namespace ExchangeHub.Core.Tests.Ledger;

/// <summary>The disclosure log's instruments: what they count, and that they count only what became durable.</summary>
public sealed class LedgerMetricsTests
{
    [Fact]
    public async Task AppendAsync_ConcurrentCallers_CountsEveryEntryDecisionAndGroupCommit()
    {
        await using var data = await LedgerTestData.CreateAsync();
        using var appends = new InstrumentRecorder<long>(data.Meters, HubTelemetry.MeterName, "exchangehub.log.appends");
        using var decisions = new InstrumentRecorder<long>(data.Meters, HubTelemetry.MeterName, "exchangehub.decisions");
        using var batches = new InstrumentRecorder<int>(data.Meters, HubTelemetry.MeterName, "exchangehub.log.batch.size");
        const int Callers = 120;

        await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() => data.Writer.AppendAsync(
            (log, _) => Task.FromResult(log.Append(i % 4 == 0 ? Denied($"m-{i}") : LedgerTestData.Disclosure($"m-{i}")))))));

        Assert.Equal(Callers, appends.Measurements.Sum(m => m.Value));
        Assert.All(appends.Measurements, m => Assert.Equal("disclosure", m.Tags["entry"]));

        var allowed = decisions.Measurements.Where(m => Equals(m.Tags["outcome"], "ALLOWED")).ToList();
        var denied = decisions.Measurements.Where(m => Equals(m.Tags["outcome"], "DENIED")).ToList();
        Assert.Equal(Callers - (Callers / 4), allowed.Sum(m => m.Value));
        Assert.Equal(Callers / 4, denied.Sum(m => m.Value));
        Assert.All(allowed, m =>
        {
            Assert.Equal("AVG_ART_6_1_E", m.Tags["legal_basis"]);
            Assert.Equal("RELEASE_PREPARATION", m.Tags["purpose"]);
            Assert.Equal("END_OF_DETENTION_NOTICE", m.Tags["message_type"]);
            Assert.False(m.Tags.ContainsKey("reason"));
        });
        Assert.All(denied, m => Assert.Equal("EH3007", m.Tags["reason"]));

        // One measurement per group commit; together they carried every append.
        var commits = batches.Measurements;
        Assert.Equal(data.Writer.CommitCount, commits.Count);
        Assert.Equal(Callers, commits.Sum(m => m.Value));
        Assert.True(commits.Count < Callers, $"{commits.Count} commits for {Callers} callers: no group commit");
    }

    [Fact]
    public async Task AppendAsync_WorkThrows_ItsEntriesAreNotCounted()
    {
        await using var data = await LedgerTestData.CreateAsync();
        using var appends = new InstrumentRecorder<long>(data.Meters, HubTelemetry.MeterName, "exchangehub.log.appends");
        using var decisions = new InstrumentRecorder<long>(data.Meters, HubTelemetry.MeterName, "exchangehub.decisions");

        await data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure("kept"))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => data.Writer.AppendAsync<ulong>((log, _) =>
        {
            log.Append(LedgerTestData.Disclosure("rolled-back"));
            throw new InvalidOperationException("the caller's own failure");
        }));

        Assert.Equal(1, appends.Measurements.Sum(m => m.Value));
        Assert.Equal(1, decisions.Measurements.Sum(m => m.Value));
    }

    [Fact]
    public async Task LogSize_AfterAppends_IsTheCommittedTreeSize()
    {
        await using var data = await LedgerTestData.CreateAsync();
        using var size = new InstrumentRecorder<long>(data.Meters, HubTelemetry.MeterName, "exchangehub.log.size");
        for (var i = 0; i < 5; i++)
        {
            await data.Writer.AppendAsync((log, _) => Task.FromResult(log.Append(LedgerTestData.Disclosure($"m-{i}"))));
        }

        size.RecordObservableInstruments();

        Assert.Equal(5, Assert.Single(size.Measurements).Value);
    }

    // A denial as the hub records it: the reason starts with its stable id, then names partners and fields.
    private static LogEntry Denied(string messageId)
    {
        var entry = LedgerTestData.Disclosure(messageId);
        entry.Disclosure.Decision = DisclosureDecision.Denied;
        entry.Disclosure.Reason = "EH3007: Gemeente Rotterdam (00000001800000005000) is not the municipality of residence or release of the subject.";
        entry.Disclosure.DisclosedFields.Clear();
        return entry;
    }
}
