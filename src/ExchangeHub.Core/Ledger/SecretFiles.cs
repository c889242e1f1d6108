// This file is part of ExchangeHub.

using System.Security.Cryptography;
using ExchangeHub.Core.Storage;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Hub secrets kept as files readable by the owner only (mode 0600): created with fresh random bytes on first
/// use when creation is allowed, and otherwise required to exist. Losing the pseudonym key makes old
/// pseudonyms unsearchable; losing the log signing key means a new key for witnesses to learn. Back both up.
/// </summary>
public static class SecretFiles
{
    /// <summary>Reads the secret at <paramref name="path"/>, creating it with <paramref name="length"/> random bytes when allowed.</summary>
    public static byte[] ReadOrCreate(string path, int length, bool create)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length < length)
            {
                throw new InvalidOperationException($"EH4101: the secret in '{path}' has {existing.Length} bytes; {length} are required.");
            }

            return existing;
        }

        if (!create)
        {
            throw new InvalidOperationException($"EH4102: the secret '{path}' does not exist, and creating secrets is not allowed here.");
        }

        // Whoever created the file first wins; read back what is there.
        WriteSecret(path, RandomNumberGenerator.GetBytes(length));
        return File.ReadAllBytes(path);
    }

    /// <summary>Writes a secret readable by the owner only; an existing file is kept.</summary>
    public static void WriteSecret(string path, byte[] contents) =>
        AtomicFile.Write(path, contents, ownerOnly: true, overwrite: false);
}
