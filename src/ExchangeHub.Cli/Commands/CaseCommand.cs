// This file is part of ExchangeHub.

using System.Collections;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl case query</c>: what a municipality's case worker (or its system) asks the hub about a subject, with
/// purpose and legal basis: the case view the policy allows, item by item, or the refusal and the grounds that
/// would do. Either way the hub has logged it; the output says where.
/// </summary>
internal static class CaseCommand
{
    /// <summary>Exit code when the hub refuses the query.</summary>
    public const int Denied = 1;

    private static readonly (string Title, Func<CaseView, IList> Items)[] Lists =
    [
        ("End-of-detention notices", v => v.Notices),
        ("Signals", v => v.Signals),
        ("Official reports", v => v.OfficialReports),
        ("Re-integration data", v => v.ReintegrationData),
    ];

    public static Command Create()
    {
        var bsn = new Option<string?>("--bsn") { Description = "The subject's BSN." };
        var pseudonym = new Option<string?>("--pseudonym") { Description = "The subject's chain pseudonym (instead of --bsn)." };
        var purpose = new Option<string>("--purpose") { Description = "Purpose, e.g. PERSON_CENTRED_APPROACH or REINTEGRATION.", Required = true };
        var basis = new Option<string>("--basis") { Description = "Legal basis, e.g. WGPA_RADICALISATION or WET_SENB_REINTEGRATION.", Required = true };
        var justification = new Option<string?>("--justification") { Description = "Why the data is needed in this case, for bases that need it." };
        var consultation = new Option<string?>("--case-consultation") { Description = "Only what was delivered for this case consultation." };
        var categories = new Option<string[]>("--category") { Description = "Only these data categories, e.g. SIGNAL (repeatable); default: all the grounds cover.", AllowMultipleArgumentsPerToken = true };
        var correlation = new Option<string?>("--correlation-id") { Description = "A UUID tying the query to your own process; recorded in the log." };
        var json = new Option<bool>("--json") { Description = "Print the case view (or the refusal) as JSON." };
        var query = new Command("query", "Ask for the case data on a subject that the policy lets your organisation see; the query is logged.")
        {
            bsn, pseudonym, purpose, basis, justification, consultation, categories, correlation, json,
        };
        HubConnectionSettings.AddOptionsTo(query);
        query.SetAction(async (parse, cancellationToken) =>
        {
            var request = BuildRequest(new CaseQueryArguments(
                parse.GetValue(bsn),
                parse.GetValue(pseudonym),
                parse.GetValue(purpose)!,
                parse.GetValue(basis)!,
                parse.GetValue(justification),
                parse.GetValue(consultation),
                parse.GetValue(categories) ?? [],
                parse.GetValue(correlation)));
            var settings = HubConnectionSettings.FromParseResult(parse);
            using var certificate = settings.LoadCertificate();
            using var channel = settings.OpenChannel(certificate);
            return await QueryAsync(new CaseService.CaseServiceClient(channel), request, parse.GetValue(json), parse.InvocationConfiguration.Output, cancellationToken);
        });
        var command = new Command("case", "Case data for the person-centred approach and re-integration.");
        command.Subcommands.Add(query);
        return command;
    }

    /// <summary>The request the arguments describe, or a usage mistake.</summary>
    public static QueryCaseRequest BuildRequest(CaseQueryArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var subject = (arguments.Bsn, arguments.Pseudonym) switch
        {
            ({ } number, null) => new SubjectReference { Bsn = number },
            (null, { } pseudonym) => new SubjectReference { Pseudonym = pseudonym },
            _ => throw new CommandLineException("give the subject: --bsn or --pseudonym, one of the two"),
        };
        var request = new QueryCaseRequest
        {
            Subject = subject,
            Grounds = new ProcessingGrounds
            {
                Purpose = EnumArguments.Parse<Purpose>(ContractEnums.Purpose, arguments.Purpose, "--purpose"),
                LegalBasis = EnumArguments.Parse<LegalBasis>(ContractEnums.LegalBasis, arguments.Basis, "--basis"),
                Justification = arguments.Justification ?? string.Empty,
            },
            CaseConsultationId = arguments.CaseConsultation ?? string.Empty,
            CorrelationId = arguments.CorrelationId ?? string.Empty,
        };
        request.Categories.AddRange(arguments.Categories.Select(c => EnumArguments.Parse<DataCategory>(ContractEnums.DataCategory, c, "--category")));
        return request;
    }

