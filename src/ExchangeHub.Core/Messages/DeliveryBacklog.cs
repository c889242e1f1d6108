// This file is part of ExchangeHub.

using System.Diagnostics.Metrics;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using ExchangeHub.Core.Telemetry;

namespace ExchangeHub.Core.Messages;

/// <summary>
/// What the inboxes still owe, as gauges: deliveries without an acknowledgement (per recipient, message type,
/// whether the recipient is mandatory and whether the deadline has passed), the age of the oldest of them, and the
/// open alarms per kind. The figures are read once per sweep (<see cref="RefreshAsync"/>), not at every scrape, so
/// that whoever scrapes cannot make the hub query its database, and a scrape costs nothing; they are as old as the
/// last sweep (<c>SweepInterval</c>, 30 s by default), which is nothing against deadlines of hours.
/// </summary>
public sealed class DeliveryBacklog
{
    private readonly SqliteHubDatabase _database;
    private readonly TimeProvider _time;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Creates the gauges; they report nothing until the first <see cref="RefreshAsync"/>.</summary>
    public DeliveryBacklog(SqliteHubDatabase database, TimeProvider time, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _database = database;
        _time = time;
        var meter = meters.Create(HubTelemetry.MeterName);
        meter.CreateObservableGauge("exchangehub.deliveries.outstanding", ObserveCounts, "{delivery}",
            "Deliveries not yet acknowledged, by recipient (OIN), message type, mandatory and overdue (past the acknowledgement deadline); as of the last sweep.");
        meter.CreateObservableGauge("exchangehub.deliveries.outstanding.oldest_age", ObserveOldestAges, "s",
            "Age of the oldest delivery not yet acknowledged (time since it was accepted), with the tags of exchangehub.deliveries.outstanding.");
        meter.CreateObservableGauge("exchangehub.alarms.open", ObserveOpenAlarms, "{alarm}",
            "Missed-notice alarms raised and not cleared, by kind; as of the last sweep.");
    }

    /// <summary>Reads the backlog from the database; the gauges report it from then on.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenAsync(cancellationToken);
        var groups = new List<Group>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT d.recipient_oin, m.message_type, d.mandatory, d.acknowledge_before < $now AS overdue, COUNT(*), MIN(d.available_at)
                FROM deliveries d JOIN messages m ON m.message_id = d.message_id
                WHERE d.ack_outcome IS NULL
                GROUP BY d.recipient_oin, m.message_type, d.mandatory, overdue
                """;
            command.Parameters.AddWithValue("$now", Sql.Time(now));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                groups.Add(new Group(
                    [
                        new("recipient", reader.GetString(0)),
                        new("message_type", ContractEnums.Name((MessageType)reader.GetInt32(1))),
                        new("mandatory", HubTelemetry.Flag(reader.GetInt32(2) == 1)),
                        new("overdue", HubTelemetry.Flag(reader.GetInt32(3) == 1)),
                    ],
                    reader.GetInt64(4),
                    Sql.ParseTime(reader.GetString(5))));
            }
        }

        var open = new Dictionary<AlarmKind, long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT kind, COUNT(*) FROM alarms WHERE state = $open GROUP BY kind";
            command.Parameters.AddWithValue("$open", (int)AlarmState.Open);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                open[(AlarmKind)reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        _snapshot = new Snapshot(groups, open);
    }

    private IEnumerable<Measurement<long>> ObserveCounts() =>
        _snapshot.Groups.Select(g => new Measurement<long>(g.Count, g.Tags));

    private IEnumerable<Measurement<double>> ObserveOldestAges()
    {
        var now = _time.GetUtcNow();
        return _snapshot.Groups.Select(g => new Measurement<double>(Math.Max(0, (now - g.OldestAcceptedAt).TotalSeconds), g.Tags));
    }

    // Every kind, zero included, so that an alert on a kind has a series to look at before its first alarm.
    private IEnumerable<Measurement<long>> ObserveOpenAlarms() =>
        _snapshot.Refreshed
            ? Enum.GetValues<AlarmKind>().Where(k => k != AlarmKind.Unspecified)
                .Select(k => new Measurement<long>(_snapshot.OpenAlarms.GetValueOrDefault(k), new KeyValuePair<string, object?>("kind", ContractEnums.Name(k))))
            : [];

    private sealed record Group(KeyValuePair<string, object?>[] Tags, long Count, DateTimeOffset OldestAcceptedAt);

    private sealed record Snapshot(IReadOnlyList<Group> Groups, IReadOnlyDictionary<AlarmKind, long> OpenAlarms)
    {
        public static Snapshot Empty { get; } = new([], new Dictionary<AlarmKind, long>()) { Refreshed = false };

        public bool Refreshed { get; init; } = true;
    }
}
