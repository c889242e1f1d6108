// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// The page's figures: the disclosure records of the last <see cref="AuditWebOptions.Months"/> months (UTC), read
/// once through <see cref="DisclosureSearch"/> (the search the audit API uses, so both show the same records) from
/// one snapshot of the log, and tallied per month by legal basis, by disclosing and by receiving partner; plus the
/// denials, counted, and the latest of them listed.
/// <list type="bullet">
/// <item>The charts count allowed disclosures; a record without a legal basis or a partner (an alarm message, a
/// report of the hub itself without an OIN) counts under "none", so every bar adds up to the month's total.</item>
/// <item>Figures hold no personal data and are not logged, as with CountDisclosures. The listed denials are records,
/// pseudonymised personal data even without the subject's pseudonym (which the page leaves out), so a listing that
/// shows any is logged through <see cref="AuditReadLog"/> before it is returned, as ListDisclosures does, on the
/// grounds hubctl audits under: purpose PRIVACY_AUDIT, basis AVG art. 6(1)(c).</item>
/// <item>Cost: one pass over the records of the period (the search narrows by time first), memory for the tallies
/// and the listed denials only.</item>
/// </list>
/// </summary>
internal sealed class DisclosureFigures(
    DisclosureSearch search,
    LedgerKeys keys,
    AuditReadLog readLog,
    PartnerNames names,
    IOptions<AuditWebOptions> options,
    TimeProvider time)
{
    /// <summary>The grounds the page reads records under: those of <c>hubctl audit</c>.</summary>
    public static readonly ProcessingGrounds Grounds = new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };

    /// <summary>The fields of each listed denial, as the read log names them.</summary>
    private static readonly string[] ListedFields =
        ["records.sequence", "records.recorded_at", "records.sender", "records.recipient", "records.message_type", "records.purpose", "records.legal_basis", "records.rule_id", "records.reason"];

    private const string None = "";

    public async Task<DisclosureFiguresView> ReadAsync(Partner officer, CancellationToken cancellationToken)
    {
        var months = options.Value.Months;
        var now = time.GetUtcNow().UtcDateTime;
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1 - months);
        var end = first.AddMonths(months);
        var monthKeys = Enumerable.Range(0, months).Select(i => DisclosureCounts.MonthOf(first.AddMonths(i))).ToList();
        var column = monthKeys.Select((key, index) => (key, index)).ToDictionary(m => m.key, m => m.index, StringComparer.Ordinal);
        var query = DisclosureQuery.FromFilter(
            new DisclosureFilter { PeriodStart = Timestamp.FromDateTimeOffset(first), PeriodEnd = Timestamp.FromDateTimeOffset(end) },
            keys.Pseudonymizer);

        var byBasis = new Tally(months);
        var bySender = new Tally(months);
        var byRecipient = new Tally(months);
        var denied = new long[months];
        var latestDenials = new Queue<DisclosureRecord>();
        long allowed = 0;
        long deniedTotal = 0;
        var logSize = await search.LogSizeAsync(cancellationToken);
        await foreach (var record in search.ReadAsync(query, logSize, cancellationToken: cancellationToken))
        {
            var month = column[DisclosureCounts.MonthOf(record.RecordedAt.ToDateTimeOffset())];
            if (record.Decision == DisclosureDecision.Allowed)
            {
                allowed++;
                byBasis.Add(record.LegalBasis == LegalBasis.Unspecified ? None : ContractEnums.Name(record.LegalBasis), month);
                bySender.Add(record.Sender?.Oin ?? None, month);
                byRecipient.Add(record.Recipient?.Oin ?? None, month);
            }
            else if (record.Decision == DisclosureDecision.Denied)
            {
                deniedTotal++;
                denied[month]++;
                latestDenials.Enqueue(record);
                if (latestDenials.Count > options.Value.LatestDenials)
                {
                    latestDenials.Dequeue();
                }
            }
        }

        var listed = latestDenials.Reverse().ToList();
        if (listed.Count > 0)
        {
            // The page's policy admits privacy officers only; records need the audit purpose on top (fail closed).
            if (!PrivacyOfficerAccess.MayReadRecords(officer, Grounds))
            {
                throw new InvalidOperationException($"{officer} may not read disclosure records.");
            }

            await readLog.RecordAsync(
                new AuditRead(officer, Grounds, MessageType.DisclosureListing, $"The privacy officer's page listed the latest {listed.Count} of {deniedTotal} denied disclosure records ({query}; decisions DENIED) of the log's first {logSize} entries, without subject pseudonyms.")
                {
                    DisclosedFields = ListedFields,
                    DataProviders = [.. listed.Select(r => r.Sender).OfType<PartnerId>().DistinctBy(p => p.Oin)],
                },
                cancellationToken);
        }

        return new DisclosureFiguresView(
            logSize,
            first,
            end,
            monthKeys,
            allowed,
            deniedTotal,
            byBasis.Series(key => key == None ? "no legal basis (alarm messages)" : key),
            bySender.Series(key => key == None ? "the hub itself" : names.View(key).Name),
            byRecipient.Series(key => key == None ? "(none)" : names.View(key).Name),
            denied,
            [.. listed.Select(r => new DenialView(
                r.Sequence,
                r.RecordedAt.ToDateTimeOffset(),
                names.View(r.Sender?.Oin),
                names.View(r.Recipient?.Oin),
                ContractEnums.Name(r.MessageType),
                r.Purpose == Purpose.Unspecified ? string.Empty : ContractEnums.Name(r.Purpose),
                r.LegalBasis == LegalBasis.Unspecified ? string.Empty : ContractEnums.Name(r.LegalBasis),
                r.RuleId,
                r.Reason.Split(':', 2)[0],
                r.Reason))]);
    }

    /// <summary>Counts per key and month.</summary>
    private sealed class Tally(int months)
    {
        private readonly Dictionary<string, long[]> _counts = new(StringComparer.Ordinal);

        public void Add(string key, int month)
        {
            if (!_counts.TryGetValue(key, out var counts))
            {
                _counts[key] = counts = new long[months];
            }

            counts[month]++;
        }

        /// <summary>One series per key, the largest total first.</summary>
        public IReadOnlyList<SeriesView> Series(Func<string, string> label) =>
            [.. _counts
                .Select(c => new SeriesView(c.Key, label(c.Key), c.Value, c.Value.Sum()))
                .OrderByDescending(s => s.Total)
                .ThenBy(s => s.Label, StringComparer.Ordinal)];
    }
}

