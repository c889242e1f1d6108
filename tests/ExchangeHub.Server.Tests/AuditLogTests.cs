// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ExchangeHub.Server.Tests;

/// <summary>The disclosure log through the audit API: signed checkpoints, proofs, leaves and cosignatures.</summary>
[Collection(SharedHubDefinition.Name)]
public sealed class AuditLogTests(HubTestServer hub)
{
    [Fact]
    public async Task Proofs_AnyPartner_VerifyAgainstSignedCheckpoints()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);
        var audit = new AuditService.AuditServiceClient(channel);
        var keys = hub.Service<LedgerKeys>();
        await AppendAsync(3);
        var first = keys.Open((await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote);
        await AppendAsync(5);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // on-demand checkpoints come at most once a second
        var second = keys.Open((await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote);
        Assert.True(second.Size >= first.Size + 5);

        var consistency = await audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = (ulong)first.Size, SecondSize = (ulong)second.Size });
        Assert.True(MerkleVerifier.VerifyConsistency(first.Size, second.Size, first.RootHash, second.RootHash, consistency.Hashes.Select(h => h.ToByteArray()).ToList()));

        using var officerChannel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var leaves = await new AuditService.AuditServiceClient(officerChannel).GetLeavesAsync(new GetLeavesRequest
        {
            Grounds = new ProcessingGrounds { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C },
            Start = 0,
            End = (ulong)second.Size,
        });
        Assert.Equal(second.Size, leaves.Leaves.Count);
        for (var i = 0; i < second.Size; i++)
        {
            var inclusion = await audit.GetInclusionProofAsync(new GetInclusionProofRequest { LeafIndex = (ulong)i, TreeSize = (ulong)second.Size });
            var leafHash = MerkleHash.HashLeaf(leaves.Leaves[i].Span);
            Assert.True(MerkleVerifier.VerifyInclusion(i, second.Size, leafHash, inclusion.Hashes.Select(h => h.ToByteArray()).ToList(), second.RootHash), $"leaf {i}");
        }
    }

    [Fact]
    public async Task GetInclusionProof_BeyondTheLatestCheckpoint_OutOfRange()
    {
        using var channel = hub.CreateChannel(hub.Pki.Dji);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(channel)
            .GetInclusionProofAsync(new GetInclusionProofRequest { LeafIndex = 0, TreeSize = 1_000_000 }).ResponseAsync);

        Assert.Equal(StatusCode.OutOfRange, ex.StatusCode);
        Assert.StartsWith("EH4010: tree_size 1000000 is beyond the latest signed checkpoint", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLeaves_PartnerOwnRecord_ReceiptProvable_OthersRecordsDenied()
    {
        var log = hub.Service<IDisclosureLog>();
        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(ExchangeHub.Core.Subjects.Bsn.Parse("111222333"));
        var sequence = await log.AppendAsync((context, _) => Task.FromResult(context.Append(Disclosure(context.Now, pseudonym, DisclosureDecision.Allowed))));
        var redaction = await log.AppendAsync((context, _) => Task.FromResult(context.Append(new LogEntry
        {
            Redaction = new RedactionRecord { RecordedAt = Timestamp.FromDateTimeOffset(context.Now), MessageId = "not-yours", RuleId = "test", Reason = "test entry" },
        })));
        await hub.Service<CheckpointPublisher>().PublishAsync(CancellationToken.None);
        var grounds = new ProcessingGrounds { Purpose = Purpose.ReleasePreparation, LegalBasis = LegalBasis.AvgArt61E };

        // The recipient (Rotterdam) gets its record, its proof and the checkpoint: a receipt it can check alone.
        using var rotterdam = hub.CreateChannel(hub.Pki.Rotterdam);
        var audit = new AuditService.AuditServiceClient(rotterdam);
        var checkpoint = hub.Service<LedgerKeys>().Open((await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote);
        var leaf = (await audit.GetLeavesAsync(new GetLeavesRequest { Grounds = grounds, Start = sequence, End = sequence + 1 })).Leaves.Single();
        var proof = await audit.GetInclusionProofAsync(new GetInclusionProofRequest { LeafIndex = sequence, TreeSize = (ulong)checkpoint.Size });
        Assert.True(MerkleVerifier.VerifyInclusion((long)sequence, checkpoint.Size, MerkleHash.HashLeaf(leaf.Span), proof.Hashes.Select(h => h.ToByteArray()).ToList(), checkpoint.RootHash));
        Assert.Equal(TestPki.RotterdamOin, LogEntryCodec.Decode(leaf.Span).Disclosure.Recipient.Oin);

        var ex = await Assert.ThrowsAsync<RpcException>(() => audit.GetLeavesAsync(new GetLeavesRequest { Grounds = grounds, Start = redaction, End = redaction + 1 }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("EH1007: GetLeaves beyond your own disclosure records is for privacy officers", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCosignature_ConfiguredWitness_StoredAndServed_UnknownWitnessRefused()
    {
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        await AppendAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var note = (await audit.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote;
        var checkpoint = hub.Service<LedgerKeys>().Open(note);
        var line = Cosignatures.Cosign(checkpoint, hub.Witness, DateTimeOffset.UtcNow).FormatLine();
        using var stranger = NoteSigner.Generate("stranger.example/fg");

        var added = await audit.AddCosignatureAsync(new AddCosignatureRequest { SignedNote = note, Cosignature = line });
        var again = await audit.AddCosignatureAsync(new AddCosignatureRequest { SignedNote = note, Cosignature = line });
        var refused = await Assert.ThrowsAsync<RpcException>(() => audit.AddCosignatureAsync(new AddCosignatureRequest
        {
            SignedNote = note,
            Cosignature = Cosignatures.Cosign(checkpoint, stranger, DateTimeOffset.UtcNow).FormatLine(),
        }).ResponseAsync);

        Assert.Equal(1u, added.CosignatureCount);
        Assert.Equal(1u, again.CosignatureCount);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var served = await audit.GetCheckpointAsync(new GetCheckpointRequest());
        if (served.SignedNote == note)
        {
            Assert.Equal(line.TrimEnd('\n'), Assert.Single(served.Cosignatures));
        }
    }

    [Fact]
    public async Task GetSubjectReport_PrivacyOfficer_ListsThePersonsDisclosuresAndLogsTheReport()
    {
        var keys = hub.Service<LedgerKeys>();
        var pseudonym = keys.Pseudonymizer.Pseudonymize(ExchangeHub.Core.Subjects.Bsn.Parse("123456782"));
        var other = keys.Pseudonymizer.Pseudonymize(ExchangeHub.Core.Subjects.Bsn.Parse("111222333"));
        var log = hub.Service<IDisclosureLog>();
        var mine = await log.AppendAsync((context, _) => Task.FromResult(new[]
        {
            context.Append(Disclosure(context.Now, pseudonym, DisclosureDecision.Allowed)),
            context.Append(Disclosure(context.Now, other, DisclosureDecision.Allowed)),
            context.Append(Disclosure(context.Now, pseudonym, DisclosureDecision.Denied)),
        }));
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        var report = await new AuditService.AuditServiceClient(channel).GetSubjectReportAsync(new GetSubjectReportRequest
        {
            Grounds = new ProcessingGrounds { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C },
            Bsn = "123456782",
        });

        Assert.Equal(pseudonym, report.SubjectPseudonym);
        Assert.Equal([mine[0], mine[2]], report.Records.Select(r => r.Sequence));
        Assert.Equal([DisclosureDecision.Allowed, DisclosureDecision.Denied], report.Records.Select(r => r.Decision));
        var logged = (await hub.Service<SqliteLedgerStore>().DisclosuresAboutAsync(pseudonym, null, null, CancellationToken.None))[^1];
        Assert.Equal(report.LogSequence, logged.Sequence);
        Assert.Equal(MessageType.SubjectAccessReport, logged.MessageType);
        Assert.Equal(TestPki.PrivacyOfficerOin, logged.Recipient.Oin);
    }

    [Fact]
    public async Task GetSubjectReport_NotAPrivacyOfficer_PermissionDeniedAndNothingLogged()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);
        var pseudonym = hub.Service<LedgerKeys>().Pseudonymizer.Pseudonymize(ExchangeHub.Core.Subjects.Bsn.Parse("100000009"));
        var store = hub.Service<SqliteLedgerStore>();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(channel).GetSubjectReportAsync(new GetSubjectReportRequest
        {
            Grounds = new ProcessingGrounds { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C },
            Bsn = "100000009",
        }).ResponseAsync);

        // No report about this person was logged (the log itself may grow meanwhile: alarms are messages too).
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Empty(await store.DisclosuresAboutAsync(pseudonym, null, null, CancellationToken.None));
    }

    private static LogEntry Disclosure(DateTimeOffset at, string subjectPseudonym, DisclosureDecision decision) => new()
    {
        Disclosure = new DisclosureRecord
        {
            RecordedAt = Timestamp.FromDateTimeOffset(at),
            Sender = new PartnerId { Oin = TestPki.DjiOin },
            Recipient = new PartnerId { Oin = TestPki.RotterdamOin },
            MessageType = MessageType.EndOfDetentionNotice,
            Category = DataCategory.EndOfDetentionNotice,
            MessageId = Guid.NewGuid().ToString("D"),
            Purpose = Purpose.ReleasePreparation,
            LegalBasis = LegalBasis.AvgArt61E,
            Decision = decision,
            SubjectPseudonym = subjectPseudonym,
        },
    };

    private async Task AppendAsync(int count)
    {
        var log = hub.Service<IDisclosureLog>();
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync((context, _) => Task.FromResult(context.Append(new LogEntry
            {
                Redaction = new RedactionRecord { RecordedAt = Timestamp.FromDateTimeOffset(context.Now), MessageId = $"test-{Guid.NewGuid():N}", RuleId = "test", Reason = "test entry" },
            })));
        }
    }
}
