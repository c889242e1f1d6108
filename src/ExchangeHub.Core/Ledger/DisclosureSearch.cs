// This file is part of ExchangeHub.

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Storage;
using ExchangeHub.Core.Validation;
using Microsoft.Data.Sqlite;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Searches, pages and counts the disclosure records of the log for privacy officers. Host-agnostic: the audit
/// API and any other front end (a web page) use this same class, so they show the same records and figures.
/// <list type="bullet">
/// <item>Only disclosure records: redaction entries are never returned or counted.</item>
/// <item>The leaf is the truth: the search columns of <c>log_leaves</c> only narrow the candidates; every record is
/// decoded from its leaf (<see cref="LogEntryCodec"/>) and matched by <see cref="DisclosureQuery.Matches"/>.</item>
/// <item>Every read works on a snapshot: the first <c>logSize</c> leaves. The log is append-only, so a snapshot
/// never changes: pages do not shift while new records arrive, and a count can be recomputed from the leaves of
/// any verified checkpoint at least that large.</item>
/// </list>
/// This class does not check who asks (see <see cref="PrivacyOfficerAccess"/>) and logs nothing (see
/// <see cref="AuditReadLog"/>); the caller does both.
/// </summary>
public sealed class DisclosureSearch : IDisposable
{
    /// <summary>The page size when none is asked for: 100.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The largest page size: 1000.</summary>
    public const int MaxPageSize = 1000;

    private readonly SqliteHubDatabase _database;
    private readonly DisclosurePageTokens _tokens = new();

    /// <summary>Creates the search over the hub's database.</summary>
    public DisclosureSearch(SqliteHubDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The number of leaves committed now: the snapshot a new listing, count or export reads.</summary>
    public async Task<long> LogSizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await SqliteLedgerStore.CountLeavesAsync(connection, null, cancellationToken);
    }

