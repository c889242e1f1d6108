// This file is part of ExchangeHub.

using System.Data.Common;
using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Step four of the hub's path, record: the append-only disclosure log. A caller's own rows (a message, its
/// deliveries) and the log entries describing them commit in one transaction, which is durable before the
/// caller hears back. Appends from concurrent callers share one commit (group commit).
/// </summary>
public interface IDisclosureLog
{
    /// <summary>The size and root of the log as last committed.</summary>
    LogHead Committed { get; }

    /// <summary>
    /// Runs <paramref name="work"/> inside the log's transaction and returns its result once the transaction,
    /// with every entry the work appended, is durable. When the work throws, its rows and entries are rolled back
    /// and the exception reaches the caller; other callers in the same commit are not affected. When the log
    /// itself fails, it stops (<see cref="LogWriterStoppedException"/>) rather than write a possibly broken log.
    /// </summary>
    Task<T> AppendAsync<T>(Func<ILogAppendContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default);
}

/// <summary>What an append's work sees: the transaction, the time, and where to append entries.</summary>
public interface ILogAppendContext
{
    /// <summary>The connection of the log's transaction, for the caller's own rows.</summary>
    DbConnection Connection { get; }

    /// <summary>The log's transaction.</summary>
    DbTransaction Transaction { get; }

    /// <summary>The time of this commit, for the entries' recorded_at.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Appends <paramref name="entry"/>, setting its sequence number, which is returned.</summary>
    ulong Append(LogEntry entry);
}

/// <summary>The size and root hash of the log at one moment.</summary>
/// <param name="Size">The number of leaves.</param>
/// <param name="RootHash">The RFC 9162 root hash over them.</param>
public sealed record LogHead(long Size, byte[] RootHash);

/// <summary>The log writer stopped after an unexpected error and accepts nothing until the hub restarts.</summary>
public sealed class LogWriterStoppedException(Exception cause)
    : Exception("EH4003: the disclosure log stopped after an unexpected storage error and accepts no disclosures until the hub is restarted and the log verifies.", cause);
