// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Ledger.Merkle;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Core.Ledger.Verification;
using Google.Protobuf;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl audit</c>: what a privacy officer (functionaris gegevensbescherming) runs to check the hub's
/// disclosure log without trusting the hub: verify the whole log, prove single records, report on one person,
/// and act as a witness that cosigns checkpoints; and to search it: list, count and export disclosure records
/// (<see cref="AuditQueryCommands"/>).
/// </summary>
internal static class AuditCommand
{
    public const int Failed = 1;
    private static readonly ProcessingGrounds AuditGrounds = new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };

    public static Command Create(TimeProvider time)
    {
        var command = new Command("audit", "Verify the hub's disclosure log, prove records, report on a person, witness checkpoints; list, count and export disclosures.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateProve());
        command.Subcommands.Add(CreateSubject());
        command.Subcommands.Add(CreateWitness(time));
        foreach (var query in AuditQueryCommands.Create())
        {
            command.Subcommands.Add(query);
        }

        return command;
    }

    /// <summary>Verifies the log from the hub (or a database copy) against the pinned key and what was verified before.</summary>
    public static async Task<int> VerifyAsync(ILogSource source, LogKeySettings log, TextWriter output, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var verifier = new LogVerifier(log.Key, log.Origin);
        var previous = VerifiedState.Load(log.StateDirectory, verifier.Open);
        Directory.CreateDirectory(log.StateDirectory);
        var temporary = Path.Combine(log.StateDirectory, $".leaf-hashes.{Guid.NewGuid():N}.tmp");
        LogVerificationReport report;
        await using (var hashes = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            report = await verifier.VerifyAsync(source, previous, hashes, new ProgressBar(progressOutput), cancellationToken);
        }

        progressOutput.WriteLine();
        if (!report.IsOk)
        {
            File.Delete(temporary);
            var first = report.First!;
            output.WriteLine($"FAILED: the log was changed; first position {first.Position}: {first.Kind}");
            foreach (var finding in report.Findings)
            {
                output.WriteLine($"  {finding}");
            }

            return Failed;
        }

        var notes = await source.CheckpointNotesAsync(cancellationToken);
        VerifiedState.Save(log.StateDirectory, notes[^1], temporary);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OK: {report.LeavesRead} leaves verified; checkpoint {log.Origin} size {report.Checkpoint!.Size} root {Convert.ToHexStringLower(report.Checkpoint.RootHash)}{(previous is null ? "; first verification" : $"; consistent with size {previous.Size} verified before")}"));
        return 0;
    }

    /// <summary>Fetches records and their inclusion proofs and checks them against a signed checkpoint.</summary>
    public static async Task<int> ProveAsync(AuditService.AuditServiceClient audit, LogKeySettings log, IReadOnlyList<ulong> sequences, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(sequences);
        var checkpoint = new LogVerifier(log.Key, log.Origin).Open((await audit.GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: cancellationToken)).SignedNote);
        output.WriteLine($"Checkpoint   {log.Origin} size {checkpoint.Size} root {Convert.ToHexStringLower(checkpoint.RootHash)} (signature OK)");
        var failures = 0;
        foreach (var sequence in sequences)
        {
            if (sequence >= (ulong)checkpoint.Size)
            {
                output.WriteLine($"{sequence,-12} NOT YET PROVABLE: beyond the checkpoint of size {checkpoint.Size}; try again after the next checkpoint");
                failures++;
                continue;
            }

            var leaf = (await audit.GetLeavesAsync(new GetLeavesRequest { Grounds = AuditGrounds, Start = sequence, End = sequence + 1 }, cancellationToken: cancellationToken)).Leaves.Single().ToByteArray();
            var proof = await audit.GetInclusionProofAsync(new GetInclusionProofRequest { LeafIndex = sequence, TreeSize = (ulong)checkpoint.Size }, cancellationToken: cancellationToken);
            var check = MerkleVerifier.CheckInclusion((long)sequence, checkpoint.Size, MerkleHash.HashLeaf(leaf), proof.Hashes.Select(h => h.ToByteArray()).ToList(), checkpoint.RootHash);
            string what;
            try
            {
                var entry = LogEntryCodec.Decode(leaf);
                what = LogEntryCodec.SequenceOf(entry) == sequence ? Describe(entry) : $"entry claims sequence {LogEntryCodec.SequenceOf(entry)}";
            }
            catch (FormatException ex)
            {
                what = $"malformed entry: {ex.Message}";
                check = MerkleVerification.Invalid(what);
            }

            output.WriteLine($"{sequence,-12} {(check.IsValid ? "PROVEN" : "FAILED: " + check.Reason)}  {what}");
            failures += check.IsValid ? 0 : 1;
        }

        return failures == 0 ? 0 : Failed;
    }

    /// <summary>Prints every disclosure about one person (AVG art. 15), as a table, JSON or CSV.</summary>
    public static async Task<(int ExitCode, GetSubjectReportResponse Report)> SubjectAsync(AuditService.AuditServiceClient audit, string bsn, string format, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(output);
        var report = await audit.GetSubjectReportAsync(new GetSubjectReportRequest { Grounds = AuditGrounds, Bsn = bsn }, cancellationToken: cancellationToken);
        switch (format)
        {
            case "json":
                output.WriteLine(JsonFormatter.Default.Format(report));
                break;
            case "csv":
                output.WriteLine("sequence,recorded_at,sender,recipient,message_type,category,purpose,legal_basis,decision,rule_id,disclosed_fields");
                foreach (var r in report.Records)
                {
                    output.WriteLine(string.Join(",", Row(r).Select(Csv)));
                }

                break;
            default:
                output.WriteLine($"Subject pseudonym {report.SubjectPseudonym}: {report.Records.Count} disclosure record(s); this report is logged as entry {report.LogSequence}");
                output.WriteLine($"{"seq",-8} {"recorded at (UTC)",-20} {"sender",-21} {"recipient",-21} {"message",-24} {"purpose",-24} {"basis",-24} {"decision",-9} rule");
                foreach (var r in report.Records)
                {
                    var row = Row(r);
                    output.WriteLine($"{row[0],-8} {row[1],-20} {row[2],-21} {row[3],-21} {row[4],-24} {row[6],-24} {row[7],-24} {row[8],-9} {row[9]}");
                }

                break;
        }

        return (0, report);
    }

    /// <summary>
    /// Witnesses the log: checks that the hub's newest checkpoint is consistent with the last one this witness saw
    /// (never smaller, never a different history), then cosigns it (C2SP tlog-cosignature) and hands the
    /// cosignature to the hub. A log that shows two histories, or rewrites its past, is caught here.
    /// </summary>
    public static async Task<int> WitnessAsync(AuditService.AuditServiceClient audit, LogKeySettings log, NoteSigner witness, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(witness);
        var verifier = new LogVerifier(log.Key, log.Origin);
        var note = (await audit.GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: cancellationToken)).SignedNote;
        var checkpoint = verifier.Open(note);
        var seenPath = Path.Combine(log.StateDirectory, "witnessed-checkpoint");
        if (File.Exists(seenPath))
        {
            var seen = verifier.Open(await File.ReadAllTextAsync(seenPath, cancellationToken));
            var problem = await ConsistencyProblemAsync(audit, seen, checkpoint, cancellationToken);
            if (problem is not null)
            {
                output.WriteLine($"ALARM: {problem} The checkpoint was not cosigned.");
                return Failed;
            }
        }

        var line = Cosignatures.Cosign(checkpoint, witness, time.GetUtcNow()).FormatLine();
        var added = await audit.AddCosignatureAsync(new AddCosignatureRequest { SignedNote = note, Cosignature = line }, cancellationToken: cancellationToken);
        Directory.CreateDirectory(log.StateDirectory);
        ExchangeHub.Core.Storage.AtomicFile.Write(seenPath, Encoding.UTF8.GetBytes(note), ownerOnly: false, overwrite: true);
        output.WriteLine($"COSIGNED: {log.Origin} size {checkpoint.Size} root {Convert.ToHexStringLower(checkpoint.RootHash)} as {witness.Name}; the hub now holds {added.CosignatureCount} cosignature(s)");
        return 0;
    }

    private static async Task<string?> ConsistencyProblemAsync(AuditService.AuditServiceClient audit, Checkpoint seen, Checkpoint current, CancellationToken cancellationToken)
    {
        if (current.Size < seen.Size)
        {
            return $"the hub serves a checkpoint of size {current.Size}, smaller than the size {seen.Size} this witness saw before (rollback).";
        }

        if (current.Size == seen.Size)
        {
            return current.RootHash.AsSpan().SequenceEqual(seen.RootHash) ? null : $"the hub signed two different roots for size {seen.Size} (fork).";
        }

        if (seen.Size == 0)
        {
            return null;
        }

        var proof = await audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = (ulong)seen.Size, SecondSize = (ulong)current.Size }, cancellationToken: cancellationToken);
        var check = MerkleVerifier.CheckConsistency(seen.Size, current.Size, seen.RootHash, current.RootHash, proof.Hashes.Select(h => h.ToByteArray()).ToList());
        return check.IsValid ? null : $"the checkpoint of size {current.Size} is not consistent with the one of size {seen.Size} seen before: {check.Reason}.";
    }

    private static Command CreateVerify()
    {
        var database = new Option<string?>("--database") { Description = "Verify a copy of the hub's SQLite database instead of asking the hub (also checks stored hashes and every checkpoint)." };
        var command = new Command("verify", "Recompute the whole log and check it against the signed checkpoint and what was verified before.") { database };
        HubConnectionSettings.AddOptionsTo(command);
        LogKeySettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var log = LogKeySettings.FromParseResult(parse);
            if (parse.GetValue(database) is { } path)
            {
                return await VerifyAsync(new SqliteLogSource(path), log, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
            }

            var settings = HubConnectionSettings.FromParseResult(parse);
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            return await VerifyAsync(new RemoteLogSource(new AuditService.AuditServiceClient(channel)), log, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static Command CreateProve()
    {
        var sequence = new Option<ulong[]>("--seq") { Description = "Log sequence number(s) to prove.", AllowMultipleArgumentsPerToken = true };
        var subject = new Option<string?>("--subject") { Description = "Prove every record about the person with this BSN." };
        var command = new Command("prove", "Fetch records with their inclusion proofs and verify them against a signed checkpoint.") { sequence, subject };
        HubConnectionSettings.AddOptionsTo(command);
        LogKeySettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var log = LogKeySettings.FromParseResult(parse);
            var settings = HubConnectionSettings.FromParseResult(parse);
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            var audit = new AuditService.AuditServiceClient(channel);
            var sequences = (parse.GetValue(sequence) ?? []).ToList();
            if (parse.GetValue(subject) is { } bsn)
            {
                var (_, report) = await SubjectAsync(audit, bsn, "table", TextWriter.Null, cancellationToken);
                sequences.AddRange(report.Records.Select(r => r.Sequence));
            }

            return sequences.Count == 0
                ? throw new CommandLineException("give --seq N (one or more) or --subject BSN")
                : await ProveAsync(audit, log, sequences, parse.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }

    private static Command CreateSubject()
    {
        var bsn = new Argument<string>("BSN") { Description = "The BSN of the person who asked to see what was disclosed about them." };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var command = new Command("subject", "Every disclosure about one person (AVG art. 15 access report); the report itself is logged.") { bsn, format };
        HubConnectionSettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = HubConnectionSettings.FromParseResult(parse);
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            return (await SubjectAsync(new AuditService.AuditServiceClient(channel), parse.GetValue(bsn)!, parse.GetValue(format)!, parse.InvocationConfiguration.Output, cancellationToken)).ExitCode;
        });
        return command;
    }

    private static Command CreateWitness(TimeProvider time)
    {
        var key = new Option<string>("--witness-key") { Description = "File with this witness's Ed25519 note private key (PRIVATE+KEY+name+hash+base64).", Required = true };
        var command = new Command("witness", "Check the newest checkpoint against the last one seen, then cosign it.") { key };
        HubConnectionSettings.AddOptionsTo(command);
        LogKeySettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var log = LogKeySettings.FromParseResult(parse);
            var settings = HubConnectionSettings.FromParseResult(parse);
            using var witness = NoteSigner.ParsePrivateKey((await File.ReadAllTextAsync(parse.GetValue(key)!, cancellationToken)).Trim());
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            return await WitnessAsync(new AuditService.AuditServiceClient(channel), log, witness, parse.InvocationConfiguration.Output, time, cancellationToken);
        });
        return command;
    }

    private static string Describe(LogEntry entry) => entry.EntryCase == LogEntry.EntryOneofCase.Redaction
        ? $"redaction of message {entry.Redaction.MessageId}: {entry.Redaction.Reason}"
        : $"{entry.Disclosure.Decision} {entry.Disclosure.MessageType} from {entry.Disclosure.Sender?.Oin} to {entry.Disclosure.Recipient?.Oin} for {entry.Disclosure.Purpose} under {entry.Disclosure.LegalBasis} (rule {entry.Disclosure.RuleId})";

    /// <summary>A record's cells for the tables: seq, time, sender, recipient, message, category, purpose, basis, decision, rule, fields.</summary>
    internal static string[] Row(DisclosureRecord r) =>
    [
        r.Sequence.ToString(CultureInfo.InvariantCulture),
        r.RecordedAt?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? string.Empty,
        r.Sender?.Oin ?? string.Empty,
        r.Recipient?.Oin ?? string.Empty,
        r.MessageType.ToString(),
        r.Category.ToString(),
        r.Purpose.ToString(),
        r.LegalBasis.ToString(),
        r.Decision.ToString(),
        r.RuleId,
        string.Join("|", r.DisclosedFields),
    ];

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>A progress bar on standard error: leaves verified of the total, redrawn in place.</summary>
    private sealed class ProgressBar(TextWriter output) : IProgress<(long Done, long Total)>
    {
        public void Report((long Done, long Total) value)
        {
            var fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
            var filled = (int)Math.Round(fraction * 30);
            output.Write(string.Create(CultureInfo.InvariantCulture, $"\rVerifying [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {value.Done}/{value.Total} leaves"));
        }
    }
}
