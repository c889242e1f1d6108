// This file is part of ExchangeHub.

using System.Runtime.CompilerServices;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Core.Ledger.Verification;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// The hub's audit API as a log source: the latest checkpoint and the raw leaves, fetched in pages of at most
/// 1000. It offers no stored hashes: everything is recomputed here, which is the point.
/// </summary>
internal sealed class RemoteLogSource(AuditService.AuditServiceClient audit) : ILogSource
{
    private static readonly ProcessingGrounds AuditGrounds = new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };
    private string? _note;

    public bool HasStoredHashes => false;

    public async Task<IReadOnlyList<string>> CheckpointNotesAsync(CancellationToken cancellationToken) =>
        [await NoteAsync(cancellationToken)];

    public async Task<long> LeafCountAsync(CancellationToken cancellationToken)
    {
        // Unverified here on purpose: the verifier checks the signature before it trusts this number.
        var note = SignedNote.Parse(await NoteAsync(cancellationToken));
        return Checkpoint.Parse(note.Text).Size;
    }

    public async IAsyncEnumerable<SourceLeaf> ReadLeavesAsync(long start, long endExclusive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = start;
        while (next < endExclusive)
        {
            var page = await audit.GetLeavesAsync(new GetLeavesRequest { Grounds = AuditGrounds, Start = (ulong)next, End = (ulong)endExclusive }, cancellationToken: cancellationToken);
            if (page.Leaves.Count == 0)
            {
                yield break;
            }

            foreach (var leaf in page.Leaves)
            {
                yield return new SourceLeaf(next++, leaf.ToByteArray(), null);
            }
        }
    }

    public Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(int level, long fromIndex, long toIndex, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<NodeId, byte[]>());

    private async Task<string> NoteAsync(CancellationToken cancellationToken) =>
        _note ??= (await audit.GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: cancellationToken)).SignedNote;
}
