// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;
using Google.Protobuf.Reflection;
using Xunit.Sdk;

namespace ExchangeHub.Core.Tests.Policy;

public sealed class FieldSetTests
{
    [Theory]
    [InlineData("subject", "subject.bsn")]
    [InlineData("subject.bsn", "subject")]
    public void TryCreate_ParentAndChildPath_KeepsOnlyTheParent(string first, string second)
    {
        var set = Create(Signal.Descriptor, first, second);

        Assert.Equal(["subject"], set.Paths);
        Assert.True(set.Covers("subject"));
        Assert.True(set.Covers("subject.bsn"));
        Assert.True(set.Covers("subject.pseudonym"));
        Assert.False(set.Covers("description"));
    }

    [Fact]
    public void TryCreate_SeveralPaths_SortedWithoutDuplicates()
    {
        var set = Create(EndOfDetentionNoticeCorrection.Descriptor, "reason", "notice.subject", "notice.institution.code", "notice.subject", "original_message_id");

        Assert.Equal(["notice.institution.code", "notice.subject", "original_message_id", "reason"], set.Paths);
    }

    [Fact]
    public void Covers_MessageOfWhichOnlyAPartIsAllowed_IsNotCovered()
    {
        var set = Create(EndOfDetentionNoticeCorrection.Descriptor, "notice.subject", "reason");

        Assert.True(set.Covers("notice.subject"));
        Assert.True(set.Covers("notice.subject.bsn"));
        Assert.True(set.Covers("reason"));
        Assert.False(set.Covers("notice.handover_remarks"));
        Assert.False(set.Covers("original_message_id"));
        Assert.False(set.Covers("notice"));
        Assert.False(set.Covers("no_such_field"));
    }

    [Theory]
    [InlineData("subject", "subject.bsn.digits")]
    [InlineData("subject.bsn.digits", "subject")]
    public void TryCreate_PathThroughAScalarBelowAWholeField_ReportedInAnyOrder(string first, string second)
    {
        var problems = new List<string>();

        var set = FieldSet.TryCreate(Signal.Descriptor, [first, second], problems);

        Assert.Null(set);
        Assert.Equal(["field 'subject.bsn.digits': 'bsn' in exchangehub.v1.SubjectReference is not a message, so it has no field 'digits'"], problems);
    }

    [Fact]
    public void Apply_RepeatedNestedMessage_StripsInsideEveryElement()
    {
        string[] allowed = ["signals.signal.subject", "signals.signal.signal_type", "signals.origin.message_id", "rule_id"];
        var set = Create(CaseView.Descriptor, allowed);
        var view = (CaseView)Payloads.Full(CaseView.Descriptor);
        Payloads.AssertEveryFieldSet(view);
        Assert.Equal(2, view.Signals.Count);

        var disclosed = (CaseView)set.Apply(view);

        Payloads.AssertMinimised(view, disclosed, allowed);
        Assert.Equal(2, disclosed.Signals.Count);
        Assert.All(disclosed.Signals, s =>
        {
            Assert.Equal(new Signal { Subject = s.Signal.Subject, SignalType = s.Signal.SignalType }, s.Signal);
            Assert.Equal(new CaseEntryOrigin { MessageId = s.Origin.MessageId }, s.Origin);
            Assert.NotEmpty(s.Origin.MessageId);
        });
        Assert.Empty(disclosed.Notices);
        Assert.Null(disclosed.Subject);
    }

    [Fact]
    public void Apply_LeavesTheInputUntouched()
    {
        var set = Create(Signal.Descriptor, "subject");
        var signal = (Signal)Payloads.Full(Signal.Descriptor);

        var disclosed = set.Apply(signal);

        Assert.NotSame(signal, disclosed);
        Assert.Equal(Payloads.Full(Signal.Descriptor), signal);
        Assert.Equal(new Signal { Subject = signal.Subject }, disclosed);
    }

    [Fact]
    public void Apply_MessageOfAnotherType_Throws()
    {
        var set = Create(Signal.Descriptor, "subject");

        var ex = Assert.Throws<ArgumentException>(() => set.Apply(Payloads.Full(EndOfDetentionNotice.Descriptor)));

        Assert.StartsWith("This field set is for exchangehub.v1.Signal, not exchangehub.v1.EndOfDetentionNotice.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertMinimised_CopyThatKeptAField_Fails()
    {
        // The scenario tests rely on this walker; it must notice a field that should have been stripped.
        var signal = Payloads.Full(Signal.Descriptor);
        var leaky = (Signal)Create(Signal.Descriptor, "subject", "description").Apply(signal);

        Assert.Throws<FalseException>(() => Payloads.AssertMinimised(signal, leaky, ["subject"]));
        Assert.Throws<TrueException>(() => Payloads.AssertMinimised(signal, leaky, ["subject", "description", "municipality"]));
    }

    private static FieldSet Create(MessageDescriptor descriptor, params string[] paths)
    {
        var problems = new List<string>();
        var set = FieldSet.TryCreate(descriptor, paths, problems);
        Assert.Empty(problems);
        return set!;
    }
}
