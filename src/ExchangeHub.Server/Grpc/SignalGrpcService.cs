// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>Signals: any partner submits to the case consultation's municipality and named recipients; the policy decides each.</summary>
internal sealed class SignalGrpcService(MessageSubmitter submitter, MessageRouter router) : SignalService.SignalServiceBase
{
    public override async Task<SubmitSignalResponse> SubmitSignal(SubmitSignalRequest request, ServerCallContext context)
    {
        var sender = context.GetPartner();
        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "SubmitSignal",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = Submissions.Grounds(request.Grounds),
                MessageType = MessageType.Signal,
                Category = Submissions.SignalCategory(sender),
                Payload = request.Signal,
                Subject = request.Signal.Subject,
                SubjectMunicipalities = [request.Signal.Municipality.Code],
                CaseConsultationId = string.IsNullOrEmpty(request.Signal.CaseConsultationId) ? null : request.Signal.CaseConsultationId,
                Recipients = router.ForSignal(request.Signal),
            },
            context.CancellationToken);
        return new SubmitSignalResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }
}
