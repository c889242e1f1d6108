// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Messages;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Case data: re-integration data on the five basic conditions is submitted here (Wet straffen en beschermen);
/// the municipality case query is carried out by a later version and answers UNIMPLEMENTED with a reason.
/// </summary>
internal sealed class CaseGrpcService(MessageSubmitter submitter, MessageRouter router) : CaseService.CaseServiceBase
{
    public override async Task<SubmitReintegrationDataResponse> SubmitReintegrationData(SubmitReintegrationDataRequest request, ServerCallContext context)
    {
        var sender = context.GetPartner();
        var receipt = await submitter.SubmitAsync(
            new OutgoingMessage
            {
                Sender = sender,
                Operation = "SubmitReintegrationData",
                IdempotencyKey = request.Context.IdempotencyKey,
                RequestSha256 = Submissions.Fingerprint(request, r => r.Context),
                CorrelationId = request.Context.CorrelationId,
                Grounds = Submissions.Grounds(request.Grounds),
                MessageType = MessageType.ReintegrationData,
                Category = DataCategory.ReintegrationData,
                Payload = request.Data,
                Subject = request.Data.Subject,
                SubjectMunicipalities = [request.Data.Municipality.Code],
                Recipients = router.ForReintegration(request.Data),
            },
            context.CancellationToken);
        return new SubmitReintegrationDataResponse { Receipt = Submissions.AllowedOrDenied(receipt) };
    }
}
