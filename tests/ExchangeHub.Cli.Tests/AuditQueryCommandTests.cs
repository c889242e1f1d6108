// This file is part of ExchangeHub.

using System.CommandLine;
using System.Text;
using ExchangeHub.Cli.Commands;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Tests.Support.Hub;
using ExchangeHub.Tests.Support.Ledger;
using Google.Protobuf;
using Grpc.Core;

namespace ExchangeHub.Cli.Tests;

/// <summary>
/// <c>hubctl audit list|count|export</c> against a real hub over mutual TLS. Each test seeds the sample audit log
/// under subjects of its own (the hub's log holds the other tests' records too) and filters on them.
/// </summary>
public sealed class AuditQueryCommandTests(HubTestServer hub) : IClassFixture<HubTestServer>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-audit-query-cli-").FullName;

    [Fact]
    public async Task List_AllPagesOfASubject_OneRowPerRecordAndTheSnapshot()
    {
        var (subjectA, _, sequences) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        var (exitCode, text) = await RunAsync(output => AuditQueryCommands.ListAsync(
            new AuditService.AuditServiceClient(channel), new DisclosureFilter { SubjectPseudonym = subjectA }, 2, null, all: true, output, CancellationToken.None));

        Assert.Equal(0, exitCode);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("seq ", lines[0], StringComparison.Ordinal);
        Assert.Equal([sequences[0], sequences[1], sequences[4]], lines[1..4].Select(l => ulong.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Matches($" {subjectA[..12]} +{SampleDisclosures.DjiOin} +{SampleDisclosures.RotterdamOin} +EndOfDetentionNotice ", lines[1]);
        Assert.Matches(@"^3 record\(s\) of the log's first \d+ leaves; this listing is logged", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public async Task List_OnePage_PrintsTheTokenThatContinuesIt()
    {
        var (subjectA, _, sequences) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var filter = new DisclosureFilter { SubjectPseudonym = subjectA };

        var (_, first) = await RunAsync(output => AuditQueryCommands.ListAsync(audit, filter, 2, null, all: false, output, CancellationToken.None));
        var token = System.Text.RegularExpressions.Regex.Match(first, "--page-token (\\S+)").Groups[1].Value;
        var (_, second) = await RunAsync(output => AuditQueryCommands.ListAsync(audit, filter, 2, token, all: false, output, CancellationToken.None));

        Assert.NotEmpty(token);
        Assert.StartsWith($"{sequences[4]} ", second.Split('\n')[1], StringComparison.Ordinal);
        Assert.DoesNotContain("--page-token", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_ByLegalBasis_OneLinePerBucketAfterTheTotal()
    {
        var (_, subjectB, _) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);

        var (exitCode, text) = await RunAsync(output => AuditQueryCommands.CountAsync(
            new AuditService.AuditServiceClient(channel), new DisclosureFilter { SubjectPseudonym = subjectB }, DisclosureGrouping.LegalBasis, output, CancellationToken.None));

        Assert.Equal(0, exitCode);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.RegularExpressions.Regex.Replace(l, " +", " ")).ToList();
        Assert.Matches(@"^3 disclosure record\(s\) by legal basis in the log's first \d+ leaves$", lines[0]);
        Assert.Equal(["WPG_ART_20 2", "WET_SENB_REINTEGRATION 1"], lines.Skip(1));
    }

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.JsonLines)]
    public async Task Export_ToAFile_RoundTripsToTheListing(ExportFormat format)
    {
        var (subjectA, _, _) = await SeedAsync();
        using var channel = hub.CreateChannel(hub.Pki.PrivacyOfficer);
        var audit = new AuditService.AuditServiceClient(channel);
        var filter = new DisclosureFilter { SubjectPseudonym = subjectA, Categories = { DataCategory.EndOfDetentionNotice, DataCategory.OfficialReport } };
        var path = Path.Combine(_directory, "export.out");

        var (exitCode, text) = await RunAsync(output => AuditQueryCommands.ExportAsync(audit, filter, format, path, output, CancellationToken.None));
        var listed = await audit.ListDisclosuresAsync(new ListDisclosuresRequest
        {
            Grounds = new ProcessingGrounds { Purpose = Purpose.PrivacyAudit, LegalBasis = LegalBasis.AvgArt61C },
            Filter = filter,
        });

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"Exported {new FileInfo(path).Length} bytes", text, StringComparison.Ordinal);
        var file = await File.ReadAllTextAsync(path, Encoding.UTF8);
        var records = format == ExportFormat.Csv ? FromCsv(file) : [.. file.TrimEnd('\n').Split('\n').Select(JsonParser.Default.Parse<DisclosureRecord>)];
        Assert.Equal(3, records.Count);
        Assert.Equal(listed.Records, records);
        Assert.Equal(["export.out"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Export_HubRefuses_NoFileLeftBehind()
    {
        using var channel = hub.CreateChannel(hub.Pki.Rotterdam);
        var path = Path.Combine(_directory, "refused.csv");

        var ex = await Assert.ThrowsAsync<RpcException>(() => AuditQueryCommands.ExportAsync(
            new AuditService.AuditServiceClient(channel), new DisclosureFilter(), ExportFormat.Csv, path, TextWriter.Null, CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void FilterOptions_CommandLine_BecomeTheContractFilter()
    {
        var parse = Parse("audit list --subject 111222333 --partner 00000001800000001000 --partner 00000001800000005000 --legal-basis wpg-art-20 LEGAL_BASIS_AVG_ART_6_1_E --purpose person_centred_approach --decision denied --category signal --from 2026-11-01 --to 2026-12-01T09:30:00+01:00");

        var filter = DisclosureFilterOptions.FromParseResult(parse);

        Assert.Equal("111222333", filter.Bsn);
        Assert.Equal([SampleDisclosures.DjiOin, SampleDisclosures.RotterdamOin], filter.Partners.Select(p => p.Oin));
        Assert.Equal([LegalBasis.WpgArt20, LegalBasis.AvgArt61E], filter.LegalBases);
        Assert.Equal([Purpose.PersonCentredApproach], filter.Purposes);
        Assert.Equal([DisclosureDecision.Denied], filter.Decisions);
        Assert.Equal([DataCategory.Signal], filter.Categories);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), filter.PeriodStart.ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero), filter.PeriodEnd.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("audit count --by month --legal-basis wpg-art-99", "--legal-basis 'wpg-art-99' is not one of WPG_ART_16, WPG_ART_18_2")]
    [InlineData("audit export --out x.csv --from yesterday", "--from 'yesterday' is not a date or time")]
    [InlineData("audit list --subject 111222333 --subject-pseudonym abc", "give --subject or --subject-pseudonym, not both")]
    public void FilterOptions_Mistake_UsageErrorSayingWhat(string commandLine, string expected)
    {
        var ex = Assert.Throws<CommandLineException>(() => DisclosureFilterOptions.FromParseResult(Parse(commandLine)));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<DisclosureRecord> FromCsv(string file)
    {
        var rows = DisclosureCsv.Parse(file);
        return [.. rows.Skip(1).Select(row => DisclosureCsv.ToRecord(rows[0], row))];
    }

    private static ParseResult Parse(string commandLine)
    {
        var parse = new RootCommand { AuditCommand.Create(TimeProvider.System) }.Parse(commandLine);
        Assert.Empty(parse.Errors);
        return parse;
    }

    private async Task<(string SubjectA, string SubjectB, IReadOnlyList<ulong> Sequences)> SeedAsync()
    {
        var pseudonymizer = hub.Service<LedgerKeys>().Pseudonymizer;
        var a = pseudonymizer.Pseudonymize(new SubjectReference { Pseudonym = $"cli-query-a-{Guid.NewGuid():N}" });
        var b = pseudonymizer.Pseudonymize(new SubjectReference { Pseudonym = $"cli-query-b-{Guid.NewGuid():N}" });
        var sequences = await hub.Service<IDisclosureLog>().AppendAsync((log, _) => Task.FromResult(SampleDisclosures.AuditLog("cli-" + a[..8], a, b).Select(log.Append).ToList()));
        return (a, b, sequences);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Func<TextWriter, Task<int>> run)
    {
        using var output = new StringWriter();
        var exitCode = await run(output);
        return (exitCode, output.ToString());
    }
}
