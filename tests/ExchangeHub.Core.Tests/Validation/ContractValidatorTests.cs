// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Validation;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Tests.Validation;

public sealed class ContractValidatorTests
{
    [Fact]
    public void Validate_ValidNotice_NoViolations()
    {
        Assert.Empty(ContractValidator.Validate(ValidRequests.EndOfDetentionNotice()));
    }

    [Fact]
    public void Validate_UnspecifiedEnum_NamesFieldAndEnum()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.ReleaseType = ReleaseType.Unspecified;

        var violation = Assert.Single(ContractValidator.Validate(request));

        Assert.Equal("notice.release_type", violation.Field);
        Assert.Equal("RELEASE_TYPE_UNSPECIFIED is not a value; choose one of the defined ReleaseType values", violation.Description);
    }

    [Fact]
    public void Validate_UndefinedEnumNumber_FailsClosed()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Grounds[0].LegalBasis = (LegalBasis)4242;

        var violation = Assert.Single(ContractValidator.Validate(request));

        Assert.Equal("grounds[0].legal_basis", violation.Field);
        Assert.Equal("4242 is not a LegalBasis value this hub knows", violation.Description);
    }

    [Fact]
    public void Validate_UnspecifiedInRepeatedEnum_NamesTheElement()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.OffenceCategories.Add(OffenceCategory.Unspecified);

        var violation = Assert.Single(ContractValidator.Validate(request));

        Assert.Equal("notice.offence_categories[1]", violation.Field);
    }

    [Fact]
    public void Validate_EveryEnumInEveryRequest_RejectsItsZeroValue()
    {
        // Walks the whole v1 surface: for each request message, each enum field reachable through message
        // fields gets its zero value in an otherwise empty request, and the validator must name that path.
        var checkedFields = 0;
        foreach (var method in ExchangeHubServices().SelectMany(s => s.Methods))
        {
            foreach (var (path, field) in EnumPaths(method.InputType, string.Empty, 0))
            {
                var request = method.InputType.Parser.ParseFrom([]);
                var target = Navigate(request, path, out var last);
                if (field.IsRepeated)
                {
                    ((System.Collections.IList)field.Accessor.GetValue(target)).Add(System.Enum.ToObject(field.EnumType.ClrType, 0));
                    last += "[0]";
                }
                else
                {
                    field.Accessor.SetValue(target, System.Enum.ToObject(field.EnumType.ClrType, 0));
                }

                var violations = ContractValidator.Validate(request);

                Assert.Contains(violations, v => v.Field == last && v.Description.StartsWith(field.EnumType.Values[0].Name, StringComparison.Ordinal));
                checkedFields++;
            }
        }

        Assert.True(checkedFields > 40, $"only {checkedFields} enum fields were reached; the walk is broken");
    }

    [Fact]
    public void Validate_EmptyRequest_ListsEveryRequiredTopLevelField()
    {
        var violations = ContractValidator.Validate(new SubmitEndOfDetentionNoticeRequest());

        Assert.Equal(
            ["context: is required", "grounds: at least one value is required", "notice: is required"],
            violations.Select(v => v.ToString()));
    }

    [Fact]
    public void Validate_EmptyRequiredStringAndMissingMessage_Reported()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Context.IdempotencyKey = string.Empty;
        request.Notice.ExpectedReleaseTime = null;
        request.Notice.OffenceCategories.Clear();

        Assert.Equal(
            ["context.idempotency_key: is required", "notice.expected_release_time: is required", "notice.offence_categories: at least one value is required"],
            ContractValidator.Validate(request).Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("111222334", "this number fails the eleven-test (elfproef), so it is not a BSN; check for a typing error")]
    [InlineData("11122233", "this number fails the eleven-test (elfproef), so it is not a BSN; check for a typing error")]
    [InlineData("11122233a", "a BSN consists of digits only")]
    public void Validate_SubjectBsnFailingElevenTest_Rejected(string bsn, string expected)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.Subject.Bsn = bsn;

        var violation = Assert.Single(ContractValidator.Validate(request));

        Assert.Equal(new FieldViolation("notice.subject.bsn", expected), violation);
    }

    [Fact]
    public void Validate_SubjectWithoutBsnOrPseudonym_ExactlyOneRequired()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.Subject = new SubjectReference();

        Assert.Equal(
            new FieldViolation("notice.subject.subject", "exactly one of bsn, pseudonym is required"),
            Assert.Single(ContractValidator.Validate(request)));
    }

    [Theory]
    [InlineData("abcdefghijklmnop", true)]
    [InlineData("chain_pseudonym-0123456789", true)]
    [InlineData("too-short", false)]
    [InlineData("has spaces in it ok?", false)]
    public void Validate_SubjectPseudonym_FormChecked(string pseudonym, bool valid)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.Subject = new SubjectReference { Pseudonym = pseudonym };

        Assert.Equal(valid, ContractValidator.Validate(request).Count == 0);
    }

    [Theory]
    [InlineData("0000000180000000100")]
    [InlineData("0000000180000000100X")]
    [InlineData("00000000000000000000")]
    public void Validate_RecipientOinMalformed_NamesTheRecipient(string oin)
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.MandatoryRecipients.Add(new PartnerId { Oin = "00000001800000002000" });
        request.Notice.MandatoryRecipients.Add(new PartnerId { Oin = oin });

        Assert.Equal("notice.mandatory_recipients[1].oin", Assert.Single(ContractValidator.Validate(request)).Field);
    }

    [Fact]
    public void Validate_BsnFieldOutsideSubjectReference_AlsoElevenTested()
    {
        var request = new GetSubjectReportRequest
        {
            Grounds = new ProcessingGrounds { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C },
            Bsn = "123456789",
        };

        Assert.Equal("bsn", Assert.Single(ContractValidator.Validate(request)).Field);
    }

    [Fact]
    public void Validate_MunicipalityCodeMalformed_Rejected()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.MunicipalityOfResidence.Code = "0599";

        Assert.Equal("notice.municipality_of_residence.code", Assert.Single(ContractValidator.Validate(request)).Field);
    }

    [Fact]
    public void Validate_TimestampOutOfRange_Rejected()
    {
        var request = ValidRequests.EndOfDetentionNotice();
        request.Notice.ExpectedReleaseTime = new Timestamp { Seconds = 1, Nanos = -1 };

        Assert.Equal("notice.expected_release_time", Assert.Single(ContractValidator.Validate(request)).Field);
    }

    [Fact]
    public void Validate_RequestWithoutRequiredFields_NoViolations()
    {
        Assert.Empty(ContractValidator.Validate(new GetCheckpointRequest()));
    }

    private static IEnumerable<ServiceDescriptor> ExchangeHubServices() =>
        new[] { CommonReflection.Descriptor, NoticesReflection.Descriptor, SignalsReflection.Descriptor, ReportsReflection.Descriptor, InboxReflection.Descriptor, CasesReflection.Descriptor, AuditReflection.Descriptor }
            .SelectMany(f => f.Services);

    private static IEnumerable<(string Path, FieldDescriptor Field)> EnumPaths(MessageDescriptor message, string prefix, int depth)
    {
        if (depth > 4)
        {
            yield break;
        }

        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (field.IsMap || field.RealContainingOneof is not null)
            {
                continue;
            }

            if (field.FieldType == FieldType.Enum)
            {
                yield return (prefix + field.Name, field);
            }
            else if (field.FieldType == FieldType.Message && !field.IsRepeated && field.MessageType.File.Package == "exchangehub.v1")
            {
                foreach (var nested in EnumPaths(field.MessageType, prefix + field.Name + ".", depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static Google.Protobuf.IMessage Navigate(Google.Protobuf.IMessage root, string path, out string fullPath)
    {
        fullPath = path;
        var parts = path.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            var field = current.Descriptor.FindFieldByName(part);
            var child = (Google.Protobuf.IMessage?)field.Accessor.GetValue(current);
            if (child is null)
            {
                child = (Google.Protobuf.IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                field.Accessor.SetValue(current, child);
            }

            current = child;
        }

        return current;
    }
}
