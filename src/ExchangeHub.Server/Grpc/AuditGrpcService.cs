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
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// The gRPC face of the audit API. Checkpoints and proofs are open to every partner, so that both sender and
/// recipient of a disclosure can check their receipt; raw leaves beyond a partner's own records, searches, figures,
/// exports and per-person reports are for privacy officers only (<see cref="PrivacyOfficerAccess"/>). What a privacy
/// officer reads of the records is logged (<see cref="AuditReadLog"/>) before it is returned.
/// </summary>
internal sealed class AuditGrpcService(
    SqliteHubDatabase database,
    SqliteLedgerStore store,
    LedgerKeys keys,
    DisclosureSearch search,
    AuditReadLog readLog,
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

    public override async Task<ListDisclosuresResponse> ListDisclosures(ListDisclosuresRequest request, ServerCallContext context)
    {
        var officer = RequirePrivacyOfficer(request.Grounds, "ListDisclosures", context);
        var query = DisclosureQuery.FromFilter(request.Filter, keys.Pseudonymizer);
        var page = await search.ListAsync(query, (int)Math.Min(request.PageSize, int.MaxValue), request.PageToken, context.CancellationToken);
        var response = new ListDisclosuresResponse { NextPageToken = page.NextPageToken ?? string.Empty, LogSize = (ulong)page.LogSize };
        response.Records.AddRange(page.Records);

        // A listing is logged once, at its first page; the token (which only the hub can make) carries the later
        // pages of the same listing, so no page is read without the listing being in the log.
        if (page.IsFirstPage)
        {
            await readLog.RecordAsync(
                new AuditRead(officer, request.Grounds, MessageType.DisclosureListing, $"Listing of disclosure records ({query}) in the first {page.LogSize} leaves to privacy officer {officer}; first page of {page.Records.Count} record(s).")
                {
                    SubjectPseudonym = query.SubjectPseudonym,
                    PayloadSha256 = _ => System.Security.Cryptography.SHA256.HashData(response.ToByteArray()),
                },
                context.CancellationToken);
        }

        return response;
    }

    public override async Task<CountDisclosuresResponse> CountDisclosures(CountDisclosuresRequest request, ServerCallContext context)
    {
        // Figures hold no personal data: the role suffices, no grounds, nothing logged.
        RequirePrivacyOfficer(null, "CountDisclosures", context);
        var query = DisclosureQuery.FromFilter(request.Filter, keys.Pseudonymizer);
        var counts = await search.CountAsync(query, request.GroupBy, context.CancellationToken);
        var response = new CountDisclosuresResponse { Total = (ulong)counts.Total, LogSize = (ulong)counts.LogSize };
        response.Buckets.AddRange(counts.Buckets);
        return response;
    }

    public override async Task ExportDisclosures(ExportDisclosuresRequest request, IServerStreamWriter<ExportDisclosuresResponse> responseStream, ServerCallContext context)
    {
        var officer = RequirePrivacyOfficer(request.Grounds, "ExportDisclosures", context);
        var query = DisclosureQuery.FromFilter(request.Filter, keys.Pseudonymizer);
        var logSize = await search.LogSizeAsync(context.CancellationToken);

        // Logged before the first byte leaves; what the file holds is fixed by the query and the snapshot.
        await readLog.RecordAsync(
            new AuditRead(officer, request.Grounds, MessageType.DisclosureExport, $"Export ({(request.Format == ExportFormat.Csv ? "CSV" : "JSON Lines")}) of disclosure records ({query}) in the first {logSize} leaves to privacy officer {officer}.")
            {
                SubjectPseudonym = query.SubjectPseudonym,
                DisclosedFields = ["chunk"],
            },
            context.CancellationToken);
        await using var chunks = new ExportChunkStream(responseStream);
        await DisclosureExport.WriteAsync(search.ReadAsync(query, logSize, -1, context.CancellationToken), request.Format, chunks, context.CancellationToken);
        await chunks.CompleteAsync(context.CancellationToken);
    }

    public override async Task<GetSubjectReportResponse> GetSubjectReport(GetSubjectReportRequest request, ServerCallContext context)
    {
        var officer = RequirePrivacyOfficer(request.Grounds, "GetSubjectReport", context);
        var pseudonym = keys.Pseudonymizer.Pseudonymize(Bsn.Parse(request.Bsn));
        var records = await store.DisclosuresAboutAsync(pseudonym, request.PeriodStart?.ToDateTimeOffset(), request.PeriodEnd?.ToDateTimeOffset(), context.CancellationToken);
        var response = new GetSubjectReportResponse { SubjectPseudonym = pseudonym };
        response.Records.AddRange(records);

        // The report discloses a person's history to the privacy officer, so it is itself a disclosure and is
        // logged like one, durably, before the officer receives it; it carries the time of that log commit.
        response.LogSequence = await readLog.RecordAsync(
            new AuditRead(officer, request.Grounds, MessageType.SubjectAccessReport, $"Access report (AVG art. 15) of {records.Count} disclosure record(s) to privacy officer {officer}.")
            {
                SubjectPseudonym = pseudonym,
                DataProviders = [.. records.Select(r => r.Sender).Where(s => s is not null).DistinctBy(s => s.Oin)],
                PayloadSha256 = now =>
                {
                    response.GeneratedAt = Timestamp.FromDateTimeOffset(now);
                    return System.Security.Cryptography.SHA256.HashData(response.ToByteArray());
                },
            },
            context.CancellationToken);
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
        var auditor = PrivacyOfficerAccess.MayReadRecords(partner, request.Grounds);
        var end = await RequireWithinCheckpointAsync(request.End, "end", context);
        if (request.Start >= request.End)
        {
            throw Invalid($"end {request.End} must be greater than start {request.Start}.");
        }

        var leaves = await store.ReadLeavesAsync((long)request.Start, Math.Min(end, (long)request.Start + MaxLeavesPerCall), context.CancellationToken);
        if (!auditor && !leaves.All(leaf => IsPartyTo(leaf, partner)))
        {
            // A receipt is a party's own record; everything else is for privacy officers.
            HubRpcExceptions.ThrowPrivacyOfficerOnly("GetLeaves beyond your own disclosure records", partner);
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

    /// <summary>
    /// The calling privacy officer, or PERMISSION_DENIED (EH1007, with ErrorInfo). With <paramref name="grounds"/>
    /// (operations that return records) the purpose must be PRIVACY_AUDIT too; without (figures) the role suffices.
    /// </summary>
    private static Partner RequirePrivacyOfficer(ProcessingGrounds? grounds, string operation, ServerCallContext context)
    {
        var partner = context.GetPartner();
        if (!(grounds is null ? PrivacyOfficerAccess.MayReadFigures(partner) : PrivacyOfficerAccess.MayReadRecords(partner, grounds)))
        {
            HubRpcExceptions.ThrowPrivacyOfficerOnly(operation, partner);
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
