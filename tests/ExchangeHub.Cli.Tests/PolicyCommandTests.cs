// This file is part of ExchangeHub.

using ExchangeHub.Cli.Commands;

namespace ExchangeHub.Cli.Tests;

/// <summary><c>hubctl policy check</c> and <c>hubctl policy explain</c> on the shipped default policy.</summary>
public sealed class PolicyCommandTests : IDisposable
{
    private static readonly string DevelopmentConfig = Path.Combine(RepositoryPaths.Root, "src", "ExchangeHub.Server", "appsettings.Development.json");
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-policy-cli-").FullName;

    [Fact]
    public void Check_DefaultPolicy_OkWithRulesPerMessageType()
    {
        using var output = new StringWriter();

        var exitCode = PolicyCommand.Check(RepositoryPaths.DefaultPolicy, output);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("OK: policy exchangehub-default version ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("END_OF_DETENTION_NOTICE              eod-notice-to-mayor, eod-notice-to-idv", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BrokenPolicy_ListsEveryProblemWithItsLine()
    {
        var path = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(path, File.ReadAllText(RepositoryPaths.DefaultPolicy)
            .Replace("legal_basis: WPG_ART_20", "legal_basis: WPG_ART_99", StringComparison.Ordinal)
            .Replace("fields: [report_message_id,", "fields: [report_sources,", StringComparison.Ordinal));
        using var output = new StringWriter();

        var exitCode = PolicyCommand.Check(path, output);

        Assert.Equal(PolicyCommand.Invalid, exitCode);
        var text = output.ToString();
        Assert.StartsWith($"INVALID: 2 problem(s) in {path}", text, StringComparison.Ordinal);
        Assert.Matches(@"broken\.yaml:\d+: rules\[\d+\] \(police-signal-to-case-consultation\)\.legal_basis: 'WPG_ART_99' is not a LegalBasis", text);
        Assert.Matches(@"broken\.yaml:\d+: rules\[\d+\] \(official-report-follow-up\)\.fields: field 'report_sources': exchangehub\.v1\.OfficialReportFollowUp has no field 'report_sources'", text);
    }

    [Fact]
    public void Explain_NoticeToOwnMayor_AllowedWithFieldsAndRetention()
    {
        var (exitCode, text) = Explain("00000001800000001000", "Gemeente Rotterdam", "END_OF_DETENTION_NOTICE", "RELEASE_PREPARATION", "AVG_ART_6_1_E", municipalities: ["GM0599"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Decision     ALLOWED", text, StringComparison.Ordinal);
        Assert.Contains("Rule         eod-notice-to-mayor", text, StringComparison.Ordinal);
        Assert.Contains("Fields       detained_in_terrorist_wing, expected_release_time, handover_remarks, institution, municipality_of_residence, offence_categories, place_of_release, release_type, subject", text, StringComparison.Ordinal);
        Assert.Contains("Retention    730 days", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NoticeToOtherMayor_DeniedOutsideJurisdiction()
    {
        var (exitCode, text) = Explain("00000001800000001000", "Gemeente Utrecht", "END_OF_DETENTION_NOTICE", "RELEASE_PREPARATION", "AVG_ART_6_1_E", municipalities: ["GM0599"]);

        Assert.Equal(PolicyCommand.Denied, exitCode);
        Assert.Contains("Reason       EH3007: Gemeente Utrecht (GM0344) is not the subject's municipality (GM0599)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_WrongPurposeForIdv_DeniedNamingTheBasisThatWouldWork()
    {
        var (exitCode, text) = Explain("00000001800000001000", "00000001800000002000", "END_OF_DETENTION_NOTICE", "RELEASE_PREPARATION", "AVG_ART_6_1_E");

        Assert.Equal(PolicyCommand.Denied, exitCode);
        Assert.Contains("Reason       EH3004:", text, StringComparison.Ordinal);
        Assert.Contains("Instead      AVG_ART_6_1_C for VICTIM_INFORMATION (rule eod-notice-to-idv)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownPartner_UsageErrorListsKnownPartners()
    {
        var ex = Assert.Throws<CommandLineException>(() => Explain("00000001800000099000", "Gemeente Utrecht", "SIGNAL", "PERSON_CENTRED_APPROACH", "WGPA_RADICALISATION"));

        Assert.StartsWith("--from '00000001800000099000' is not a registered partner; known: 00000001800000001000 Dienst Justitiële Inrichtingen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownBasis_UsageErrorListsBases()
    {
        var ex = Assert.Throws<CommandLineException>(() => Explain("Politie", "Gemeente Utrecht", "POLICE_DATA", "PERSON_CENTRED_APPROACH", "WPG_ART_21"));

        Assert.StartsWith("--basis 'WPG_ART_21' is not a LegalBasis; expected one of: WPG_ART_16, WPG_ART_18_2", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Text) Explain(string from, string to, string category, string purpose, string basis, string[]? municipalities = null)
    {
        using var output = new StringWriter();
        var exitCode = PolicyCommand.Explain(
            new ExplainArguments(from, to, category, purpose, basis, null, null, municipalities ?? [], null, RepositoryPaths.DefaultPolicy, DevelopmentConfig),
            output);
        return (exitCode, output.ToString());
    }
}
