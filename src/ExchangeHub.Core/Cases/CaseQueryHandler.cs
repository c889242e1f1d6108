// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Telemetry;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Cases;

/// <summary>
/// Answers a case query: screens the grounds, reads the subject's case, decides and strips every item, and records
/// the outcome in the disclosure log before anyone hears of it, allowed, partial or denied alike. The query's own
/// record names the caller as recipient and the providers whose items it received; each disclosed item gets a
/// record of its own with its provider as sender, so a privacy officer sees who received which provider's data,
/// and each provider can hold a receipt of what was passed on.
/// </summary>
public sealed partial class CaseQueryHandler(
    CaseEntryReader reader,
    IDisclosureLog log,
    IDisclosurePolicy policy,
    ICaseConsultationDirectory caseConsultations,
    IPartnerRegistry registry,
    LedgerKeys keys,
    IOptions<LedgerOptions> ledgerOptions,
    ILogger<CaseQueryHandler> logger)
{
    /// <summary>Answers <paramref name="query"/>; returns once the outcome is durably logged.</summary>
    public async Task<CaseQueryResult> QueryAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // One policy for the whole answer, even when a new version comes into force meanwhile.
        var compiled = policy.Current;
        var subject = keys.Pseudonymizer.Pseudonymize(query.Subject);
        CaseAssembly assembly;
        using (var decide = HubTelemetry.ActivitySource.StartActivity("exchangehub.decide"))
        {
            var screening = CaseViewAssembler.Screen(compiled, query);
            assembly = screening.Denial is { } refused
                ? CaseAssembly.Denied(refused)
                : CaseViewAssembler.Assemble(compiled, caseConsultations, query, screening, await reader.ReadAsync(subject, cancellationToken), FindPartner);
            decide?.SetTag("exchangehub.message_type", ContractEnums.Name(MessageType.CaseQuery))
                .SetTag("exchangehub.allowed", assembly.View is not null)
                .SetTag("exchangehub.items", assembly.Items.Count);
        }

        var queryId = Guid.NewGuid().ToString("D");
        var correlationId = string.IsNullOrEmpty(query.CorrelationId) ? Guid.NewGuid().ToString("D") : query.CorrelationId;
        ulong sequence;
        using (var record = HubTelemetry.ActivitySource.StartActivity("exchangehub.record"))
        {
            sequence = await log.AppendAsync(
                (context, _) => Task.FromResult(Record(context, compiled, query, assembly, queryId, correlationId, subject)),
                cancellationToken);
            record?.SetTag("exchangehub.message_type", ContractEnums.Name(MessageType.CaseQuery))
                .SetTag("exchangehub.message_id", queryId)
                .SetTag("exchangehub.log.sequence", sequence);
        }

        if (assembly.View is { } view)
        {
            view.LogSequence = sequence;
            LogAnswered(logger, queryId, query.Caller.Oin.Value, assembly.Items.Count, assembly.IsPartial, sequence);
        }
        else
        {
            LogDenied(logger, queryId, query.Caller.Oin.Value, assembly.Denial!.ErrorId, sequence);
        }

        return new CaseQueryResult(queryId, sequence, correlationId, assembly.View, assembly.Denial);
    }

    private Partner? FindPartner(string oin) => registry.All.FirstOrDefault(p => p.Oin.Value == oin);

    private ulong Record(ILogAppendContext context, CompiledPolicy compiled, CaseQuery query, CaseAssembly assembly, string queryId, string correlationId, string subject)
    {
        var now = Timestamp.FromDateTimeOffset(context.Now);
        var caller = new PartnerId { Oin = query.Caller.Oin.Value };
        var justification = string.IsNullOrEmpty(query.Grounds.Justification)
            ? ByteString.Empty
            : ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes(query.Grounds.Justification)));
        var view = assembly.View;
        var record = new DisclosureRecord
        {
            RecordedAt = now,
            Sender = ledgerOptions.Value.HubOin is { } hub ? new PartnerId { Oin = hub } : null,
            Recipient = caller,
            RecipientRole = query.Caller.Roles.Min(),
            Category = DataCategory.CaseData,
            MessageType = MessageType.CaseQuery,
            MessageId = queryId,
            Purpose = query.Grounds.Purpose,
            LegalBasis = query.Grounds.LegalBasis,
            JustificationSha256 = justification,
            PolicyId = compiled.Id,
            PolicyVersion = compiled.Version,
            RuleId = view?.RuleId ?? assembly.Denial?.Rule?.Id ?? string.Empty,
            Decision = view is null ? DisclosureDecision.Denied : DisclosureDecision.Allowed,
            Reason = view?.Reason ?? assembly.Denial!.Explanation,

            // The view as the caller receives it, except for its own log position, which this record is to get.
            PayloadSha256 = view is null ? ByteString.Empty : ByteString.CopyFrom(SHA256.HashData(view.ToByteArray())),
            CorrelationId = correlationId,
            SubjectPseudonym = subject,
        };
        record.DataProviders.AddRange(assembly.Items.Select(i => i.Provider.Oin.Value).Distinct().Select(oin => new PartnerId { Oin = oin }));
        if (view is not null)
        {
            record.DisclosedFields.AddRange(view.DisclosedFields);
        }

        var sequence = context.Append(new LogEntry { Disclosure = record });
        foreach (var item in assembly.Items)
        {
            var itemRecord = new DisclosureRecord
            {
                RecordedAt = now,
                Sender = new PartnerId { Oin = item.Provider.Oin.Value },
                SenderRole = item.Provider.Roles.Min(),
                Recipient = caller,
                RecipientRole = record.RecipientRole,
                Category = item.Entry.Category,
                MessageType = item.Entry.MessageType,
                MessageId = item.Entry.MessageId,
                Purpose = record.Purpose,
                LegalBasis = record.LegalBasis,
                JustificationSha256 = justification,
                PolicyId = compiled.Id,
                PolicyVersion = compiled.Version,
                RuleId = item.Decision.Rule!.Id,
                Decision = DisclosureDecision.Allowed,
                Reason = $"Disclosed to {query.Caller} in answer to case query {queryId} (log sequence {sequence}). {item.Decision.Explanation}",
                PayloadSha256 = ByteString.CopyFrom(SHA256.HashData(item.Element.ToByteArray())),
                CorrelationId = correlationId,
                SubjectPseudonym = subject,
            };
            itemRecord.DisclosedFields.AddRange(item.Fields);
            context.Append(new LogEntry { Disclosure = itemRecord });
        }

        return sequence;
    }

    [LoggerMessage(EventId = 5401, EventName = "CaseQueryAnswered", Level = LogLevel.Information, Message = "Case query {QueryId} by {Caller}: {Items} item(s) disclosed (partial: {Partial}); logged at {Sequence}")]
    private static partial void LogAnswered(ILogger logger, string queryId, string caller, int items, bool partial, ulong sequence);

    [LoggerMessage(EventId = 5402, EventName = "CaseQueryDenied", Level = LogLevel.Information, Message = "Case query {QueryId} by {Caller} denied ({ErrorId}); logged at {Sequence}")]
    private static partial void LogDenied(ILogger logger, string queryId, string caller, string? errorId, ulong sequence);
}

/// <summary>The answer to a case query, once logged.</summary>
/// <param name="QueryId">The id the hub gave the query; the message_id of its log record.</param>
/// <param name="LogSequence">The position of the query's record in the disclosure log.</param>
/// <param name="CorrelationId">The caller's correlation id, or the one the hub assigned.</param>
/// <param name="View">The case view, with its log sequence; null when denied.</param>
/// <param name="Denial">Why the query was refused as a whole; null when the view was disclosed.</param>
public sealed record CaseQueryResult(string QueryId, ulong LogSequence, string CorrelationId, CaseView? View, Decision? Denial);
