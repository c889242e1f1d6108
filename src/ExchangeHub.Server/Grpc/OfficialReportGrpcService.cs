// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Messages;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Official reports (ambtsberichten) from the intelligence service to the one recipient competent to act, and
/// that recipient's follow-up back to the service.
/// </summary>
internal sealed class OfficialReportGrpcService(MessageSubmitter submitter, MessageRouter router, MessageLookup lookup) : OfficialReportService.OfficialReportServiceBase
{
    public override async Task<SubmitOfficialReportResponse> SubmitOfficialReport(SubmitOfficialReportRequest request, ServerCallContext context)
    {
        var sender = context.GetPartner();
        if (!sender.HasRole(PartnerRole.IntelligenceService))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, HubErrors.RoleRequired.Format(sender, "INTELLIGENCE_SERVICE")));
        }

        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "SubmitOfficialReport",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = [request.Grounds],
                MessageType = MessageType.OfficialReport,
                Category = DataCategory.OfficialReport,
                Payload = request.Report,
                Subject = request.Report.Subject,
                Recipients = router.To([request.Report.Recipient.Oin], mandatory: false, "addressee of the official report"),
            },
            context.CancellationToken);
        return new SubmitOfficialReportResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }

    public override async Task<RecordReportFollowUpResponse> RecordReportFollowUp(RecordReportFollowUpRequest request, ServerCallContext context)
    {
        var sender = context.GetPartner();
        var original = await lookup.FindAsync(request.FollowUp.ReportMessageId, null, sender.Oin.Value, context.CancellationToken);
        if (original.MessageType != MessageType.OfficialReport)
        {
            throw new MessageNotFoundException(HubErrors.MessageNotFound.Format(request.FollowUp.ReportMessageId, sender));
        }

        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "RecordReportFollowUp",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = [request.Grounds],
                MessageType = MessageType.OfficialReportFollowUp,
                Category = DataCategory.OfficialReport,
                Payload = request.FollowUp,
                SubjectPseudonym = original.SubjectPseudonym,
                OriginalMessageId = original.MessageId,
                Recipients = router.To([original.SenderOin], mandatory: false, "the service that issued the report"),
            },
            context.CancellationToken);
        return new RecordReportFollowUpResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }
}
