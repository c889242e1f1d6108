// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Subjects;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// End-of-detention notices: the prison service (or Justid) submits; the hub routes to the mayor(s) and the IDV,
/// decides per recipient, records and delivers. Corrections and withdrawals go to the recipients of the original.
/// </summary>
internal sealed class NoticeGrpcService(MessageSubmitter submitter, MessageRouter router, MessageLookup lookup) : NoticeService.NoticeServiceBase
{
    public override async Task<SubmitEndOfDetentionNoticeResponse> SubmitEndOfDetentionNotice(SubmitEndOfDetentionNoticeRequest request, ServerCallContext context)
    {
        var sender = RequireNoticeSender(context);
        var (recipients, unresolved) = router.ForNotice(request.Notice, []);
        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "SubmitEndOfDetentionNotice",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = Submissions.Grounds(request.Grounds),
                MessageType = MessageType.EndOfDetentionNotice,
                Category = DataCategory.EndOfDetentionNotice,
                Payload = request.Notice,
                Subject = request.Notice.Subject,
                SubjectMunicipalities = SubjectMunicipalities.Of(request.Notice),
                Recipients = recipients,
                UnresolvedMandatoryRecipients = unresolved,
                ReleaseAt = request.Notice.ExpectedReleaseTime.ToDateTimeOffset(),
            },
            context.CancellationToken);
        return new SubmitEndOfDetentionNoticeResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }

    public override async Task<CorrectEndOfDetentionNoticeResponse> CorrectEndOfDetentionNotice(CorrectEndOfDetentionNoticeRequest request, ServerCallContext context)
    {
        var sender = RequireNoticeSender(context);
        var original = await OpenOriginalAsync(request.Correction.OriginalMessageId, sender.Oin.Value, context.CancellationToken);
        var (recipients, unresolved) = router.ForNotice(request.Correction.Notice, original.RecipientOins);
        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "CorrectEndOfDetentionNotice",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = Submissions.Grounds(request.Grounds),
                MessageType = MessageType.EndOfDetentionNoticeCorrection,
                Category = DataCategory.EndOfDetentionNotice,
                Payload = request.Correction,
                Subject = request.Correction.Notice.Subject,
                SubjectMunicipalities = SubjectMunicipalities.Of(request.Correction.Notice),
                OriginalMessageId = original.MessageId,
                Recipients = recipients,
                UnresolvedMandatoryRecipients = unresolved,
                ReleaseAt = request.Correction.Notice.ExpectedReleaseTime.ToDateTimeOffset(),
            },
            context.CancellationToken);
        return new CorrectEndOfDetentionNoticeResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }

    public override async Task<WithdrawEndOfDetentionNoticeResponse> WithdrawEndOfDetentionNotice(WithdrawEndOfDetentionNoticeRequest request, ServerCallContext context)
    {
        var sender = RequireNoticeSender(context);
        var original = await OpenOriginalAsync(request.Withdrawal.OriginalMessageId, sender.Oin.Value, context.CancellationToken);
        var recipients = router.To(original.RecipientOins, mandatory: true, "recipient of the withdrawn notice");

        // The recipients were the subject's municipalities when the notice was allowed; they still are for its withdrawal.
        var municipalities = recipients.Select(r => r.Partner?.MunicipalityCode).OfType<string>().ToArray();
        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "WithdrawEndOfDetentionNotice",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = Submissions.Grounds(request.Grounds),
                MessageType = MessageType.EndOfDetentionNoticeWithdrawal,
                Category = DataCategory.EndOfDetentionNotice,
                Payload = request.Withdrawal,
                SubjectPseudonym = original.SubjectPseudonym,
                SubjectMunicipalities = municipalities,
                OriginalMessageId = original.MessageId,
                Recipients = recipients,
            },
            context.CancellationToken);
        return new WithdrawEndOfDetentionNoticeResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }

    private static Core.Partners.Partner RequireNoticeSender(ServerCallContext context)
    {
        var sender = context.GetPartner();
        return sender.HasRole(PartnerRole.PrisonService) || sender.HasRole(PartnerRole.JusticeInformationService)
            ? sender
            : throw new RpcException(new Status(StatusCode.PermissionDenied, HubErrors.RoleRequired.Format(sender, "PRISON_SERVICE or JUSTICE_INFORMATION_SERVICE")));
    }

    private async Task<OriginalMessage> OpenOriginalAsync(string messageId, string senderOin, CancellationToken cancellationToken)
    {
        var original = await lookup.FindAsync(messageId, senderOin, null, cancellationToken);
        if (original.MessageType != MessageType.EndOfDetentionNotice)
        {
            throw new MessageNotFoundException(HubErrors.MessageNotFound.Format(messageId, senderOin));
        }

        return original.WithdrawnBy is { } withdrawal
            ? throw new MessageStateException(HubErrors.NoticeWithdrawn.Format(messageId, withdrawal))
            : original;
    }
}
