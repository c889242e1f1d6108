// This file is part of ExchangeHub.

using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Cases;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Validation;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// Case data: re-integration data on the five basic conditions is submitted here (Wet straffen en beschermen), and
/// a municipality queries the case data on a subject that the policy lets it see. A query the policy refuses as a
/// whole is PERMISSION_DENIED, after the refusal was logged.
/// </summary>
internal sealed class CaseGrpcService(MessageSubmitter submitter, MessageRouter router, CaseQueryHandler queries) : CaseService.CaseServiceBase
{
    private const int MaxCaseConsultationIdLength = 64;

    public override async Task<QueryCaseResponse> QueryCase(QueryCaseRequest request, ServerCallContext context)
    {
        var caller = context.GetPartner();
        var violations = new List<FieldViolation>();
        if (request.CorrelationId.Length > 0 && !Guid.TryParseExact(request.CorrelationId, "D", out _))
        {
            violations.Add(new("correlation_id", "a correlation id is a UUID in canonical form (8-4-4-4-12 hexadecimal digits)"));
        }

        if (request.CaseConsultationId.EnumerateRunes().Count() > MaxCaseConsultationIdLength)
        {
            violations.Add(new("case_consultation_id", $"at most {MaxCaseConsultationIdLength} characters"));
        }

        if (violations.Count > 0)
        {
            HubRpcExceptions.ThrowInvalidArgument(violations);
        }

        var result = await queries.QueryAsync(
            new CaseQuery
            {
                Caller = caller,
                Subject = request.Subject,
                Grounds = request.Grounds,
                CaseConsultationId = string.IsNullOrEmpty(request.CaseConsultationId) ? null : request.CaseConsultationId,
                Categories = request.Categories,
                CorrelationId = string.IsNullOrEmpty(request.CorrelationId) ? null : request.CorrelationId,
            },
            context.CancellationToken);
        if (result.Denial is { } denial)
        {
            HubRpcExceptions.ThrowPermissionDenied(denial, new Dictionary<string, string>
            {
                ["log_sequence"] = result.LogSequence.ToString(CultureInfo.InvariantCulture),
                ["message_id"] = result.QueryId,
                ["correlation_id"] = result.CorrelationId,
            });
        }

        return new QueryCaseResponse { CaseView = result.View };
    }

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
