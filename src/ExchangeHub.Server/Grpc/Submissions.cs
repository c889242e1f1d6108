// This file is part of ExchangeHub.

using System.Security.Cryptography;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// What every submitting service shares: the idempotency fingerprint of a request, the data category of a signal,
/// and turning a receipt in which no recipient was allowed into PERMISSION_DENIED (after the denials were logged).
/// </summary>
internal static class Submissions
{
    /// <summary>SHA-256 of the request without its correlation id: the same request retried has the same fingerprint.</summary>
    public static byte[] Fingerprint<TRequest>(TRequest request, Func<TRequest, RequestContext> context)
        where TRequest : IMessage<TRequest>
    {
        var copy = request.Clone();
        context(copy).CorrelationId = string.Empty;
        return SHA256.HashData(copy.ToByteArray());
    }

    /// <summary>The data category of a signal, from the sender's role (the hub assigns it, never the sender).</summary>
    public static DataCategory SignalCategory(Partner sender) =>
        sender.HasRole(PartnerRole.Police) || sender.HasRole(PartnerRole.RoyalMarechaussee) ? DataCategory.PoliceData
        : sender.HasRole(PartnerRole.Prosecution) ? DataCategory.CriminalProcedureData
        : sender.HasRole(PartnerRole.ChildProtectionBoard) ? DataCategory.ChildProtectionData
        : DataCategory.Signal;

    /// <summary>Returns the receipt, or PERMISSION_DENIED when no recipient was allowed (the denials are in the log).</summary>
    public static SubmissionReceipt AllowedOrDenied(SubmissionReceipt receipt)
    {
        if (receipt.Deliveries.Count > 0 && receipt.Deliveries.All(d => d.Decision == DisclosureDecision.Denied))
        {
            var first = receipt.Deliveries[0];
            var info = new Google.Rpc.ErrorInfo
            {
                Domain = HubRpcExceptions.ErrorDomain,
                Reason = first.Reason.Split(':', 2)[0],
                Metadata =
                {
                    ["message_id"] = receipt.MessageId,
                    ["policy_id"] = first.PolicyId,
                    ["policy_version"] = first.PolicyVersion,
                    ["rule_id"] = first.RuleId,
                    ["log_sequence"] = first.LogSequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            };
            var status = new Google.Rpc.Status
            {
                Code = (int)Google.Rpc.Code.PermissionDenied,
                Message = Core.Errors.HubErrors.NoRecipientAllowed.Format(first.Reason),
                Details = { Google.Protobuf.WellKnownTypes.Any.Pack(info) },
            };
            throw status.ToRpcException();
        }

        return receipt;
    }

    /// <summary>Checks the grounds list (the contract allows at most 10).</summary>
    public static IReadOnlyList<ProcessingGrounds> Grounds(RepeatedField<ProcessingGrounds> grounds) =>
        grounds.Count <= 10 ? grounds : throw new RpcException(new Status(StatusCode.InvalidArgument, "EH2002: at most 10 grounds may be stated."));
}
