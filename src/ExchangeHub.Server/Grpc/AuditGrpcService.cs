// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Storage;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Subjects;
using ExchangeHub.Server.Ledger;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// The gRPC face of the audit API. Checkpoints and proofs are open to every partner, so that both sender and
/// recipient of a disclosure can check their receipt; raw leaves are for privacy officers only. Methods not yet
/// carried out answer UNIMPLEMENTED with a reason (see ContractValidationInterceptor).
/// </summary>
internal sealed class AuditGrpcService(
    SqliteHubDatabase database,
    SqliteLedgerStore store,
    IDisclosureLog log,
    LedgerKeys keys,
    IOptions<LedgerOptions> ledgerOptions,
    LedgerProofs proofs,
    OnDemandCheckpoints checkpoints,
    WitnessRegistry witnesses,
    TimeProvider time) : AuditService.AuditServiceBase
{
    private const int MaxLeavesPerCall = 1000;

    public override async Task<GetCheckpointResponse> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        context.GetPartner();
        var latest = await checkpoints.LatestAsync(context.CancellationToken);
        var response = new GetCheckpointResponse { SignedNote = latest.Note };
        response.Cosignatures.AddRange(await store.CosignaturesAsync(latest.TreeSize, context.CancellationToken));
        return response;
    }

    public override async Task<GetInclusionProofResponse> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        context.GetPartner();
        var size = await RequireWithinCheckpointAsync(request.TreeSize, "tree_size", context);
        if (request.LeafIndex >= request.TreeSize)
        {
            throw Invalid($"leaf_index {request.LeafIndex} must be below tree_size {request.TreeSize}.");
        }

        var response = new GetInclusionProofResponse();
        response.Hashes.AddRange((await proofs.InclusionProofAsync((long)request.LeafIndex, size, context.CancellationToken)).Select(ByteString.CopyFrom));
        return response;
    }

    public override async Task<GetConsistencyProofResponse> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        context.GetPartner();
        var second = await RequireWithinCheckpointAsync(request.SecondSize, "second_size", context);
        if (request.FirstSize < 1 || request.FirstSize > request.SecondSize)
        {
            throw Invalid($"first_size {request.FirstSize} must be at least 1 and at most second_size {request.SecondSize}.");
        }

        var response = new GetConsistencyProofResponse();
        response.Hashes.AddRange((await proofs.ConsistencyProofAsync((long)request.FirstSize, second, context.CancellationToken)).Select(ByteString.CopyFrom));
        return response;
    }

    public override async Task<GetSubjectReportResponse> GetSubjectReport(GetSubjectReportRequest request, ServerCallContext context)
    {
        var officer = RequirePrivacyOfficer(request.Grounds, "GetSubjectReport", context);
        var pseudonym = keys.Pseudonymizer.Pseudonymize(Bsn.Parse(request.Bsn));
        var records = await store.DisclosuresAboutAsync(pseudonym, request.PeriodStart?.ToDateTimeOffset(), request.PeriodEnd?.ToDateTimeOffset(), context.CancellationToken);
        var response = new GetSubjectReportResponse { SubjectPseudonym = pseudonym };
        response.Records.AddRange(records);

        // The report discloses a person's history to the privacy officer, so it is itself a disclosure and is
        // logged like one, durably, before the officer receives it.
        response.LogSequence = await log.AppendAsync((context, _) =>
        {
            response.GeneratedAt = Timestamp.FromDateTimeOffset(context.Now);
            var record = new DisclosureRecord
            {
                RecordedAt = response.GeneratedAt,
                Sender = ledgerOptions.Value.HubOin is { } hub ? new PartnerId { Oin = hub } : null,
                Recipient = new PartnerId { Oin = officer.Oin.Value },
                RecipientRole = PartnerRole.PrivacyOfficer,
                MessageType = MessageType.SubjectAccessReport,
                MessageId = Guid.NewGuid().ToString("D"),
                Purpose = request.Grounds.Purpose,
                LegalBasis = request.Grounds.LegalBasis,
                Decision = DisclosureDecision.Allowed,
                Reason = $"Access report (AVG art. 15) of {records.Count} disclosure record(s) to privacy officer {officer}.",
                DisclosedFields = { "records" },
                PayloadSha256 = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(response.ToByteArray())),
                SubjectPseudonym = pseudonym,
            };
            record.DataProviders.AddRange(records.Select(r => r.Sender).Where(s => s is not null).DistinctBy(s => s.Oin));
            return Task.FromResult(context.Append(new LogEntry { Disclosure = record }));
        });
        return response;
    }

    public override async Task<ListAlarmsResponse> ListAlarms(ListAlarmsRequest request, ServerCallContext context)
    {
        // A privacy officer sees every alarm; a partner those about messages it sent or should have received.
        var partner = context.GetPartner();
        if (request.PageSize > 500)
        {
            throw Invalid($"page_size {request.PageSize} is above 500.");
        }

        var offset = 0;
        if (request.PageToken.Length > 0 && !int.TryParse(request.PageToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset))
        {
            throw Invalid($"page_token '{request.PageToken}' was not issued by this hub.");
        }

        var limit = request.PageSize == 0 ? 100 : (int)request.PageSize;
        await using var connection = await database.OpenAsync(context.CancellationToken);
        var alarms = await Alarms.ListAsync(connection, partner.HasRole(PartnerRole.PrivacyOfficer) ? null : partner.Oin.Value, request.States, request.Kinds, offset, limit, context.CancellationToken);
        var response = new ListAlarmsResponse();
        response.Alarms.AddRange(alarms);
        response.NextPageToken = alarms.Count == limit ? (offset + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return response;
    }

    public override async Task<GetLeavesResponse> GetLeaves(GetLeavesRequest request, ServerCallContext context)
    {
        var partner = context.GetPartner();
        var auditor = partner.HasRole(PartnerRole.PrivacyOfficer) && request.Grounds.Purpose == Purpose.PrivacyAudit;
        var end = await RequireWithinCheckpointAsync(request.End, "end", context);
        if (request.Start >= request.End)
        {
            throw Invalid($"end {request.End} must be greater than start {request.Start}.");
        }

        var leaves = await store.ReadLeavesAsync((long)request.Start, Math.Min(end, (long)request.Start + MaxLeavesPerCall), context.CancellationToken);
        if (!auditor && !leaves.All(leaf => IsPartyTo(leaf, partner)))
        {
            // A receipt is a party's own record; everything else is for privacy officers.
            throw new RpcException(new Status(StatusCode.PermissionDenied, HubErrors.PrivacyOfficerOnly.Format("GetLeaves beyond your own disclosure records", partner)));
        }

        var response = new GetLeavesResponse();
        response.Leaves.AddRange(leaves.Select(ByteString.CopyFrom));
        return response;
    }

    public override async Task<AddCosignatureResponse> AddCosignature(AddCosignatureRequest request, ServerCallContext context)
    {
        context.GetPartner();
        Checkpoint checkpoint;
        try
        {
            checkpoint = checkpoints.Open(request.SignedNote);
        }
        catch (CheckpointException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, HubErrors.UnknownCheckpoint.Format(ex.Message)));
        }

        var stored = await store.CheckpointAsync(checkpoint.Size, context.CancellationToken);
        if (stored is null || !stored.RootHash.AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, HubErrors.UnknownCheckpoint.Format($"no stored checkpoint of size {checkpoint.Size} has this root")));
        }

        NoteSignature line;
        try
        {
            line = NoteSignature.ParseLine(request.Cosignature.EndsWith('\n') ? request.Cosignature : request.Cosignature + "\n");
        }
        catch (FormatException ex)
        {
            throw Invalid($"cosignature is not a signature line: {ex.Message}");
        }

        var key = witnesses.Find(line.Name, line.KeyHash)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, HubErrors.UnknownWitness.Format(line.Name, line.KeyHash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture))));
        if (!Cosignatures.Verify(checkpoint.Format(), line, key, out _))
        {
            throw Invalid(HubErrors.BadCosignature.Format(line.Name));
        }

        var count = await store.UpsertCosignatureAsync(checkpoint.Size, key.Format(), line.FormatLine().TrimEnd('\n'), time.GetUtcNow(), context.CancellationToken);
        return new AddCosignatureResponse { CosignatureCount = (uint)count };
    }

    private static bool IsPartyTo(byte[] leaf, Partner partner)
    {
        var entry = LogEntryCodec.Decode(leaf);
        return entry.EntryCase == LogEntry.EntryOneofCase.Disclosure
            && (entry.Disclosure.Sender?.Oin == partner.Oin.Value || entry.Disclosure.Recipient?.Oin == partner.Oin.Value);
    }

    private static Partner RequirePrivacyOfficer(ProcessingGrounds grounds, string operation, ServerCallContext context)
    {
        var partner = context.GetPartner();
        if (!partner.HasRole(PartnerRole.PrivacyOfficer) || grounds.Purpose != Purpose.PrivacyAudit)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, HubErrors.PrivacyOfficerOnly.Format(operation, partner)));
        }

        return partner;
    }

    private async Task<long> RequireWithinCheckpointAsync(ulong size, string field, ServerCallContext context)
    {
        var latest = await checkpoints.LatestAsync(context.CancellationToken);
        if (size > (ulong)latest.TreeSize)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, HubErrors.BeyondCheckpoint.Format($"{field} {size}", latest.TreeSize)));
        }

        return (long)size;
    }

    private static RpcException Invalid(string reason) =>
        new(new Status(StatusCode.InvalidArgument, HubErrors.InvalidProofRequest.Format(reason)));
}
