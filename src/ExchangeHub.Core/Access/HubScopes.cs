// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Access;

/// <summary>
/// The OAuth scopes of the hub's access tokens. Operation scopes name what a partner may call; purpose scopes
/// (<c>purpose:release_preparation</c>) name the purposes it may state in a request's grounds. The token says what
/// a partner may ask for; the policy still decides every disclosure.
/// </summary>
public static class HubScopes
{
    /// <summary>Submit, correct and withdraw end-of-detention notices.</summary>
    public const string NoticesSubmit = "notices:submit";

    /// <summary>Submit signals.</summary>
    public const string SignalsSubmit = "signals:submit";

    /// <summary>Submit official reports (the intelligence service).</summary>
    public const string ReportsSubmit = "reports:submit";

    /// <summary>Record what was done with an official report (its recipients).</summary>
    public const string ReportsFollowUp = "reports:follow-up";

    /// <summary>Submit re-integration data.</summary>
    public const string ReintegrationSubmit = "reintegration:submit";

    /// <summary>Query case data (municipalities).</summary>
    public const string CasesQuery = "cases:query";

    /// <summary>Receive and acknowledge inbox messages.</summary>
    public const string InboxReceive = "inbox:receive";

    /// <summary>Checkpoints, proofs, one's own log records and witness cosignatures: what a receipt needs.</summary>
    public const string LogVerify = "log:verify";

    /// <summary>Missed-delivery alarms: a partner sees those about its own messages, a privacy officer all.</summary>
    public const string AlarmsRead = "alarms:read";

    /// <summary>The privacy officer's audit reads: disclosures, figures, subject reports.</summary>
    public const string AuditRead = "audit:read";

    /// <summary>The prefix of purpose scopes.</summary>
    public const string PurposePrefix = "purpose:";

    /// <summary>Every operation scope, in a stable order.</summary>
    public static IReadOnlyList<string> OperationScopes { get; } =
        [NoticesSubmit, SignalsSubmit, ReportsSubmit, ReportsFollowUp, ReintegrationSubmit, CasesQuery, InboxReceive, LogVerify, AlarmsRead, AuditRead];

    // gRPC method (service/method) -> the operation scope it needs. A method missing here is refused: a new RPC
    // must be given a scope before anyone can call it.
    private static readonly FrozenDictionary<string, string> MethodScopes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/exchangehub.v1.NoticeService/SubmitEndOfDetentionNotice"] = NoticesSubmit,
        ["/exchangehub.v1.NoticeService/CorrectEndOfDetentionNotice"] = NoticesSubmit,
        ["/exchangehub.v1.NoticeService/WithdrawEndOfDetentionNotice"] = NoticesSubmit,
        ["/exchangehub.v1.SignalService/SubmitSignal"] = SignalsSubmit,
        ["/exchangehub.v1.OfficialReportService/SubmitOfficialReport"] = ReportsSubmit,
        ["/exchangehub.v1.OfficialReportService/RecordReportFollowUp"] = ReportsFollowUp,
        ["/exchangehub.v1.CaseService/SubmitReintegrationData"] = ReintegrationSubmit,
        ["/exchangehub.v1.CaseService/QueryCase"] = CasesQuery,
        ["/exchangehub.v1.InboxService/Subscribe"] = InboxReceive,
        ["/exchangehub.v1.InboxService/PullInbox"] = InboxReceive,
        ["/exchangehub.v1.InboxService/AcknowledgeMessage"] = InboxReceive,
        ["/exchangehub.v1.AuditService/GetCheckpoint"] = LogVerify,
        ["/exchangehub.v1.AuditService/GetInclusionProof"] = LogVerify,
        ["/exchangehub.v1.AuditService/GetConsistencyProof"] = LogVerify,
        ["/exchangehub.v1.AuditService/GetLeaves"] = LogVerify,
        ["/exchangehub.v1.AuditService/AddCosignature"] = LogVerify,
        ["/exchangehub.v1.AuditService/ListDisclosures"] = AuditRead,
        ["/exchangehub.v1.AuditService/CountDisclosures"] = AuditRead,
        ["/exchangehub.v1.AuditService/ExportDisclosures"] = AuditRead,
        ["/exchangehub.v1.AuditService/GetSubjectReport"] = AuditRead,
        ["/exchangehub.v1.AuditService/ListAlarms"] = AlarmsRead,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The message types whose rules let a sender role use an operation (or, for case queries, a recipient role).
    private static readonly FrozenDictionary<MessageType, string> MessageTypeScopes = new Dictionary<MessageType, string>
    {
        [MessageType.EndOfDetentionNotice] = NoticesSubmit,
        [MessageType.EndOfDetentionNoticeCorrection] = NoticesSubmit,
        [MessageType.EndOfDetentionNoticeWithdrawal] = NoticesSubmit,
        [MessageType.Signal] = SignalsSubmit,
        [MessageType.OfficialReport] = ReportsSubmit,
        [MessageType.OfficialReportFollowUp] = ReportsFollowUp,
        [MessageType.ReintegrationData] = ReintegrationSubmit,
    }.ToFrozenDictionary();

    /// <summary>The operation scope a gRPC method needs, by its full name (<c>/package.Service/Method</c>).</summary>
    public static bool TryGetMethodScope(string method, out string scope) => MethodScopes.TryGetValue(method, out scope!);

    /// <summary>The scope that lets a request state <paramref name="purpose"/>, e.g. <c>purpose:release_preparation</c>.</summary>
    [SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "OAuth scopes are conventionally lower case; proto enum names are ASCII.")]
    public static string ForPurpose(Purpose purpose) => PurposePrefix + ContractEnums.Name(purpose).ToLowerInvariant();

    /// <summary>
    /// Every scope <paramref name="roles"/> may hold under <paramref name="policy"/>. An operation is granted when some
    /// rule lets one of the roles send that message type (or, for case queries, receive the answer); a purpose when
    /// some rule names one of the roles as sender or recipient for it (a recipient states the purpose when it reads
    /// its own receipts). Everyone may receive, verify receipts and see its alarms; privacy officers may audit.
    /// </summary>
    public static FrozenSet<string> Allowed(IReadOnlySet<PartnerRole> roles, CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(policy);
        var scopes = new SortedSet<string>(StringComparer.Ordinal) { InboxReceive, LogVerify, AlarmsRead };
        foreach (var rule in policy.Rules)
        {
            if (rule.SenderRoles.Overlaps(roles) || rule.RecipientRoles.Overlaps(roles))
            {
                foreach (var purpose in rule.Purposes)
                {
                    scopes.Add(ForPurpose(purpose));
                }
            }

            string? operation = null;
            if (rule.MessageType == MessageType.CaseQuery)
            {
                operation = rule.RecipientRoles.Overlaps(roles) ? CasesQuery : null;
            }
            else if (MessageTypeScopes.TryGetValue(rule.MessageType, out var submit) && rule.SenderRoles.Overlaps(roles))
            {
                operation = submit;
            }

            if (operation is not null)
            {
                scopes.Add(operation);
            }
        }

        if (roles.Contains(PartnerRole.PrivacyOfficer))
        {
            scopes.Add(AuditRead);
            scopes.Add(ForPurpose(Purpose.PrivacyAudit));
        }

        return scopes.ToFrozenSet(StringComparer.Ordinal);
    }
}
