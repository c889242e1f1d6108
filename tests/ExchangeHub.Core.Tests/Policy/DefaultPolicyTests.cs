// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Tests.Policy;

public sealed class DefaultPolicyTests
{
    [Fact]
    public void Load_ShippedDefaultPolicy_IsValid()
    {
        var (policy, problems) = PolicyLoader.Check(File.ReadAllBytes(RepositoryPaths.DefaultPolicy), "default-policy.yaml");

        Assert.Empty(problems);
        Assert.Equal("exchangehub-default", policy!.Id);
        Assert.True(policy.Rules.Count >= 20);
    }

    [Fact]
    public void DefaultPolicy_EveryWeightyPublicInterestRule_RequiresJustification()
    {
        var policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);

        Assert.All(
            policy.Rules.Where(r => PolicyLoader.WeightyPublicInterestBases.Contains(r.LegalBasis)),
            r => Assert.True(r.Conditions.HasFlag(PolicyCondition.JustificationRequired), r.Id));
    }

    [Fact]
    public void DefaultPolicy_CoversEveryFlowOfTheDomain()
    {
        var policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);
        var types = policy.Rules.Select(r => r.MessageType).ToHashSet();

        Assert.Superset(
            new HashSet<MessageType>
            {
                MessageType.EndOfDetentionNotice, MessageType.EndOfDetentionNoticeCorrection, MessageType.EndOfDetentionNoticeWithdrawal,
                MessageType.Signal, MessageType.OfficialReport, MessageType.OfficialReportFollowUp, MessageType.ReintegrationData,
                MessageType.CaseQuery,
            },
            types);
    }
}
