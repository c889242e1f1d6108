// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Ledger;

/// <summary>The disclosure log's settings, from configuration section <c>ExchangeHub:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Ledger";

    /// <summary>
    /// The checkpoint origin: the log's name, first line of every checkpoint (C2SP tlog-checkpoint), by
    /// convention a schema-less URL such as <c>hub.example.nl/disclosure-log</c>. Required; verifiers pin it.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>
    /// The file with the log's Ed25519 signing key (signed-note private key format). Required. Relative paths are
    /// relative to the content root.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>The file with the 32-byte key of the subject pseudonyms (HMAC-SHA-256). Required.</summary>
    public string? PseudonymKeyPath { get; set; }

    /// <summary>
    /// Whether missing key files are created with fresh keys on start. Defaults to false: a production hub
    /// refuses to start without its keys rather than silently starting a new log identity. Development and tests
    /// turn it on.
    /// </summary>
    public bool CreateMissingKeys { get; set; }

    /// <summary>How often a new checkpoint is signed when the log has grown. Defaults to 10 seconds.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most appends one group commit takes. Defaults to 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// The hub operator's own OIN: the sender of disclosures the hub makes from its store (case queries, subject
    /// access reports). Optional; when unset those records name no sender.
    /// </summary>
    public string? HubOin { get; set; }

    /// <summary>
    /// The witnesses whose cosignatures the hub accepts and serves: cosignature verifier keys
    /// (<c>name+hash+base64</c>, C2SP tlog-cosignature), typically one per partner's privacy officer.
    /// </summary>
    public IList<string> WitnessKeys { get; } = [];

    /// <summary>How many appends may wait for the writer before callers are held back. Defaults to 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