/// <summary>The figures of a period, from one snapshot of the log.</summary>
/// <param name="LogSize">The snapshot: the log's first this many entries were read.</param>
/// <param name="From">The period's start (the first day of the first month, UTC).</param>
/// <param name="To">The period's end, exclusive.</param>
/// <param name="Months">The months of the period, "YYYY-MM", oldest first; every count array follows them.</param>
/// <param name="Allowed">Allowed disclosures in the period.</param>
/// <param name="Denied">Denied disclosures in the period.</param>
/// <param name="ByLegalBasis">Allowed disclosures per legal basis.</param>
/// <param name="BySender">Allowed disclosures per disclosing partner.</param>
/// <param name="ByRecipient">Allowed disclosures per receiving partner.</param>
/// <param name="DeniedPerMonth">Denials per month.</param>
/// <param name="LatestDenials">The latest denials, newest first.</param>
internal sealed record DisclosureFiguresView(
    long LogSize,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Months,
    long Allowed,
    long Denied,
    IReadOnlyList<SeriesView> ByLegalBasis,
    IReadOnlyList<SeriesView> BySender,
    IReadOnlyList<SeriesView> ByRecipient,
    IReadOnlyList<long> DeniedPerMonth,
    IReadOnlyList<DenialView> LatestDenials);

/// <summary>One series of a chart: a legal basis or a partner, with its count per month.</summary>
internal sealed record SeriesView(string Key, string Label, IReadOnlyList<long> Counts, long Total);

/// <summary>One denied disclosure, without anything about the subject.</summary>
internal sealed record DenialView(
    ulong Sequence,
    DateTimeOffset RecordedAt,
    PartnerView Sender,
    PartnerView Recipient,
    string MessageType,
    string Purpose,
    string LegalBasis,
    string RuleId,
    string ReasonId,
    string Reason);