    /// <summary>Asks the hub and prints the case view or the refusal; returns 0 when allowed, <see cref="Denied"/> when refused.</summary>
    public static async Task<int> QueryAsync(CaseService.CaseServiceClient cases, QueryCaseRequest request, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(output);
        CaseView view;
        try
        {
            view = (await cases.QueryCaseAsync(request, cancellationToken: cancellationToken)).CaseView;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            PrintRefusal(ex, json, output);
            return Denied;
        }

        if (json)
        {
            output.WriteLine(JsonFormatter.Default.Format(view));
            return 0;
        }

        var count = Lists.Sum(l => l.Items(view).Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ALLOWED: {count} item(s); policy {view.PolicyId} {view.PolicyVersion}, rule(s) {view.RuleId}; this query is logged as entry {view.LogSequence}"));
        output.WriteLine(view.Reason);
        foreach (var (title, items) in Lists)
        {
            var list = items(view);
            if (list.Count == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title} ({list.Count})"));
            var number = 0;
            foreach (IMessage item in list)
            {
                PrintItem(item, ++number, output);
            }
        }

        output.WriteLine();
        output.WriteLine($"Disclosed fields: {string.Join(", ", view.DisclosedFields)}");
        if (view.AllowedAlternatives.Count > 0)
        {
            output.WriteLine($"What was left out would be allowed under: {string.Join("; ", view.AllowedAlternatives.Select(g => $"{ContractEnums.Name(g.LegalBasis)} for {ContractEnums.Name(g.Purpose)}"))}");
        }

        return 0;
    }

    /// <summary>One item: where it came from, then every field it was disclosed with, one per line.</summary>
    private static void PrintItem(IMessage item, int number, TextWriter output)
    {
        var descriptor = item.Descriptor;
        var origin = descriptor.FindFieldByName("origin").Accessor.GetValue(item) as CaseEntryOrigin;
        var original = descriptor.FindFieldByName("original_message_id")?.Accessor.GetValue(item) as string;
        var from = origin is null
            ? "origin not disclosed"
            : string.Create(CultureInfo.InvariantCulture, $"message {origin.MessageId}{(string.IsNullOrEmpty(original) || original == origin.MessageId ? string.Empty : $" (correcting {original})")} from {origin.Sender?.Oin}, accepted {Format(origin.AcceptedAt)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{number}] {from}"));
        var content = descriptor.Fields.InDeclarationOrder().Single(f => f.FieldType == FieldType.Message && f.MessageType != CaseEntryOrigin.Descriptor);
        if (content.Accessor.GetValue(item) is IMessage payload)
        {
            foreach (var (path, value) in Flatten(payload, string.Empty))
            {
                output.WriteLine($"      {path}: {value}");
            }
        }
    }

    /// <summary>The set fields of <paramref name="message"/> as (path, value), in declaration order.</summary>
    private static IEnumerable<(string Path, string Value)> Flatten(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = ((IList)value).Cast<object>().ToList();
                if (field.FieldType == FieldType.Message)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        foreach (var nested in Flatten((IMessage)list[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}].")))
                        {
                            yield return nested;
                        }
                    }
                }
                else if (list.Count > 0)
                {
                    yield return (path, string.Join(", ", list.Select(v => Scalar(field, v))));
                }
            }
            else if (value is Timestamp timestamp)
            {
                yield return (path, Format(timestamp));
            }
            else if (value is IMessage nested)
            {
                foreach (var inner in Flatten(nested, path + "."))
                {
                    yield return inner;
                }
            }
            else if (IsSet(field, value))
            {
                yield return (path, Scalar(field, value));
            }
        }
    }

    private static bool IsSet(FieldDescriptor field, object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        bool flag => flag,
        ByteString bytes => !bytes.IsEmpty,
        _ when field.FieldType == FieldType.Enum => Convert.ToInt32(value, CultureInfo.InvariantCulture) != 0,
        _ => !value.Equals(System.Activator.CreateInstance(value.GetType())),
    };

    private static string Scalar(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture))?.Name ?? value.ToString()!,
        FieldType.Bool => (bool)value ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Format(Timestamp? timestamp) =>
        timestamp is null ? "-" : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The refusal: its reason, the grounds that would do, and where it was logged.</summary>
    private static void PrintRefusal(RpcException refusal, bool json, TextWriter output)
    {
        var info = refusal.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>();
        string Meta(string key) => info is not null && info.Metadata.TryGetValue(key, out var value) ? value : string.Empty;
        var alternatives = Meta("allowed_alternatives").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("decision", "DENIED");
                writer.WriteString("errorId", info?.Reason ?? string.Empty);
                writer.WriteString("reason", refusal.Status.Detail);
                writer.WriteString("policyId", Meta("policy_id"));
                writer.WriteString("policyVersion", Meta("policy_version"));
                writer.WriteString("ruleId", Meta("rule_id"));
                writer.WriteStartArray("allowedAlternatives");
                foreach (var alternative in alternatives)
                {
                    writer.WriteStringValue(alternative);
                }

                writer.WriteEndArray();
                writer.WriteString("logSequence", Meta("log_sequence"));
                writer.WriteString("queryId", Meta("message_id"));
                writer.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        output.WriteLine($"DENIED: {refusal.Status.Detail}");
        if (alternatives.Length > 0)
        {
            output.WriteLine($"Would be allowed under: {string.Join("; ", alternatives.Select(a => a.Replace("/", " for ", StringComparison.Ordinal)))}");
        }

        if (Meta("log_sequence") is { Length: > 0 } sequence)
        {
            output.WriteLine($"The refusal is logged as entry {sequence} (query {Meta("message_id")}).");
        }
    }
}

/// <summary>The arguments of <c>hubctl case query</c>.</summary>
internal sealed record CaseQueryArguments(
    string? Bsn,
    string? Pseudonym,
    string Purpose,
    string Basis,
    string? Justification,
    string? CaseConsultation,
    IReadOnlyCollection<string> Categories,
    string? CorrelationId);
