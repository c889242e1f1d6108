// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger.Verification;

/// <summary>
/// What an auditor verified last time: the checkpoint and the hash of every leaf it covered. Kept by the auditor,
/// never by the hub, so that a rewritten or forked history is caught and the first changed leaf named.
/// </summary>
public sealed class VerifiedState
{
    private readonly string _leafHashesPath;

    private VerifiedState(string directory, string checkpointNote, long size, byte[] rootHash)
    {
        Directory = directory;
        CheckpointNote = checkpointNote;
        Size = size;
        RootHash = rootHash;
        _leafHashesPath = Path.Combine(directory, "leaf-hashes.bin");
    }

    /// <summary>The directory the state lives in.</summary>
    public string Directory { get; }

    /// <summary>The signed note of the last verified checkpoint.</summary>
    public string CheckpointNote { get; }

    /// <summary>Its tree size.</summary>
    public long Size { get; }

    /// <summary>Its root hash.</summary>
    public byte[] RootHash { get; }

    /// <summary>The file name of the checkpoint inside a state directory.</summary>
    public static string CheckpointFile(string directory) => Path.Combine(directory, "checkpoint");

    /// <summary>The file name of the leaf hashes inside a state directory.</summary>
    public static string LeafHashesFile(string directory) => Path.Combine(directory, "leaf-hashes.bin");

    /// <summary>Loads the state in <paramref name="directory"/>, or null when nothing was verified there yet.</summary>
    public static VerifiedState? Load(string directory, Func<string, Notes.Checkpoint> openCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(openCheckpoint);
        var checkpointPath = CheckpointFile(directory);
        if (!File.Exists(checkpointPath))
        {
            return null;
        }

        var note = File.ReadAllText(checkpointPath);
        var checkpoint = openCheckpoint(note);
        var hashes = new FileInfo(LeafHashesFile(directory));
        if (!hashes.Exists || hashes.Length != checkpoint.Size * Merkle.MerkleHash.Size)
        {
            throw new InvalidDataException($"the verified state in '{directory}' is incomplete: leaf-hashes.bin does not hold {checkpoint.Size} hashes");
        }

        return new VerifiedState(directory, note, checkpoint.Size, checkpoint.RootHash);
    }

    /// <summary>Opens the verified leaf hashes for sequential reading.</summary>
    public Stream OpenLeafHashes() => new FileStream(_leafHashesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    /// <summary>Saves a newly verified checkpoint and its leaf hashes (written to a temporary file first).</summary>
    public static void Save(string directory, string checkpointNote, string leafHashesTemporaryPath)
    {
        System.IO.Directory.CreateDirectory(directory);
        File.Move(leafHashesTemporaryPath, LeafHashesFile(directory), overwrite: true);
        Storage.AtomicFile.Write(CheckpointFile(directory), System.Text.Encoding.UTF8.GetBytes(checkpointNote), ownerOnly: false, overwrite: true);
    }
}
