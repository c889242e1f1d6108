// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Tests.Policy;

/// <summary>
/// One test per way a policy file can be wrong. Every file here is the valid template below with one change, so
/// each test fails if the loader stops noticing that change. Lines are 1-based; the template's first rule starts
/// at line 5, a second rule at line 17.
/// </summary>
public sealed class PolicyValidationTests
{
    private const string Source = "test-policy.yaml";

    private const string Header = "id: test-policy\nversion: \"1\"\ndescription: Policy for the validation tests.\nrules:\n";

    private const string FirstRule = "signal-to-mayor";

    private const string Where = "rules[0] (signal-to-mayor)";

    // Line 5 to 16 when the rule comes first.
    private static readonly (string Key, string Value)[] Template =
    [
        ("id", FirstRule),
        ("description", "A signal to the mayor."),
        ("citation", "\"AVG art. 6 lid 1 sub e\""),
        ("legal_basis", "AVG_ART_6_1_E"),
        ("purposes", "[PUBLIC_ORDER]"),
        ("senders", "[PRISON_SERVICE]"),
        ("recipients", "[MUNICIPALITY]"),
        ("message_type", "SIGNAL"),
        ("categories", "[SIGNAL]"),
        ("fields", "[subject, signal_type, description]"),
        ("conditions", "[recipient_is_subject_municipality]"),
        ("retention_days", "365"),
    ];

    public static TheoryData<string, string> WeightyBasesWithoutJustification()
    {
        var data = new TheoryData<string, string>();
        foreach (var basis in new[] { "WPG_ART_20", "WPG_ART_18_2", "WPG_ART_19", "WJSG_ART_39F" })
        {
            data.Add(basis, "[recipient_in_case_consultation, recipient_is_subject_municipality]");
            data.Add(basis, "[]");
            data.Add(basis, "(absent)");
        }

        return data;
    }

    [Fact]
    public void Check_Template_CompilesWithoutProblems()
    {
        var (policy, problems) = Check(Policy(Rule()));

        Assert.Empty(problems);
        var rule = Assert.Single(policy!.Rules);
        Assert.Equal(FirstRule, rule.Id);
        Assert.Equal(5, rule.Line);
        Assert.Equal(["description", "signal_type", "subject"], rule.Fields.Paths);
        Assert.Equal(PolicyCondition.RecipientIsSubjectMunicipality, rule.Conditions);
        Assert.Equal(TimeSpan.FromDays(365), rule.Retention);
    }

    // --- The file as a whole -----------------------------------------------------------------------------------

    [Fact]
    public void Check_NotYaml_ReportsParserErrorWithLine()
    {
        var yaml = Policy(Rule()).Replace("description: Policy for the validation tests.", "description: a: b", StringComparison.Ordinal);

        AssertSingle(yaml, 3, "policy", "not valid YAML: While scanning a plain scalar value, found invalid mapping.");
    }

