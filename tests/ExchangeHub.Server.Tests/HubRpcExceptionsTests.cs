// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using ExchangeHub.Server.Grpc;
using Google.Rpc;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

public sealed class HubRpcExceptionsTests
{
    [Fact]
    public void ThrowPermissionDenied_PolicyDenial_CarriesReasonPolicyRuleAndAlternatives()
    {
        var policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);
        var decision = policy.Decide(
            new DisclosureRequest
            {
                Sender = new Partner(Oin.Parse("00000001800000001000"), "DJI", new[] { PartnerRole.PrisonService }.ToFrozenSet(), null),
                Recipient = new Partner(Oin.Parse("00000001800000002000"), "IDV", new[] { PartnerRole.DetentionInformationPoint }.ToFrozenSet(), null),
                MessageType = MessageType.EndOfDetentionNotice,
                Category = DataCategory.EndOfDetentionNotice,
                Purpose = Purpose.ReleasePreparation,
                LegalBasis = LegalBasis.AvgArt61C,
            },
            new NoCaseConsultations());

        var ex = Assert.Throws<RpcException>(() => HubRpcExceptions.ThrowPermissionDenied(decision));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH3005: Purpose RELEASE_PREPARATION is not permitted under", ex.Status.Detail, StringComparison.Ordinal);
        var info = ex.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal("EH3005", info.Reason);
        Assert.Equal("exchangehub-default", info.Metadata["policy_id"]);
        Assert.Equal(policy.Version, info.Metadata["policy_version"]);
        Assert.Equal("eod-notice-to-idv", info.Metadata["rule_id"]);
        Assert.Equal("AVG_ART_6_1_C/VICTIM_INFORMATION", info.Metadata["allowed_alternatives"]);
    }

    [Fact]
    public void ThrowPermissionDenied_WithMetadata_ErrorInfoAlsoSaysWhereTheRefusalWasLogged()
    {
        var policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);
        var police = new Partner(Oin.Parse("00000001800000003000"), "Politie", new[] { PartnerRole.Police }.ToFrozenSet(), null);
        var decision = policy.DecideQuery(police, MessageType.CaseQuery, Purpose.PersonCentredApproach, LegalBasis.WgpaRadicalisation, null).Denial!;

        var ex = Assert.Throws<RpcException>(() => HubRpcExceptions.ThrowPermissionDenied(decision, new Dictionary<string, string> { ["log_sequence"] = "42", ["message_id"] = "q-1" }));

        var info = ex.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal(("EH3011", "42", "q-1", string.Empty), (info.Reason, info.Metadata["log_sequence"], info.Metadata["message_id"], info.Metadata["rule_id"]));
        Assert.Equal(policy.Version, info.Metadata["policy_version"]);
    }

    private sealed class NoCaseConsultations : ICaseConsultationDirectory
    {
        public bool IsMember(string caseConsultationId, Oin partner) => false;
    }
}
