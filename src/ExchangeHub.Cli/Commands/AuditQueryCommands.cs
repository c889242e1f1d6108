// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl audit list|count|export</c>: the privacy officer's search over the disclosure log (the audit API's
/// ListDisclosures, CountDisclosures and ExportDisclosures), with the filter options of
/// <see cref="DisclosureFilterOptions"/>. Listings and exports are logged by the hub as disclosures to the officer;
/// counts are figures only.
/// </summary>
internal static class AuditQueryCommands
{
    private static readonly ProcessingGrounds AuditGrounds = new() { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C };

    private static readonly Dictionary<string, DisclosureGrouping> Groupings = new(StringComparer.Ordinal)
    {
        ["legal-basis"] = DisclosureGrouping.LegalBasis,
        ["partner"] = DisclosureGrouping.Partner,
        ["month"] = DisclosureGrouping.Month,
        ["decision"] = DisclosureGrouping.Decision,
        ["purpose"] = DisclosureGrouping.Purpose,
        ["sender"] = DisclosureGrouping.Sender,
        ["recipient"] = DisclosureGrouping.Recipient,
    };

    public static IEnumerable<Command> Create() => [CreateList(), CreateCount(), CreateExport()];

    /// <summary>
    /// Prints the records matching <paramref name="filter"/> as a table: one page (and the token for the next), or
    /// with <paramref name="all"/> every page.
    /// </summary>
    public static async Task<int> ListAsync(AuditService.AuditServiceClient audit, DisclosureFilter filter, uint pageSize, string? pageToken, bool all, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(output);
        var request = new ListDisclosuresRequest { Grounds = AuditGrounds, Filter = filter, PageSize = pageSize, PageToken = pageToken ?? string.Empty };
        var count = 0;
        ListDisclosuresResponse page;
        output.WriteLine($"{"seq",-8} {"recorded at (UTC)",-20} {"subject",-12} {"sender",-21} {"recipient",-21} {"message",-24} {"purpose",-24} {"basis",-24} {"decision",-9} rule");
        do
        {
            page = await audit.ListDisclosuresAsync(request, cancellationToken: cancellationToken);
            foreach (var r in page.Records)
            {
                var row = AuditCommand.Row(r);
                var subject = r.SubjectPseudonym.Length > 12 ? r.SubjectPseudonym[..12] : r.SubjectPseudonym;
                output.WriteLine($"{row[0],-8} {row[1],-20} {subject,-12} {row[2],-21} {row[3],-21} {row[4],-24} {row[6],-24} {row[7],-24} {row[8],-9} {row[9]}");
            }

            count += page.Records.Count;
            request.PageToken = page.NextPageToken;
        }
        while (all && page.NextPageToken.Length > 0);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} record(s) of the log's first {page.LogSize} leaves; this listing is logged as a disclosure to you."));
        if (page.NextPageToken.Length > 0)
        {
            output.WriteLine($"More: repeat the same filter with --page-token {page.NextPageToken} (or use --all).");
        }

        return 0;
    }

    /// <summary>Prints the number of records matching <paramref name="filter"/> per value of <paramref name="groupBy"/>.</summary>
    public static async Task<int> CountAsync(AuditService.AuditServiceClient audit, DisclosureFilter filter, DisclosureGrouping groupBy, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(output);
        var counts = await audit.CountDisclosuresAsync(new CountDisclosuresRequest { Filter = filter, GroupBy = groupBy }, cancellationToken: cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{counts.Total} disclosure record(s) by {Groupings.Single(g => g.Value == groupBy).Key.Replace('-', ' ')} in the log's first {counts.LogSize} leaves"));
        foreach (var bucket in counts.Buckets)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DisclosureCounts.Label(bucket),-40} {bucket.Count,10}"));
        }

        return 0;
    }

    /// <summary>
    /// Writes the records matching <paramref name="filter"/> to <paramref name="path"/> in <paramref name="format"/>.
    /// The chunks go to a temporary file beside it, renamed into place only when the hub ends the stream with OK,
    /// so a broken export never looks like a complete one.
    /// </summary>
    public static async Task<int> ExportAsync(AuditService.AuditServiceClient audit, DisclosureFilter filter, ExportFormat format, string path, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(output);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        long bytes = 0;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                using var call = audit.ExportDisclosures(new ExportDisclosuresRequest { Grounds = AuditGrounds, Filter = filter, Format = format }, cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var chunk = call.ResponseStream.Current.Chunk.Memory;
                    await file.WriteAsync(chunk, cancellationToken);
                    bytes += chunk.Length;
                }

                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported {bytes} bytes ({(format == ExportFormat.Csv ? "CSV" : "JSON Lines")}) to {full}; this export is logged as a disclosure to you."));
        return 0;
    }

    private static Command CreateList()
    {
        var pageSize = new Option<uint>("--page-size") { Description = "Records per page, 1 to 1000.", DefaultValueFactory = _ => 100 };
        var pageToken = new Option<string?>("--page-token") { Description = "Continue a listing: the token printed after its previous page (with the same filter)." };
        var all = new Option<bool>("--all") { Description = "Print every page, not just one." };
        var command = new Command("list", "List the disclosure records matching a filter, in log order (logged as a disclosure to you).") { pageSize, pageToken, all };
        DisclosureFilterOptions.AddOptionsTo(command);
        HubConnectionSettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var filter = DisclosureFilterOptions.FromParseResult(parse);
            return await WithClientAsync(parse, audit => ListAsync(audit, filter, parse.GetValue(pageSize), parse.GetValue(pageToken), parse.GetValue(all), parse.InvocationConfiguration.Output, cancellationToken));
        });
        return command;
    }

    private static Command CreateCount()
    {
        var by = new Option<string>("--by") { Description = "What to count per: legal-basis, partner, month, decision, purpose, sender or recipient.", Required = true };
        by.AcceptOnlyFromAmong([.. Groupings.Keys]);
        var command = new Command("count", "Count the disclosure records matching a filter, per legal basis, partner, month, ... (figures only).") { by };
        DisclosureFilterOptions.AddOptionsTo(command);
        HubConnectionSettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var filter = DisclosureFilterOptions.FromParseResult(parse);
            return await WithClientAsync(parse, audit => CountAsync(audit, filter, Groupings[parse.GetValue(by)!], parse.InvocationConfiguration.Output, cancellationToken));
        });
        return command;
    }

    private static Command CreateExport()
    {
        var format = new Option<string>("--format") { Description = "csv (RFC 4180) or jsonl (JSON Lines).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string>("--out") { HelpName = "FILE", Description = "The file to write (replaced when the export is complete).", Required = true };
        var command = new Command("export", "Export the disclosure records matching a filter to a CSV or JSON Lines file (logged as a disclosure to you).") { format, output };
        DisclosureFilterOptions.AddOptionsTo(command);
        HubConnectionSettings.AddOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var filter = DisclosureFilterOptions.FromParseResult(parse);
            var exportFormat = parse.GetValue(format) == "jsonl" ? ExportFormat.JsonLines : ExportFormat.Csv;
            return await WithClientAsync(parse, audit => ExportAsync(audit, filter, exportFormat, parse.GetValue(output)!, parse.InvocationConfiguration.Output, cancellationToken));
        });
        return command;
    }

    private static async Task<int> WithClientAsync(ParseResult parse, Func<AuditService.AuditServiceClient, Task<int>> run)
    {
        var settings = HubConnectionSettings.FromParseResult(parse);
        using var certificate = settings.LoadCertificate();
        using var channel = settings.OpenChannel(certificate);
        return await run(new AuditService.AuditServiceClient(channel));
    }
}
