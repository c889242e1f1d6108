// This file is part of ExchangeHub.

using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ExchangeHub.Core.Ledger.Notes;

/// <summary>
/// A signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or more signature lines
/// <c>— &lt;key name&gt; base64(key hash || signature)</c>. Checkpoints of the disclosure log travel as signed
/// notes so that any Go, Rust or C# tool that speaks the format can verify them. The text must be ignored unless a
/// trusted key's signature verifies (<see cref="IsSignedBy"/>).
/// </summary>
public sealed class SignedNote
{
    private readonly NoteSignature[] _signatures;

    /// <summary>
    /// Assembles a note from a text and its signature lines. The text must be non-empty, end in a newline and contain
    /// no control characters other than newline; at least one signature is required, since a note without signature
    /// lines has no valid encoding.
    /// </summary>
    /// <exception cref="ArgumentException">The text or the signature list is not valid.</exception>
    public SignedNote(string text, IEnumerable<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signatures);
        if (!NoteEncoding.IsValidNoteText(text))
        {
            throw new ArgumentException(
                "A note text is non-empty, ends in a newline and has no control characters other than newline (c2sp.org/signed-note).",
                nameof(text));
        }

        var list = signatures.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A signed note has at least one signature line.", nameof(signatures));
        }

        if (list.Any(s => s is null))
        {
            throw new ArgumentException("A signature line may not be null.", nameof(signatures));
        }

        Text = text;
        _signatures = list;
    }

    /// <summary>The note text, final newline included and the separating blank line excluded: the signed bytes.</summary>
    public string Text { get; }

    /// <summary>The signature lines in note order, verified or not.</summary>
    public IReadOnlyList<NoteSignature> Signatures => _signatures;

    /// <summary>
    /// Parses a signed note strictly (c2sp.org/signed-note, "Format"): no control characters but newline and no lone
    /// surrogates; the text is everything up to the last blank line; after it come one or more lines each starting
    /// with "— " (U+2014, space), a valid key name, one space and canonical base64 of a 4-byte key hash and at least
    /// one signature byte; the note ends in a newline; at most 100 signature lines. Signatures are not checked here.
    /// </summary>
    /// <exception cref="FormatException">The note is malformed.</exception>
    public static SignedNote Parse(string signedNote)
    {
        ArgumentNullException.ThrowIfNull(signedNote);
        if (!NoteEncoding.IsValidNoteCharacters(signedNote, allowNewline: true))
        {
            throw new FormatException("A signed note may not contain control characters other than newline, nor invalid UTF-16.");
        }

        var split = signedNote.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("A signed note needs a blank line between its text and its signatures.");
        }

        var text = signedNote[..(split + 1)];
        var block = signedNote[(split + 2)..];
        if (block.Length == 0)
        {
            throw new FormatException("A signed note has at least one signature line after the blank line.");
        }

        if (block[^1] != '\n')
        {
            throw new FormatException("A signed note ends in a newline.");
        }

        var lines = block[..^1].Split('\n');
        if (lines.Length > NoteEncoding.MaxSignatures)
        {
            throw new FormatException($"A signed note may carry at most {NoteEncoding.MaxSignatures} signatures.");
        }

        var signatures = new NoteSignature[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            signatures[i] = NoteSignature.ParseLineBody(lines[i]);
        }

        return new SignedNote(text, signatures);
    }

    /// <summary>Parses as <see cref="Parse"/> does, answering false instead of throwing.</summary>
    public static bool TryParse(string? signedNote, [NotNullWhen(true)] out SignedNote? note)
    {
        note = null;
        if (signedNote is null)
        {
            return false;
        }

        try
        {
            note = Parse(signedNote);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Signs <paramref name="text"/> with each signer (Ed25519 over the UTF-8 text, c2sp.org/signed-note) and returns
    /// the note. Ed25519 is deterministic, so the same key and text give the same note.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a valid note text, no signer is given, or two signers share a name and key hash.</exception>
    public static SignedNote Sign(string text, params NoteSigner[] signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (!NoteEncoding.IsValidNoteText(text))
        {
            throw new ArgumentException(
                "A note text is non-empty, ends in a newline and has no control characters other than newline (c2sp.org/signed-note).",
                nameof(text));
        }

        if (signers.Length == 0)
        {
            throw new ArgumentException("At least one signer is needed.", nameof(signers));
        }

        var message = NoteEncoding.Utf8(text);
        var signatures = new List<NoteSignature>(signers.Length);
        foreach (var signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer, nameof(signers));
            if (signatures.Any(s => s.KeyHash == signer.KeyHash && string.Equals(s.Name, signer.Name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Two signers share the key {signer.Name}+{NoteEncoding.FormatKeyHash(signer.KeyHash)}.", nameof(signers));
            }

            signatures.Add(new NoteSignature(signer.Name, signer.KeyHash, signer.Sign(message)));
        }

        return new SignedNote(text, signatures);
    }

    /// <summary>
    /// This note with <paramref name="signatures"/> appended, each replacing any existing line with the same name and
    /// key hash. This is how a log adds witness cosignatures to its checkpoint (c2sp.org/tlog-cosignature).
    /// </summary>
    public SignedNote WithSignatures(params NoteSignature[] signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var kept = _signatures.Where(existing => !signatures.Any(added =>
            added is not null
            && added.KeyHash == existing.KeyHash
            && string.Equals(added.Name, existing.Name, StringComparison.Ordinal)));
        return new SignedNote(Text, kept.Concat(signatures));
    }

    /// <summary>The encoded note: the text, a blank line, then each signature line ending in a newline.</summary>
    public string Format()
    {
        var builder = new StringBuilder(Text.Length + 1 + (_signatures.Length * 128));
        builder.Append(Text).Append('\n');
        foreach (var signature in _signatures)
        {
            builder.Append(signature.FormatLine());
        }

        return builder.ToString();
    }

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();

    /// <summary>
    /// Whether the note is signed by <paramref name="key"/>: at least one signature line carries the key's name and
    /// key hash, and every such line verifies over <see cref="Text"/>. Lines of other keys, even sharing the name or
    /// the hash but not both, are ignored, as the spec requires; a failing line of this key makes the answer false,
    /// as the spec recommends (c2sp.org/signed-note, "Signatures").
    /// </summary>
    public bool IsSignedBy(NoteVerifierKey key) => Check(key) == SignatureCheck.Verified;

    /// <summary>The three outcomes that <see cref="Checkpoint.OpenCheckpoint"/> tells apart.</summary>
    internal SignatureCheck Check(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var message = NoteEncoding.Utf8(Text);
        var found = false;
        foreach (var signature in _signatures)
        {
            if (signature.KeyHash != key.KeyHash || !string.Equals(signature.Name, key.Name, StringComparison.Ordinal))
            {
                continue;
            }

            found = true;
            if (!key.Verify(message, signature.SignatureSpan))
            {
                return SignatureCheck.Invalid;
            }
        }

        return found ? SignatureCheck.Verified : SignatureCheck.Absent;
    }

    /// <summary>The outcome of looking for one key's signature in a note.</summary>
    internal enum SignatureCheck
    {
        /// <summary>No line carries the key's name and hash.</summary>
        Absent,

        /// <summary>A line carries the key's name and hash but does not verify.</summary>
        Invalid,

        /// <summary>Every line of the key verifies, and there is at least one.</summary>
        Verified,
    }
}
