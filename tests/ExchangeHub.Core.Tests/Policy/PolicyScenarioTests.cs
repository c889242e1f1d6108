// This file is part of ExchangeHub.

using System.Text.RegularExpressions;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Tests.Policy;

/// <summary>
/// The default policy against the scenario table (scenarios.yaml): one test case per row, named by the row.
/// Allowed rows send a payload with every field set and check that exactly the allowed fields come out.
/// </summary>
public sealed partial class PolicyScenarioTests
{
    private static readonly CompiledPolicy Policy = PolicyLoader.Load(RepositoryPaths.DefaultPolicy);

    private static readonly Dictionary<DecisionReason, string[]> ErrorIds = new()
    {
        [DecisionReason.BasisNotAvailableToSender] = ["EH3002"],
        [DecisionReason.MessageNotCoveredByBasis] = ["EH3003"],
        [DecisionReason.RecipientOutsideScope] = ["EH3004"],
        [DecisionReason.PurposeNotPermitted] = ["EH3005"],
        [DecisionReason.JustificationMissing] = ["EH3006"],
        [DecisionReason.OutsideJurisdiction] = ["EH3007"],
        [DecisionReason.NotInCaseConsultation] = ["EH3008", "EH3009"],
        [DecisionReason.OutsideJurisdictionAndCaseConsultation] = ["EH3010"],
    };

    // Decided over a case as a whole (CaseViewAssembler), never for one request: covered by the case query tests.
    private static readonly DecisionReason[] NotPerRequest = [DecisionReason.NothingDisclosable];

    public static TheoryData<string> RowNames => [.. ScenarioTable.Default.Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Decide_ScenarioRow_MatchesTable(string name)
    {
        var table = ScenarioTable.Default;
        var row = table.ByName[name];
        var payloadType = PayloadTypes.For(row.MessageType);
        Assert.NotNull(payloadType);
        var payload = Payloads.Full(payloadType);
        Payloads.AssertEveryFieldSet(payload);

        var decision = Policy.Decide(row.ToRequest(payload), new FixedCaseConsultationDirectory(table.CaseConsultations));

        Assert.Equal(row.IsAllowed, decision.IsAllowed);
        Assert.Equal(row.Reason, decision.Reason);
        Assert.Equal(row.Rule, decision.Rule?.Id);
        Assert.Equal(Policy.Id, decision.PolicyId);
        Assert.Equal(Policy.Version, decision.PolicyVersion);
        foreach (var part in row.ExplanationContains)
        {
            Assert.Contains(part, decision.Explanation, StringComparison.Ordinal);
        }

        var alternatives = decision.Alternatives.Select(a => $"{ContractEnums.Name(a.LegalBasis)}/{ContractEnums.Name(a.Purpose)}").ToList();
        Assert.DoesNotContain($"{ContractEnums.Name(row.LegalBasis)}/{ContractEnums.Name(row.Purpose)}", alternatives);
        Assert.Equal(alternatives.Count, alternatives.Distinct(StringComparer.Ordinal).Count());
        if (row.Alternatives is { } exact)
        {
            Assert.Equal(exact.Order(StringComparer.Ordinal), alternatives.Order(StringComparer.Ordinal));
        }

        foreach (var expected in row.AlternativesInclude)
        {
            Assert.Contains(expected, alternatives);
        }

        if (row.IsAllowed)
        {
            AssertAllowed(row, payload, decision);
        }
        else
        {
            AssertDenied(row, decision);
        }
    }

    [Fact]
    public void ScenarioTable_EveryRuleOfTheDefaultPolicy_HasAnAllowedRow()
    {
        var allowedRules = ScenarioTable.Default.Rows.Where(r => r.IsAllowed).Select(r => r.Rule).ToHashSet(StringComparer.Ordinal);

        var missing = Policy.Rules.Select(r => r.Id).Where(id => !allowedRules.Contains(id)).ToList();

        Assert.True(missing.Count == 0, "rules without an allowed row in scenarios.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void ScenarioTable_EveryDenialReasonAndErrorId_HasARow()
    {
        var rows = ScenarioTable.Default.Rows;

        Assert.All(Enum.GetValues<DecisionReason>().Except(NotPerRequest), reason => Assert.Contains(rows, r => r.Reason == reason));
        Assert.All(
            ErrorIds.Values.SelectMany(ids => ids),
            id => Assert.Contains(rows, r => !r.IsAllowed && r.ExplanationContains.Count > 0 && r.ExplanationContains[0] == id));
        Assert.True(rows.Count >= 45, $"the table has {rows.Count} rows; keep at least 45");
    }

    [Fact]
    public void ScenarioTable_RowsOnlyNameRulesOfThePolicy()
    {
        var ids = Policy.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        Assert.All(ScenarioTable.Default.Rows.Where(r => r.Rule is not null), r => Assert.Contains(r.Rule!, ids));
    }

    private static void AssertAllowed(Scenario row, Google.Protobuf.IMessage payload, Decision decision)
    {
        Assert.Null(decision.ErrorId);
        Assert.StartsWith($"Allowed by rule {row.Rule}: ", decision.Explanation, StringComparison.Ordinal);
        Assert.Empty(decision.Alternatives);

        // The exact fields, in the engine's order: sorted, without paths that a shorter one covers.
        Assert.Equal(row.Fields!.Order(StringComparer.Ordinal), decision.DisclosedFields);
        if (row.RetentionDays is { } days)
        {
            Assert.Equal(TimeSpan.FromDays(days), decision.Retention);
        }

        foreach (var path in row.Withheld)
        {
            Assert.False(decision.Rule!.Fields.Covers(path), $"{path} must be withheld");
        }

        // The payload: a minimised copy, the request's message untouched.
        var disclosed = decision.DisclosedPayload;
        Assert.NotNull(disclosed);
        Assert.NotSame(payload, disclosed);
        Assert.Equal(Payloads.Full(payload.Descriptor), payload);
        Payloads.AssertMinimised(payload, disclosed, row.Fields!);
        foreach (var path in row.Withheld)
        {
            var (inOriginal, field) = Payloads.Resolve(payload, path);
            Assert.True(Payloads.IsSet(inOriginal, field), $"{path} was not set in the request, so withholding it proves nothing");
            Assert.False(Payloads.IsSet(Payloads.Resolve(disclosed, path).Message, field), $"{path} was disclosed");
        }
    }

    private static void AssertDenied(Scenario row, Decision decision)
    {
        var match = ErrorIdPrefix().Match(decision.Explanation);
        Assert.True(match.Success, $"a denial's explanation starts with its error id: {decision.Explanation}");
        Assert.Contains(match.Groups[1].Value, ErrorIds[row.Reason]);
        Assert.Equal(match.Groups[1].Value, decision.ErrorId);
        Assert.StartsWith(row.ExplanationContains[0], decision.Explanation, StringComparison.Ordinal);
        Assert.Null(decision.DisclosedPayload);
        Assert.Empty(decision.DisclosedFields);
        Assert.Null(decision.Retention);
    }

    [GeneratedRegex("^(EH30(?:0[2-9]|10)): ")]
    private static partial Regex ErrorIdPrefix();
}