    /// <summary>
    /// The disclosure records matching <paramref name="query"/> among the first <paramref name="logSize"/> leaves,
    /// after sequence <paramref name="afterSequence"/> (-1: from the start), in ascending sequence. Streams from one
    /// statement: nothing is held in memory beyond the record being read, so it serves exports of any size.
    /// Throws <see cref="LeafUnreadableException"/> on a leaf that does not decode as the entry at its position.
    /// </summary>
    public async IAsyncEnumerable<DisclosureRecord> ReadAsync(
        DisclosureQuery query, long logSize, long afterSequence = -1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(logSize);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        BuildSelect(command, query, logSize, afterSequence);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = Decode(reader.GetInt64(0), (byte[])reader[1]);
            if (record is not null && query.Matches(record))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// One page of the records matching <paramref name="query"/>. Without <paramref name="pageToken"/> this is the
    /// first page of a new listing over the log as it is now; with one, the next page of the listing the token came
    /// from. <paramref name="pageSize"/> is 1 to <see cref="MaxPageSize"/>, 0 meaning <see cref="DefaultPageSize"/>.
    /// Throws <see cref="RequestInvalidException"/> for a page size out of range or a token that is malformed,
    /// expired (the process restarted) or was issued for another query.
    /// </summary>
    public async Task<DisclosurePage> ListAsync(DisclosureQuery query, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (pageSize is < 0 or > MaxPageSize)
        {
            throw new RequestInvalidException("page_size", $"must be 1 to {MaxPageSize}, or 0 for the default of {DefaultPageSize}; it is {pageSize}");
        }

        var size = pageSize == 0 ? DefaultPageSize : pageSize;
        var (logSize, after) = string.IsNullOrEmpty(pageToken)
            ? (await LogSizeAsync(cancellationToken), -1L)
            : _tokens.Read(query, pageToken);

        // One record more than the page shows whether another page follows, so a last page never gets a token.
        var records = new List<DisclosureRecord>(Math.Min(size + 1, 128));
        await foreach (var record in ReadAsync(query, logSize, after, cancellationToken))
        {
            records.Add(record);
            if (records.Count > size)
            {
                break;
            }
        }

        string? next = null;
        if (records.Count > size)
        {
            records.RemoveAt(size);
            next = _tokens.Issue(query, logSize, (long)records[^1].Sequence);
        }

        return new DisclosurePage(records, next, logSize, string.IsNullOrEmpty(pageToken));
    }

    /// <summary>
    /// Counts the records matching <paramref name="query"/> in the log as it is now, grouped by
    /// <paramref name="groupBy"/>. See <see cref="DisclosureCounts"/> for the buckets.
    /// </summary>
    public async Task<DisclosureCounts> CountAsync(DisclosureQuery query, DisclosureGrouping groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tally = DisclosureCounts.CreateTally(groupBy);
        var logSize = await LogSizeAsync(cancellationToken);
        await foreach (var record in ReadAsync(query, logSize, -1, cancellationToken))
        {
            tally.Add(record);
        }

        return tally.ToCounts(logSize);
    }

    /// <inheritdoc />
    public void Dispose() => _tokens.Dispose();

    private static DisclosureRecord? Decode(long sequence, byte[] leaf)
    {
        LogEntry entry;
        try
        {
            entry = LogEntryCodec.Decode(leaf);
        }
        catch (FormatException ex)
        {
            throw new LeafUnreadableException(sequence, ex.Message, ex);
        }

        if (LogEntryCodec.SequenceOf(entry) != (ulong)sequence)
        {
            throw new LeafUnreadableException(sequence, $"the entry claims sequence {LogEntryCodec.SequenceOf(entry)}");
        }

        // A leaf that is not a disclosure is not one, whatever its columns say.
        return entry.EntryCase == LogEntry.EntryOneofCase.Disclosure ? entry.Disclosure : null;
    }

    /// <summary>
    /// The candidate query: the search columns narrow it down (and their indexes make it fast); every criterion is
    /// a superset of what <see cref="DisclosureQuery.Matches"/> then accepts exactly.
    /// </summary>
    private static void BuildSelect(SqliteCommand command, DisclosureQuery query, long logSize, long afterSequence)
    {
        var sql = new StringBuilder("SELECT seq, entry FROM log_leaves WHERE kind = $kind AND seq > $after AND seq < $size");
        command.Parameters.AddWithValue("$kind", (int)LogEntry.EntryOneofCase.Disclosure);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$size", logSize);
        if (query.SubjectPseudonym is not null)
        {
            sql.Append(" AND subject_pseudonym = $subject");
            command.Parameters.AddWithValue("$subject", query.SubjectPseudonym);
        }

        if (query.PartnerOins.Count > 0)
        {
            // Data providers have no column; they occur only in case queries and subject access reports, so those
            // are candidates whatever their sender and recipient, and the leaf decides.
            var oins = In(command, "p", query.PartnerOins);
            sql.Append(CultureInfo.InvariantCulture,
                $" AND (sender_oin IN ({oins}) OR recipient_oin IN ({oins}) OR message_type IN ({(int)MessageType.CaseQuery}, {(int)MessageType.SubjectAccessReport}))");
        }

        AppendIn(sql, command, "legal_basis", "b", query.LegalBases.Select(v => (int)v));
        AppendIn(sql, command, "purpose", "u", query.Purposes.Select(v => (int)v));
        AppendIn(sql, command, "decision", "d", query.Decisions.Select(v => (int)v));
        AppendIn(sql, command, "category", "c", query.Categories.Select(v => (int)v));

        // recorded_at holds round-trip UTC text, which sorts in time order but is exact only to 100 ns: widen the
        // bounds to whole ticks (start down, end up) and leave the nanoseconds to the leaf.
        if (query.PeriodStart is { } start)
        {
            sql.Append(" AND recorded_at >= $from");
            command.Parameters.AddWithValue("$from", SqliteLedgerStore.FormatTime(start.ToDateTimeOffset()));
        }

        if (query.PeriodEnd is { } end)
        {
            var upper = end.ToDateTimeOffset();
            if (end.Nanos % 100 == 0 || upper < DateTimeOffset.MaxValue)
            {
                sql.Append(" AND recorded_at < $to");
                command.Parameters.AddWithValue("$to", SqliteLedgerStore.FormatTime(end.Nanos % 100 == 0 ? upper : upper.AddTicks(1)));
            }
        }

        sql.Append(" ORDER BY seq");
        command.CommandText = sql.ToString();
    }

    private static void AppendIn(StringBuilder sql, SqliteCommand command, string column, string prefix, IEnumerable<int> values)
    {
        var list = In(command, prefix, values);
        if (list.Length > 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} IN ({list})");
        }
    }

    private static string In<T>(SqliteCommand command, string prefix, IEnumerable<T> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"${prefix}{names.Count}");
            command.Parameters.AddWithValue(name, value);
            names.Add(name);
        }

        return string.Join(", ", names);
    }
}

/// <summary>One page of a disclosure listing.</summary>
/// <param name="Records">The records of the page, in ascending sequence.</param>
/// <param name="NextPageToken">The token for the next page; null on the last page.</param>
/// <param name="LogSize">The listing's snapshot: only leaves below this sequence are listed, on every page.</param>
/// <param name="IsFirstPage">Whether this page started the listing (no token was given): the page to log.</param>
public sealed record DisclosurePage(IReadOnlyList<DisclosureRecord> Records, string? NextPageToken, long LogSize, bool IsFirstPage);