    [Fact]
    public void Check_UnclosedFlowList_ReportsProblemInsteadOfThrowing()
    {
        // A forgotten ']' makes the YAML parser throw InvalidOperationException rather than a YamlException.
        var yaml = Policy(Rule(("purposes", "[PUBLIC_ORDER")));

        var (policy, problems) = Check(yaml);

        Assert.Null(policy);
        var problem = Assert.Single(problems);
        Assert.Equal(9, problem.Line);
        Assert.Equal("policy", problem.Where);
        Assert.StartsWith("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DamagedDefaultPolicy_NeverThrows()
    {
        // A file being edited is reloaded as it is; whatever is in it, Check must answer with problems.
        var text = File.ReadAllText(RepositoryPaths.DefaultPolicy);
        var random = new Random(20261101);
        const string Damage = "[]{}:\"'-&*!|>#,? \n\t%@`";
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var damaged = new StringBuilder(text);
            for (var edits = 1 + random.Next(3); edits > 0; edits--)
            {
                var at = random.Next(damaged.Length);
                if (random.Next(2) == 0)
                {
                    damaged.Remove(at, 1);
                }
                else
                {
                    damaged.Insert(at, Damage[random.Next(Damage.Length)]);
                }
            }

            var yaml = damaged.ToString();
            var exception = Record.Exception(() => PolicyLoader.Check(Encoding.UTF8.GetBytes(yaml), Source));

            Assert.True(exception is null, $"attempt {attempt}: {exception}");
        }
    }

    [Fact]
    public void Check_DuplicateKey_ReportsNotYaml()
    {
        var yaml = Policy(Rule()) + "    purposes: [RELEASE_PREPARATION]\n";

        AssertSingle(yaml, 17, "policy", "not valid YAML: Duplicate key purposes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("- id: test-policy\n- version: \"1\"\n")]
    [InlineData("just a text\n")]
    [InlineData("id: test-policy\n---\nid: other-policy\n")]
    public void Check_NotOneMapping_ReportsFileLevelProblem(string yaml)
    {
        AssertSingle(yaml, 0, "policy", "the file must hold one YAML document: a mapping with id, version, description and rules");
    }

    [Theory]
    [InlineData("id")]
    [InlineData("version")]
    [InlineData("description")]
    public void Check_MissingTopLevelKey_ReportsMissing(string key)
    {
        var yaml = string.Join("\n", Policy(Rule()).Split('\n').Where(l => !l.StartsWith(key + ":", StringComparison.Ordinal)));

        AssertSingle(yaml, 1, "policy", $"'{key}' is missing");
    }

    [Fact]
    public void Check_MissingRules_ReportsMissing()
    {
        AssertSingle("id: test-policy\nversion: \"1\"\ndescription: No rules.\n", 1, "policy", "'rules' is missing");
    }

    [Theory]
    [InlineData("rules: []")]
    [InlineData("rules: none")]
    [InlineData("rules: {a: b}")]
    public void Check_RulesNotANonEmptyList_Reported(string rules)
    {
        var yaml = Header.Replace("rules:", rules, StringComparison.Ordinal);

        AssertSingle(yaml, 4, "policy.rules", "must be a non-empty list of rules");
    }

    [Theory]
    [InlineData("Test-Policy")]
    [InlineData("test_policy")]
    [InlineData("-test-policy")]
    [InlineData("test policy")]
    [InlineData("test.policy")]
    public void Check_InvalidPolicyId_Reported(string id)
    {
        var yaml = Policy(Rule()).Replace("id: test-policy", "id: " + id, StringComparison.Ordinal);

        AssertSingle(yaml, 1, "policy.id", $"'{id}' is not a valid id: use lower-case letters, digits and dashes");
    }

    [Fact]
    public void Check_PolicyIdOfMoreThan100Characters_Reported()
    {
        var id = new string('a', 101);
        var yaml = Policy(Rule()).Replace("id: test-policy", "id: " + id, StringComparison.Ordinal);

        AssertSingle(yaml, 1, "policy.id", "is not a valid id");
    }

    [Fact]
    public void Check_InvalidRuleId_Reported()
    {
        AssertSingle(Policy(Rule(("id", "Signal_To_Mayor"))), 5, "rules[0] (Signal_To_Mayor).id", "'Signal_To_Mayor' is not a valid id");
    }

    [Fact]
    public void Check_UnknownTopLevelKey_Reported()
    {
        var yaml = Policy(Rule()).Replace("rules:\n", "owner: legal department\nrules:\n", StringComparison.Ordinal);

        AssertSingle(yaml, 4, "policy", "unknown key 'owner'; expected one of: id, version, description, rules");
    }

    [Fact]
    public void Check_MisspelledRuleKey_ReportsUnknownKeyAndMissingKey()
    {
        var yaml = Policy(Rule()).Replace("    purposes:", "    purpose:", StringComparison.Ordinal);

        var (policy, problems) = Check(yaml);

        Assert.Null(policy);
        Assert.Collection(
            problems,
            p => AssertProblem(p, 9, Where, "unknown key 'purpose'; expected one of: id, description, citation, legal_basis, purposes, senders, recipients, message_type, categories, fields, conditions, retention_days"),
            p => AssertProblem(p, 5, Where, "'purposes' is missing"));
    }

    [Fact]
    public void Check_DuplicateRuleId_NamesTheFirstRulesLine()
    {
        var yaml = Policy(Rule(), Rule(("senders", "[PROBATION]")));

        AssertSingle(yaml, 17, "rules[1] (signal-to-mayor).id", "the id 'signal-to-mayor' is already used by the rule at line 5");
    }

    // --- Citation ----------------------------------------------------------------------------------------------

    [Fact]
    public void Check_MissingCitation_Reported()
    {
        AssertSingle(Policy(Rule(("citation", null))), 5, Where, "'citation' is missing: every rule must cite its statute article");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("''")]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    public void Check_EmptyCitation_Reported(string citation)
    {
        AssertSingle(Policy(Rule(("citation", citation))), 7, Where + ".citation", "must be a non-empty text: every rule must cite its statute article");
    }

    [Theory]
    [InlineData("\"~\"")]
    [InlineData("'null'")]
    public void Check_QuotedNullWordAsCitation_IsAText(string citation)
    {
        // Only YAML's plain null is empty; a quoted "~" is a (strange) text, and legal staff will see it in review.
        var (policy, problems) = Check(Policy(Rule(("citation", citation))));

        Assert.Empty(problems);
        Assert.NotNull(policy);
    }

    // --- Enum values --------------------------------------------------------------------------------------------

    [Fact]
    public void Check_UnknownLegalBasis_ListsTheKnownOnes()
    {
        var problem = AssertSingle(
            Policy(Rule(("legal_basis", "WPG_ART_99"))),
            8,
            Where + ".legal_basis",
            "'WPG_ART_99' is not a LegalBasis; expected one of: WPG_ART_16, WPG_ART_18_2, WPG_ART_19, WPG_ART_20, WJSG_ART_39F, WIV_2017_OFFICIAL_REPORT, AVG_ART_6_1_C, AVG_ART_6_1_E, WET_SENB_REINTEGRATION, WGPA_RADICALISATION");

        Assert.DoesNotContain("UNSPECIFIED", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FullProtoEnumNames_Accepted()
    {
        var yaml = Policy(Rule(
            ("legal_basis", "LEGAL_BASIS_AVG_ART_6_1_E"),
            ("purposes", "[PURPOSE_PUBLIC_ORDER]"),
            ("senders", "[PARTNER_ROLE_PRISON_SERVICE]"),
            ("message_type", "MESSAGE_TYPE_SIGNAL"),
            ("categories", "[DATA_CATEGORY_SIGNAL]")));

        var (policy, problems) = Check(yaml);

        Assert.Empty(problems);
        var rule = Assert.Single(policy!.Rules);
        Assert.Equal(LegalBasis.AvgArt61E, rule.LegalBasis);
        Assert.Equal(new[] { Purpose.PublicOrder }, rule.Purposes);
        Assert.Equal(new[] { PartnerRole.PrisonService }, rule.SenderRoles);
        Assert.Equal(MessageType.Signal, rule.MessageType);
        Assert.Equal(new[] { DataCategory.Signal }, rule.Categories);
    }

    [Fact]
    public void Check_UnknownPurpose_ReportsTheLineOfTheEntry()
    {
        var yaml = Policy(Rule(("purposes", "\n      - PUBLIC_ORDER\n      - REVENGE")));

        var problem = AssertSingle(yaml, 11, Where + ".purposes", "'REVENGE' is not a Purpose; expected one of: VICTIM_INFORMATION, RELEASE_PREPARATION,");

        Assert.DoesNotContain("UNSPECIFIED", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("legal_basis", "UNSPECIFIED", 8, "'UNSPECIFIED' is not a LegalBasis")]
    [InlineData("legal_basis", "LEGAL_BASIS_UNSPECIFIED", 8, "'LEGAL_BASIS_UNSPECIFIED' is not a LegalBasis")]
    [InlineData("purposes", "[UNSPECIFIED]", 9, "'UNSPECIFIED' is not a Purpose")]
    [InlineData("senders", "[PARTNER_ROLE_UNSPECIFIED]", 10, "'PARTNER_ROLE_UNSPECIFIED' is not a PartnerRole")]
    [InlineData("recipients", "[UNSPECIFIED]", 11, "'UNSPECIFIED' is not a PartnerRole")]
    [InlineData("message_type", "UNSPECIFIED", 12, "'UNSPECIFIED' is not a MessageType")]
    [InlineData("categories", "[DATA_CATEGORY_UNSPECIFIED]", 13, "'DATA_CATEGORY_UNSPECIFIED' is not a DataCategory")]
    public void Check_UnspecifiedValue_Refused(string key, string value, int line, string message)
    {
        AssertSingle(Policy(Rule((key, value))), line, $"{Where}.{key}", message);
    }

    [Fact]
    public void Check_UnknownSenderRole_Reported()
    {
        AssertSingle(Policy(Rule(("senders", "[PRISON_SERVICE, MAYOR]"))), 10, Where + ".senders", "'MAYOR' is not a PartnerRole; expected one of: PRISON_SERVICE,");
    }

    [Fact]
    public void Check_UnknownRecipientRole_Reported()
    {
        AssertSingle(Policy(Rule(("recipients", "[BURGEMEESTER]"))), 11, Where + ".recipients", "'BURGEMEESTER' is not a PartnerRole");
    }

    [Fact]
    public void Check_UnknownMessageType_Reported()
    {
        AssertSingle(Policy(Rule(("message_type", "NOTICE"))), 12, Where + ".message_type", "'NOTICE' is not a MessageType; expected one of: END_OF_DETENTION_NOTICE,");
    }

    [Fact]
    public void Check_SubjectAccessReportRule_Refused()
    {
        AssertSingle(Policy(Rule(("message_type", "SUBJECT_ACCESS_REPORT"))), 5, Where + ".message_type", "SUBJECT_ACCESS_REPORT is not governed by its own rules");
    }

    [Fact]
    public void Check_CaseQueryRule_FieldsInTheListOfItsCategory_Compiles()
    {
        var (policy, problems) = Check(Policy(CaseQueryRule("[SIGNAL, POLICE_DATA]", "[signals.origin, signals.signal.subject, signals.signal.description]")));

        Assert.Empty(problems);
        var rule = Assert.Single(policy!.Rules);
        Assert.Equal(["signals.origin", "signals.signal.description", "signals.signal.subject"], rule.Fields.Paths);
        Assert.Equal(PolicyCondition.RecipientIsSubjectMunicipalityOrInCaseConsultation, rule.Conditions);
    }

    [Theory]
    [InlineData("[signals.origin, notices.notice.subject]", "field 'notices.notice.subject' is not in the case view list of this rule's categories (signals)")]
    [InlineData("[signals.origin, reason]", "field 'reason' is not in the case view list of this rule's categories (signals)")]
    [InlineData("[signals.origin, subject.bsn]", "field 'subject.bsn' is not in the case view list")]
    public void Check_CaseQueryRuleFieldOutsideTheListOfItsCategory_Refused(string fields, string message)
    {
        AssertSingle(Policy(CaseQueryRule("[SIGNAL]", fields)), 14, Where + ".fields", message);
    }

    [Fact]
    public void Check_CaseQueryRuleCategoryWithoutAField_Refused()
    {
        AssertSingle(Policy(CaseQueryRule("[SIGNAL, REINTEGRATION_DATA]", "[signals.origin]")), 14, Where + ".fields", "no field lies in the case view list 'reintegration_data' of this rule's categories");
    }

    [Fact]
    public void Check_CaseQueryRuleForCaseData_Refused()
    {
        var (_, problems) = Check(Policy(CaseQueryRule("[CASE_DATA]", "[signals.origin]")));

        Assert.Contains(problems, p => p.Line == 13 && p.Where == Where + ".categories" && p.Message.Contains("CASE_DATA has no list in a case view", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_CaseQueryRuleReservedFieldOfAnOfficialReport_Refused()
    {
        AssertSingle(Policy(CaseQueryRule("[OFFICIAL_REPORT]", "[official_reports.origin, official_reports.report.sources]")), 14, Where + ".fields", "'sources' is reserved in exchangehub.v1.OfficialReport");
    }

    [Fact]
    public void Check_UnknownCategory_Reported()
    {
        AssertSingle(Policy(Rule(("categories", "[SIGNAL, GOSSIP]"))), 13, Where + ".categories", "'GOSSIP' is not a DataCategory");
    }

    // --- Fields ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Check_FieldNotInContract_ListsTheMessagesFields()
    {
        AssertSingle(
            Policy(Rule(("fields", "[subject, adress]"))),
            14,
            Where + ".fields",
            "field 'adress': exchangehub.v1.Signal has no field 'adress' (it has: subject, signal_type, observed_at, description, case_consultation_id, municipality, recipients, related_signal_ids)");
    }

    [Fact]
    public void Check_NestedFieldNotInContract_ListsTheNestedMessagesFields()
    {
        AssertSingle(
            Policy(Rule(("fields", "[subject.name]"))),
            14,
            Where + ".fields",
            "field 'subject.name': exchangehub.v1.SubjectReference has no field 'name' (it has: bsn, pseudonym)");
    }

    [Fact]
    public void Check_PathThroughNonMessageField_Reported()
    {
        AssertSingle(
            Policy(Rule(("fields", "[description.text]"))),
            14,
            Where + ".fields",
            "field 'description.text': 'description' in exchangehub.v1.Signal is not a message, so it has no field 'text'");
    }

    [Theory]
    [InlineData("[subject, subject.bsn.digits]")]
    [InlineData("[subject.bsn.digits, subject]")]
    public void Check_PathThroughNonMessageFieldBelowAWholeField_ReportedInAnyOrder(string fields)
    {
        AssertSingle(
            Policy(Rule(("fields", fields))),
            14,
            Where + ".fields",
            "field 'subject.bsn.digits': 'bsn' in exchangehub.v1.SubjectReference is not a message, so it has no field 'digits'");
    }

    [Theory]
    [InlineData("[subject, subject.bsn_number]")]
    [InlineData("[subject.bsn_number, subject]")]
    public void Check_UnknownFieldBelowAWholeField_ReportedInAnyOrder(string fields)
    {
        AssertSingle(Policy(Rule(("fields", fields))), 14, Where + ".fields", "field 'subject.bsn_number': exchangehub.v1.SubjectReference has no field 'bsn_number'");
    }

    [Theory]
    [InlineData("sources")]
    [InlineData("source_reference")]
    [InlineData("source_reliability")]
    [InlineData("methods")]
    [InlineData("collection_method")]
    public void Check_ReservedOfficialReportField_CanNeverBeDisclosed(string field)
    {
        AssertSingle(
            Policy(OfficialReportRule($"[finding, {field}]")),
            14,
            Where + ".fields",
            $"field '{field}': '{field}' is reserved in exchangehub.v1.OfficialReport and can never be disclosed");
    }

    [Fact]
    public void Check_OfficialReportRuleWithoutReservedFields_Accepted()
    {
        var (policy, problems) = Check(Policy(OfficialReportRule("[reference_number, finding]")));

        Assert.Empty(problems);
        Assert.Equal(["finding", "reference_number"], Assert.Single(policy!.Rules).Fields.Paths);
    }

    // --- Conditions ----------------------------------------------------------------------------------------------

    [Fact]
    public void Check_UnknownCondition_ListsTheKnownOnes()
    {
        AssertSingle(
            Policy(Rule(("conditions", "[recipient_is_resident]"))),
            15,
            Where + ".conditions",
            "unknown condition 'recipient_is_resident'; known: justification_required, recipient_is_subject_municipality, recipient_in_case_consultation");
    }

    [Theory]
    [MemberData(nameof(WeightyBasesWithoutJustification))]
    public void Check_WeightyPublicInterestBasisWithoutJustificationRequired_Refused(string basis, string conditions)
    {
        var yaml = Policy(Rule(("legal_basis", basis), ("conditions", conditions == "(absent)" ? null : conditions)));

        AssertSingle(
            yaml,
            5,
            Where + ".conditions",
            $"{basis} rests on a weighty public interest (zwaarwegend algemeen belang): the rule must list the condition justification_required");
    }

    [Theory]
    [InlineData("WPG_ART_20")]
    [InlineData("WPG_ART_18_2")]
    [InlineData("WPG_ART_19")]
    [InlineData("WJSG_ART_39F")]
    public void Check_WeightyPublicInterestBasisWithJustificationRequired_Accepted(string basis)
    {
        var (policy, problems) = Check(Policy(Rule(("legal_basis", basis), ("conditions", "[justification_required]"))));

        Assert.Empty(problems);
        Assert.Equal(PolicyCondition.JustificationRequired, Assert.Single(policy!.Rules).Conditions);
    }

    [Fact]
    public void Check_EmptyConditions_AcceptedAsNone()
    {
        var (policy, problems) = Check(Policy(Rule(("conditions", "[]"))));

        Assert.Empty(problems);
        Assert.Equal(PolicyCondition.None, Assert.Single(policy!.Rules).Conditions);
    }

    // --- Retention ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Check_MissingRetention_Reported()
    {
        AssertSingle(Policy(Rule(("retention_days", null))), 5, Where, "'retention_days' is missing: every rule must say how long what it discloses may be kept");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+30")]
    [InlineData("abc")]
    [InlineData("30d")]
    [InlineData("1.5")]
    [InlineData("36501")]
    [InlineData("99999999999")]
    public void Check_RetentionNotAWholeNumberInRange_Reported(string days)
    {
        AssertSingle(Policy(Rule(("retention_days", days))), 16, Where + ".retention_days", $"'{days}' is not a whole number of days from 1 to 36500");
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("36500", 36500)]
    public void Check_RetentionAtTheBounds_Accepted(string text, int days)
    {
        var (policy, problems) = Check(Policy(Rule(("retention_days", text))));

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromDays(days), Assert.Single(policy!.Rules).Retention);
    }

    // --- Lists ------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("purposes", "[]", 9)]
    [InlineData("senders", "[]", 10)]
    [InlineData("recipients", "[]", 11)]
    [InlineData("categories", "[]", 13)]
    [InlineData("fields", "[]", 14)]
    [InlineData("purposes", "PUBLIC_ORDER", 9)]
    public void Check_EmptyOrNoList_Reported(string key, string value, int line)
    {
        AssertSingle(Policy(Rule((key, value))), line, $"{Where}.{key}", "must be a non-empty list");
    }

    // --- Overlapping rules ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("fields", "[subject]", null, null, "fields")]
    [InlineData("conditions", "[]", null, null, "conditions")]
    [InlineData("retention_days", "730", null, null, "retention")]
    [InlineData("fields", "[subject]", "conditions", "[]", "fields, conditions")]
    public void Check_OverlappingRulesThatDisagree_RefusedNamingBothRules(string key, string value, string? key2, string? value2, string disagreement)
    {
        var second = key2 is null
            ? Rule(("id", "signal-to-mayor-too"), (key, value))
            : Rule(("id", "signal-to-mayor-too"), (key, value), (key2, value2));

        AssertSingle(
            Policy(Rule(), second),
            17,
            "rule signal-to-mayor-too",
            $"overlaps rule signal-to-mayor (line 5) for SIGNAL/SIGNAL under AVG_ART_6_1_E for PUBLIC_ORDER from PRISON_SERVICE to MUNICIPALITY, and they disagree on {disagreement}");
    }

    [Fact]
    public void Check_OverlappingRulesThatDisagreeOnEverything_NamesAllThree()
    {
        var second = Rule(("id", "signal-to-mayor-too"), ("fields", "[subject]"), ("conditions", "[]"), ("retention_days", "730"));

        AssertSingle(Policy(Rule(), second), 17, "rule signal-to-mayor-too", "and they disagree on fields, conditions, retention");
    }

    [Fact]
    public void Check_RulesThatOverlapInPart_NameTheSharedCombination()
    {
        var second = Rule(
            ("id", "signal-to-mayor-too"),
            ("purposes", "[RELEASE_PREPARATION, PUBLIC_ORDER]"),
            ("senders", "[PROBATION, PRISON_SERVICE]"),
            ("retention_days", "730"));

        AssertSingle(
            Policy(Rule(), second),
            17,
            "rule signal-to-mayor-too",
            "overlaps rule signal-to-mayor (line 5) for SIGNAL/SIGNAL under AVG_ART_6_1_E for PUBLIC_ORDER from PRISON_SERVICE to MUNICIPALITY, and they disagree on retention");
    }

    [Fact]
    public void Check_OverlappingRulesThatAgree_AcceptedAndTheFirstDecides()
    {
        // Same fields once normalised (order, and a path that 'subject' already covers), same conditions and retention.
        var second = Rule(
            ("id", "signal-to-mayor-too"),
            ("senders", "[PRISON_SERVICE, PROBATION]"),
            ("fields", "[description, subject.bsn, signal_type, subject]"));

        var (policy, problems) = Check(Policy(Rule(), second));

        Assert.Empty(problems);
        Assert.Equal(2, policy!.Rules.Count);
        Assert.Equal(FirstRule, policy.Decide(SignalToRotterdam(PartnerRole.PrisonService), NoCaseConsultations.Instance).Rule!.Id);
        Assert.Equal("signal-to-mayor-too", policy.Decide(SignalToRotterdam(PartnerRole.Probation), NoCaseConsultations.Instance).Rule!.Id);
    }

    [Fact]
    public void Check_SameRolesUnderAnotherBasis_NoOverlap()
    {
        var second = Rule(("id", "signal-to-mayor-too"), ("legal_basis", "WGPA_RADICALISATION"), ("fields", "[subject]"));

        var (policy, problems) = Check(Policy(Rule(), second));

        Assert.Empty(problems);
        Assert.Equal(2, policy!.Rules.Count);
    }

    // --- Several problems, and Load --------------------------------------------------------------------------------

    [Fact]
    public void Check_SeveralProblems_AllReportedWithTheirLines()
    {
        var header = "id: Test_Policy\nversion: \"1\"\ndescription: Several problems.\nowner: legal\nrules:\n";
        var yaml = header
            + Rule(("purposes", "[REVENGE]"))
            + Rule(("id", "second-rule"), ("senders", "[PROBATION]"), ("retention_days", null), ("conditions", "[nope]"))
            + Rule(("id", "third-rule"), ("senders", "[MUNICIPALITY]"), ("fields", "[subject, adress]"));

        var (policy, problems) = Check(yaml);

        Assert.Null(policy);
        (int Line, string Where, string Message)[] expected =
        [
            (1, "policy.id", "'Test_Policy' is not a valid id"),
            (4, "policy", "unknown key 'owner'"),
            (10, "rules[0] (signal-to-mayor).purposes", "'REVENGE' is not a Purpose"),
            (18, "rules[1] (second-rule)", "'retention_days' is missing"),
            (28, "rules[1] (second-rule).conditions", "unknown condition 'nope'"),
            (38, "rules[2] (third-rule).fields", "field 'adress': exchangehub.v1.Signal has no field 'adress'"),
        ];
        Assert.True(problems.Count == expected.Length, $"expected {expected.Length} problems, got:\n{string.Join("\n", problems)}");
        Assert.All(expected, e => Assert.Contains(problems, p => p.Line == e.Line && p.Where == e.Where && p.Message.Contains(e.Message, StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_InvalidFile_ThrowsWithEveryProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Policy(Rule(("retention_days", "0"), ("citation", null))));
        try
        {
            var ex = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Load(path));

            Assert.StartsWith("EH3101: the policy is invalid (2 problem(s)):", ex.Message, StringComparison.Ordinal);
            Assert.Equal(2, ex.Problems.Count);
            Assert.All(ex.Problems, p => Assert.Equal(Path.GetFileName(path), p.Source));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // --- Helpers -------------------------------------------------------------------------------------------------------

    private static string Policy(params string[] rules) => Header + string.Concat(rules);

    /// <summary>The template rule with some values replaced (null removes the key's line); one line per key.</summary>
    private static string Rule(params (string Key, string? Value)[] changes)
    {
        Assert.All(changes, c => Assert.Contains(c.Key, Template.Select(t => t.Key)));
        var builder = new StringBuilder();
        foreach (var (key, value) in Template)
        {
            var change = Array.FindIndex(changes, c => c.Key == key);
            var text = change < 0 ? value : changes[change].Value;
            if (text is not null)
            {
                builder.Append(key == "id" ? "  - " : "    ").Append(key).Append(": ").Append(text).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string CaseQueryRule(string categories, string fields) => Rule(
        ("legal_basis", "WGPA_RADICALISATION"),
        ("purposes", "[PERSON_CENTRED_APPROACH]"),
        ("message_type", "CASE_QUERY"),
        ("categories", categories),
        ("fields", fields),
        ("conditions", "[recipient_is_subject_municipality_or_in_case_consultation]"));

    private static string OfficialReportRule(string fields) => Rule(
        ("legal_basis", "WIV_2017_OFFICIAL_REPORT"),
        ("purposes", "[PROSECUTION]"),
        ("senders", "[INTELLIGENCE_SERVICE]"),
        ("recipients", "[PROSECUTION]"),
        ("message_type", "OFFICIAL_REPORT"),
        ("categories", "[OFFICIAL_REPORT]"),
        ("fields", fields),
        ("conditions", "[]"));

    private static (CompiledPolicy? Policy, IReadOnlyList<PolicyProblem> Problems) Check(string yaml)
    {
        var (policy, problems) = PolicyLoader.Check(Encoding.UTF8.GetBytes(yaml), Source);
        Assert.True(policy is null == problems.Count > 0, "a policy is returned exactly when there are no problems");
        return (policy, problems);
    }

    private static PolicyProblem AssertSingle(string yaml, int line, string where, string message)
    {
        var (_, problems) = Check(yaml);
        Assert.True(problems.Count == 1, $"expected one problem, got {problems.Count}:\n{string.Join("\n", problems)}");
        AssertProblem(problems[0], line, where, message);
        return problems[0];
    }

    private static void AssertProblem(PolicyProblem problem, int line, string where, string message)
    {
        Assert.Equal(Source, problem.Source);
        Assert.Equal(where, problem.Where);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Line);
    }

    private static DisclosureRequest SignalToRotterdam(PartnerRole senderRole) => new()
    {
        Sender = new Partner(Oin.Parse("00000001800000001000"), "Sender", new[] { senderRole }.ToFrozenSet(), null),
        Recipient = new Partner(Oin.Parse("00000001800000008000"), "Gemeente Rotterdam", new[] { PartnerRole.Municipality }.ToFrozenSet(), "GM0599"),
        MessageType = MessageType.Signal,
        Category = DataCategory.Signal,
        Purpose = Purpose.PublicOrder,
        LegalBasis = LegalBasis.AvgArt61E,
        SubjectMunicipalities = ["GM0599"],
    };

    private sealed class NoCaseConsultations : ICaseConsultationDirectory
    {
        public static readonly NoCaseConsultations Instance = new();

        public bool IsMember(string caseConsultationId, Oin partner) => false;
    }
}
