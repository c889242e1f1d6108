// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Validation;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// The one place where domain outcomes become gRPC statuses. Each throw carries a stable error id in its
/// message and, where a caller can act on structure, google.rpc error details (BadRequest, ErrorInfo).
/// </summary>
internal static class HubRpcExceptions
{
    /// <summary>The google.rpc.ErrorInfo domain for errors raised by the hub.</summary>
    public const string ErrorDomain = "exchangehub.nl";

    [DoesNotReturn]
    public static void ThrowInvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = HubErrors.InvalidRequest.Format(string.Join("; ", violations)),
            Details = { Any.Pack(ErrorInfo(HubErrors.InvalidRequest)), Any.Pack(badRequest) },
        };
        throw status.ToRpcException();
    }

    /// <summary>
    /// A request the policy refuses as a whole (a case query, a submission no recipient may receive). The
    /// status carries the reason in words, and an ErrorInfo with the denial's id, the policy, the rule and the
    /// grounds that would be allowed (<c>BASIS/PURPOSE</c>, comma-separated), so a partner system can act on it.
    /// <paramref name="metadata"/> adds entries, such as where the refusal was logged.
    /// </summary>
    [DoesNotReturn]
    public static void ThrowPermissionDenied(Decision decision, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.IsAllowed)
        {
            throw new ArgumentException("An allowed decision is not a refusal.", nameof(decision));
        }

        var info = new ErrorInfo
        {
            Domain = ErrorDomain,
            Reason = decision.ErrorId!,
            Metadata =
            {
                ["policy_id"] = decision.PolicyId,
                ["policy_version"] = decision.PolicyVersion,
                ["rule_id"] = decision.Rule?.Id ?? string.Empty,
                ["allowed_alternatives"] = string.Join(",", decision.Alternatives.Select(a => $"{ContractEnums.Name(a.LegalBasis)}/{ContractEnums.Name(a.Purpose)}")),
            },
        };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            info.Metadata[key] = value;
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)Code.PermissionDenied,
            Message = decision.Explanation,
            Details = { Any.Pack(info) },
        };
        throw status.ToRpcException();
    }

    /// <summary>
    /// An audit operation refused to a caller that is not a privacy officer acting for purpose PRIVACY_AUDIT
    /// (EH1007). The ErrorInfo names the operation and what it requires, so a client can tell the user why.
    /// </summary>
    [DoesNotReturn]
    public static void ThrowPrivacyOfficerOnly(string operation, Partner partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var info = ErrorInfo(HubErrors.PrivacyOfficerOnly);
        info.Metadata.Add("operation", operation);
        info.Metadata.Add("required_role", "PRIVACY_OFFICER");
        info.Metadata.Add("required_purpose", "PRIVACY_AUDIT");
        info.Metadata.Add("partner_oin", partner.Oin.Value);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.PermissionDenied,
            Message = HubErrors.PrivacyOfficerOnly.Format(operation, partner),
            Details = { Any.Pack(info) },
        };
        throw status.ToRpcException();
    }

    [DoesNotReturn]
    public static void ThrowUnimplemented(string method)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.Unimplemented,
            Message = HubErrors.NotImplemented.Format(method),
            Details = { Any.Pack(ErrorInfo(HubErrors.NotImplemented)) },
        };
        throw status.ToRpcException();
    }

    private static ErrorInfo ErrorInfo(HubError error) => new() { Domain = ErrorDomain, Reason = error.Id };
}
