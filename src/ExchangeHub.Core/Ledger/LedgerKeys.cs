// This file is part of ExchangeHub.

using System.Text;
using ExchangeHub.Core.Ledger.Notes;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// The log's identity and secrets: its origin, its checkpoint signing key (named after the origin, as the
/// signed-note convention has it) and the subject pseudonym key. Loaded from files at start; created there only
/// when <see cref="LedgerOptions.CreateMissingKeys"/> allows, so a production hub never quietly becomes a new log.
/// </summary>
public sealed class LedgerKeys : IDisposable
{
    /// <summary>Loads (or, when allowed, creates) the keys named by <paramref name="options"/>.</summary>
    public LedgerKeys(IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Origin = settings.Origin is { Length: > 0 } origin && NoteEncoding.IsValidKeyName(origin)
            ? origin
            : throw new InvalidOperationException($"EH9131: {LedgerOptions.SectionName}:Origin must name the log (e.g. hub.example.nl/disclosure-log; no spaces or '+').");
        var signingKeyPath = settings.SigningKeyPath ?? throw new InvalidOperationException($"EH9132: {LedgerOptions.SectionName}:SigningKeyPath is required.");
        var pseudonymKeyPath = settings.PseudonymKeyPath ?? throw new InvalidOperationException($"EH9133: {LedgerOptions.SectionName}:PseudonymKeyPath is required.");

        if (!File.Exists(signingKeyPath))
        {
            if (!settings.CreateMissingKeys)
            {
                throw new InvalidOperationException($"EH9134: the log signing key '{signingKeyPath}' does not exist. Restore it from backup; set {LedgerOptions.SectionName}:CreateMissingKeys only to start a new log.");
            }

            using var generated = NoteSigner.Generate(Origin);
            SecretFiles.WriteSecret(signingKeyPath, Encoding.ASCII.GetBytes(generated.FormatPrivateKey() + "\n"));
        }

        Signer = NoteSigner.ParsePrivateKey(File.ReadAllText(signingKeyPath).Trim());
        if (Signer.Name != Origin)
        {
            throw new InvalidOperationException($"EH9135: the log signing key in '{signingKeyPath}' is named '{Signer.Name}', not the log's origin '{Origin}'.");
        }

        Pseudonymizer = new SubjectPseudonymizer(SecretFiles.ReadOrCreate(pseudonymKeyPath, 32, settings.CreateMissingKeys));
    }

    /// <summary>The log's origin, the first line of its checkpoints.</summary>
    public string Origin { get; }

    /// <summary>The checkpoint signing key.</summary>
    public NoteSigner Signer { get; }

    /// <summary>The key verifiers pin: publish it to every partner's privacy officer.</summary>
    public NoteVerifierKey VerifierKey => Signer.VerifierKey;

    /// <summary>Opens a signed checkpoint of this log, or throws <see cref="CheckpointException"/>.</summary>
    public Checkpoint Open(string note) => Checkpoint.OpenCheckpoint(note, VerifierKey, Origin);

    /// <summary>Turns subject references into the log's keyed pseudonyms.</summary>
    public SubjectPseudonymizer Pseudonymizer { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Signer.Dispose();
        Pseudonymizer.Dispose();
    }
}
