// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Cases;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Tests.Cases;

/// <summary>What a case holds of the stored messages: latest corrections only, nothing withdrawn, nothing destroyed.</summary>
public sealed class CaseFileTests
{
    private const string Subject = "subject-a";
    private const string OtherSubject = "subject-b";
    private const string Dji = "00000001800000001000";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, IMessage?> _payloads = [];

    [Fact]
    public void Collect_CorrectedTwice_OnlyTheLatestCorrectionUnderTheOriginalsId()
    {
        var messages = new[]
        {
            Notice("n1", Subject, 0, release: 10),
            Correction("c1", "n1", Subject, 1, release: 11),
            Correction("c2", "n1", Subject, 2, release: 12),
        };

        var entry = Assert.Single(CaseFile.Collect(messages, Subject, Open));

        var notice = Assert.Single(entry.Item.Notices);
        Assert.Equal(("c2", MessageType.EndOfDetentionNoticeCorrection, "n1", "c2"), (entry.MessageId, entry.MessageType, notice.OriginalMessageId, notice.Origin.MessageId));
        Assert.Equal(Release(12), notice.Notice.ExpectedReleaseTime);
        Assert.Equal((Dji, Timestamp.FromDateTimeOffset(Start.AddHours(2))), (notice.Origin.Sender.Oin, notice.Origin.AcceptedAt));
        Assert.Equal(["GM0599", "GM0344"], entry.SubjectMunicipalities);
        Assert.Equal(DataCategory.EndOfDetentionNotice, entry.Category);
    }

    [Fact]
    public void Collect_Withdrawn_LeftOutWithItsCorrections()
    {
        var messages = new[]
        {
            Notice("n1", Subject, 0, release: 10),
            Correction("c1", "n1", Subject, 1, release: 11),
            Withdrawal("w1", "n1", Subject, 2),
            Notice("n2", Subject, 3, release: 20),
        };

        var entry = Assert.Single(CaseFile.Collect(messages, Subject, Open));

        Assert.Equal("n2", entry.MessageId);
    }

    [Fact]
    public void Collect_LatestCorrectionDestroyed_NoticeLeftOut_NotRebuiltFromAnEarlierVersion()
    {
        var messages = new[]
        {
            Notice("n1", Subject, 0, release: 10),
            Correction("c1", "n1", Subject, 1, release: 11),
            Correction("c2", "n1", Subject, 2, release: 12),
        };
        _payloads["c2"] = null;

        Assert.Empty(CaseFile.Collect(messages, Subject, Open));
    }

    [Fact]
    public void Collect_OriginalDestroyedButCorrected_TheCorrectionStands()
    {
        var messages = new[] { Notice("n1", Subject, 0, release: 10), Correction("c1", "n1", Subject, 1, release: 11) };
        _payloads["n1"] = null;

        var entry = Assert.Single(CaseFile.Collect(messages, Subject, Open));

        Assert.Equal(("c1", Release(11)), (entry.MessageId, entry.Item.Notices[0].Notice.ExpectedReleaseTime));
    }

    [Fact]
    public void Collect_CorrectionNamesAnotherSubject_TheNoticeIsThatSubjectsOnly()
    {
        var messages = new[] { Notice("n1", Subject, 0, release: 10), Correction("c1", "n1", OtherSubject, 1, release: 11) };

        Assert.Empty(CaseFile.Collect(messages, Subject, Open));
        Assert.Equal("c1", Assert.Single(CaseFile.Collect(messages, OtherSubject, Open)).MessageId);
    }

