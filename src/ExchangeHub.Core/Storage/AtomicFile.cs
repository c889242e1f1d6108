// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Storage;

/// <summary>
/// Writes a file in one step: to a temporary file beside it, flushed to disk, then renamed into place, so a
/// crash never leaves half a key or half a certificate behind. Secrets are created readable by the owner only.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/>. Without <paramref name="overwrite"/>, an
    /// existing file wins (so two processes creating the same secret at once agree on one) and false is returned.
    /// </summary>
    public static bool Write(string path, ReadOnlySpan<byte> contents, bool ownerOnly, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
