// This file is part of ExchangeHub.

using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Verification;
using ExchangeHub.Core.Storage;
using ExchangeHub.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// Verifies the hub's own disclosure log for the privacy officer's page with <see cref="LogVerifier"/>, reading the
/// database read-only as <c>hubctl audit verify --database</c> does: every leaf re-hashed, the tree recomputed and
/// compared with every stored signed checkpoint, stored hashes and nodes checked. That finds an edited, deleted or
/// moved record and a corrupted tree. It is the hub checking itself with its own key, so it cannot catch an
/// operator who rewrites the log and signs it anew; that takes an independent <c>hubctl audit verify</c> with the
/// pinned key and its remembered state, or a witness, which the page says.
/// </summary>
/// <remarks>
/// A run reads the whole log (linear time, logarithmic memory), so it runs in the background, one at a time, and
/// its result is kept for <see cref="AuditWebOptions.VerificationMaxAge"/>: a look at the page starts a run only
/// when the last result is older than that, and the page polls until the run ends.
/// </remarks>
internal sealed class LogSelfVerification(
    SqliteHubDatabase database,
    LedgerKeys keys,
    IOptions<AuditWebOptions> options,
    TimeProvider time,
    ILogger<LogSelfVerification> logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private LogVerificationRun? _last;
    private bool _disposed;

    /// <summary>The last result, whether a run is under way, and a new run started when the last result is stale.</summary>
    public (LogVerificationRun? Last, bool Running) Current()
    {
        lock (_lock)
        {
            var stale = _last is null || time.GetUtcNow() - _last.FinishedAt >= options.Value.VerificationMaxAge;
            if (_running is null && stale && !_disposed)
            {
                _running = Task.Run(() => RunAsync(_stopping.Token));
            }

            return (_last, _running is not null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (_lock)
        {
            _disposed = true;
            running = _running;
        }

        await _stopping.CancelAsync();
        if (running is not null)
        {
            await running;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        LogVerificationRun run;
        try
        {
            var verifier = new LogVerifier(keys.VerifierKey, keys.Origin);
            var report = await verifier.VerifyAsync(new SqliteLogSource(database.DatabasePath), previous: null, newLeafHashes: null, progress: null, cancellationToken);
            run = new(started, time.GetUtcNow(), report, null);
            if (report.IsOk)
            {
                HubLog.LogSelfVerified(logger, report.Checkpoint?.Size ?? 0, report.LeavesRead);
            }
            else
            {
                HubLog.LogSelfVerificationFailed(logger, report.First!.Kind.ToString(), report.First.Position, report.First.Detail);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                _running = null;
            }

            return;
        }
#pragma warning disable CA1031 // Any failure to read the log is itself the result the privacy officer must see, not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            HubLog.LogSelfVerificationFailed(logger, "Error", -1, ex.Message);
            run = new(started, time.GetUtcNow(), null, ex.Message);
        }

        lock (_lock)
        {
            _last = run;
            _running = null;
        }
    }
}

/// <summary>One verification of the log by the hub itself.</summary>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Report">What the verifier found; null when the log could not be read.</param>
/// <param name="Error">Why the log could not be read, when it could not.</param>
internal sealed record LogVerificationRun(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, LogVerificationReport? Report, string? Error);