    [Fact]
    public void Collect_EveryKind_OldestFirstWithWhatDecidesJurisdiction()
    {
        var messages = new[]
        {
            Reintegration("r1", Subject, 3),
            Signal("s1", Subject, 1, "cc-rotterdam"),
            Notice("n1", Subject, 0, release: 10),
            Report("o1", Subject, 2, addressee: "00000001800000005000"),
            Correction("c1", "n1", Subject, 4, release: 11),
            Signal("s-other", OtherSubject, 5, null),
            Signal("s2", Subject, 6, null),
        };

        var entries = CaseFile.Collect(messages, Subject, Open);

        Assert.Equal(["c1", "s1", "o1", "r1", "s2"], entries.Select(e => e.MessageId));
        Assert.Equal("cc-rotterdam", entries[1].CaseConsultationId);
        Assert.Equal(["GM0599"], entries[1].SubjectMunicipalities);
        Assert.Null(entries[4].CaseConsultationId);
        Assert.Equal(("00000001800000005000", 0), (entries[2].AddresseeOin, entries[2].SubjectMunicipalities.Count));
        Assert.Equal(["GM0363"], entries[3].SubjectMunicipalities);
        Assert.Equal(["notices", "signals", "official_reports", "reintegration_data", "signals"], entries.Select(e => e.List));
        Assert.Equal("r1", Assert.Single(entries[3].Item.ReintegrationData).Origin.MessageId);
    }

    [Fact]
    public void Collect_DestroyedSignal_LeftOut()
    {
        var messages = new[] { Signal("s1", Subject, 0, null), Signal("s2", Subject, 1, null) };
        _payloads["s1"] = null;

        Assert.Equal("s2", Assert.Single(CaseFile.Collect(messages, Subject, Open)).MessageId);
    }

    private static Timestamp Release(int day) => Timestamp.FromDateTimeOffset(Start.AddDays(day));

    private IMessage? Open(StoredMessage message) => _payloads[message.MessageId];

    private StoredMessage Stored(string id, MessageType type, DataCategory category, string subject, string? original, int hour, IMessage payload)
    {
        _payloads.TryAdd(id, payload);
        return new StoredMessage(id, Dji, type, category, subject, original, Start.AddHours(hour), null);
    }

    private static EndOfDetentionNotice NoticePayload(int release) => new()
    {
        Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
        ExpectedReleaseTime = Release(release),
        Institution = new Institution { Code = "PI-VUGHT" },
        ReleaseType = ReleaseType.EndOfSentence,
        OffenceCategories = { OffenceCategory.Terrorist },
        MunicipalityOfResidence = new MunicipalityCode { Code = "GM0599" },
        PlaceOfRelease = new MunicipalityCode { Code = "GM0344" },
    };

    private StoredMessage Notice(string id, string subject, int hour, int release) =>
        Stored(id, MessageType.EndOfDetentionNotice, DataCategory.EndOfDetentionNotice, subject, null, hour, NoticePayload(release));

    private StoredMessage Correction(string id, string original, string subject, int hour, int release) =>
        Stored(id, MessageType.EndOfDetentionNoticeCorrection, DataCategory.EndOfDetentionNotice, subject, original, hour,
            new EndOfDetentionNoticeCorrection { OriginalMessageId = original, Notice = NoticePayload(release), Reason = "moved" });

    private StoredMessage Withdrawal(string id, string original, string subject, int hour) =>
        Stored(id, MessageType.EndOfDetentionNoticeWithdrawal, DataCategory.EndOfDetentionNotice, subject, original, hour,
            new EndOfDetentionNoticeWithdrawal { OriginalMessageId = original, Reason = "no release" });

    private StoredMessage Signal(string id, string subject, int hour, string? caseConsultation) =>
        Stored(id, MessageType.Signal, DataCategory.Signal, subject, null, hour, new Signal
        {
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            SignalType = SignalType.Radicalisation,
            Description = id,
            CaseConsultationId = caseConsultation ?? string.Empty,
            Municipality = new MunicipalityCode { Code = "GM0599" },
        });

    private StoredMessage Report(string id, string subject, int hour, string addressee) =>
        Stored(id, MessageType.OfficialReport, DataCategory.OfficialReport, subject, null, hour, new OfficialReport
        {
            ReferenceNumber = id,
            Recipient = new PartnerId { Oin = addressee },
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            Finding = "finding",
        });

    private StoredMessage Reintegration(string id, string subject, int hour) =>
        Stored(id, MessageType.ReintegrationData, DataCategory.ReintegrationData, subject, null, hour, new ReintegrationData
        {
            Subject = new SubjectReference { Bsn = ValidRequests.Bsn },
            Municipality = new MunicipalityCode { Code = "GM0363" },
            Housing = new BasicCondition { Status = BasicConditionStatus.Arranged },
        });
}
