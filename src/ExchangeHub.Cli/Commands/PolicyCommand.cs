// This file is part of ExchangeHub.

using System.CommandLine;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl policy check FILE</c> and <c>hubctl policy explain</c>: for legal staff to try a policy before it is
/// deployed. Both use the hub's own loader and engine, so what they say is what the hub would do.
/// </summary>
internal static class PolicyCommand
{
    public const int Denied = 1;
    public const int Invalid = 1;

    public static Command Create()
    {
        var command = new Command("policy", "Validate a disclosure policy, and see how it decides a disclosure.");
        command.Subcommands.Add(CreateCheck());
        command.Subcommands.Add(CreateExplain());
        return command;
    }

    /// <summary>Validates <paramref name="path"/> and prints the outcome; returns the exit code.</summary>
    public static int Check(string path, TextWriter output)
    {
        if (!File.Exists(path))
        {
            throw new CommandLineException($"'{path}' does not exist.");
        }

        var (policy, problems) = PolicyLoader.Check(File.ReadAllBytes(path), Path.GetFileName(path));
        if (policy is null)
        {
            output.WriteLine($"INVALID: {problems.Count} problem(s) in {path}");
            foreach (var problem in problems)
            {
                output.WriteLine($"  {problem}");
            }

            return Invalid;
        }

        output.WriteLine($"OK: policy {policy.Id} version {policy.Version}, {policy.Rules.Count} rules, sha256 {policy.ContentSha256}");
        foreach (var group in policy.Rules.GroupBy(r => r.MessageType))
        {
            output.WriteLine($"  {ContractEnums.Name(group.Key),-36} {string.Join(", ", group.Select(r => r.Id))}");
        }

        return 0;
    }

    /// <summary>Decides one what-if disclosure and prints the decision; returns the exit code.</summary>
    public static int Explain(ExplainArguments arguments, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var policy = LoadPolicy(arguments.PolicyPath);
        var (partners, consultations) = LoadRegistry(arguments.ConfigPath);
        var from = FindPartner(partners, arguments.From, "--from");
        var to = FindPartner(partners, arguments.To, "--to");
        var category = EnumArguments.Parse<DataCategory>(ContractEnums.DataCategory, arguments.Category, "--category");
        var messageType = arguments.MessageType is null ? DefaultMessageType(category) : EnumArguments.Parse<MessageType>(ContractEnums.MessageType, arguments.MessageType, "--message-type");
        var request = new DisclosureRequest
        {
            Sender = from,
            Recipient = to,
            MessageType = messageType,
            Category = category,
            Purpose = EnumArguments.Parse<Purpose>(ContractEnums.Purpose, arguments.Purpose, "--purpose"),
            LegalBasis = EnumArguments.Parse<LegalBasis>(ContractEnums.LegalBasis, arguments.Basis, "--basis"),
            Justification = arguments.Justification,
            SubjectMunicipalities = arguments.SubjectMunicipalities,
            CaseConsultationId = arguments.CaseConsultation,
        };

        var decision = policy.Decide(request, consultations);
        Line(output, "Decision", decision.IsAllowed ? "ALLOWED" : "DENIED");
        Line(output, "From", $"{from} [{string.Join(", ", from.Roles.Select(ContractEnums.Name))}]");
        Line(output, "To", $"{to} [{string.Join(", ", to.Roles.Select(ContractEnums.Name))}]");
        Line(output, "Message", $"{ContractEnums.Name(messageType)} ({ContractEnums.Name(category)})");
        Line(output, "Grounds", $"{ContractEnums.Name(request.LegalBasis)} for {ContractEnums.Name(request.Purpose)}");
        if (decision.Rule is { } rule)
        {
            Line(output, "Rule", $"{rule.Id} (line {rule.Line})");
            Line(output, "Citation", rule.Citation);
        }

        Line(output, "Reason", decision.Explanation);
        if (decision.IsAllowed)
        {
            Line(output, "Fields", string.Join(", ", decision.DisclosedFields));
            Line(output, "Retention", $"{decision.Retention!.Value.TotalDays:0} days");
        }
        else if (decision.Alternatives.Count > 0)
        {
            foreach (var alternative in decision.Alternatives)
            {
                var conditions = alternative.Conditions == PolicyCondition.None ? string.Empty : $", if {ConditionNames.Describe(alternative.Conditions)}";
                Line(output, "Instead", $"{ContractEnums.Name(alternative.LegalBasis)} for {ContractEnums.Name(alternative.Purpose)} (rule {alternative.RuleId}{conditions})");
            }
        }

        Line(output, "Policy", $"{decision.PolicyId} {decision.PolicyVersion}");
        return decision.IsAllowed ? 0 : Denied;
    }

    private static Command CreateCheck()
    {
        var file = new Argument<string>("FILE") { Description = "The policy file (YAML) to validate." };
        var command = new Command("check", "Validate a policy file the way the hub does before it takes it into force.") { file };
        command.SetAction(parse => Check(parse.GetValue(file)!, parse.InvocationConfiguration.Output));
        return command;
    }

    private static Command CreateExplain()
    {
        var from = new Option<string>("--from") { Description = "The sender's OIN (or partner name).", Required = true };
        var to = new Option<string>("--to") { Description = "The recipient's OIN (or partner name).", Required = true };
        var category = new Option<string>("--category") { Description = "Data category, e.g. END_OF_DETENTION_NOTICE, SIGNAL, POLICE_DATA.", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "Purpose, e.g. RELEASE_PREPARATION.", Required = true };
        var basis = new Option<string>("--basis") { Description = "Legal basis, e.g. AVG_ART_6_1_E, WPG_ART_20.", Required = true };
        var messageType = new Option<string?>("--message-type") { Description = "Message type; defaults to the usual one for the category." };
        var justification = new Option<string?>("--justification") { Description = "Justification text, for bases that need one." };
        var municipalities = new Option<string[]>("--subject-municipality") { Description = "The subject's municipality code(s), e.g. GM0599.", AllowMultipleArgumentsPerToken = true };
        var consultation = new Option<string?>("--case-consultation") { Description = "The case consultation id the disclosure is for." };
        var policy = new Option<string?>("--policy")
        {
            Description = "The policy file. Default: $EXCHANGEHUB_POLICY, else the repository's default policy.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_POLICY"),
        };
        var config = new Option<string?>("--config")
        {
            Description = "A hub configuration file (JSON) with ExchangeHub:Partners and ExchangeHub:CaseConsultations. Default: $EXCHANGEHUB_CONFIG, else the repository's appsettings.Development.json.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_CONFIG"),
        };
        var command = new Command("explain", "Decide one disclosure under a policy, as the hub would, and say why.")
        {
            from, to, category, purpose, basis, messageType, justification, municipalities, consultation, policy, config,
        };
        command.SetAction(parse => Explain(
            new ExplainArguments(
                parse.GetValue(from)!,
                parse.GetValue(to)!,
                parse.GetValue(category)!,
                parse.GetValue(purpose)!,
                parse.GetValue(basis)!,
                parse.GetValue(messageType),
                parse.GetValue(justification),
                parse.GetValue(municipalities) ?? [],
                parse.GetValue(consultation),
                parse.GetValue(policy) ?? RepositoryFile("src/ExchangeHub.Server/policy/default-policy.yaml", "--policy"),
                parse.GetValue(config) ?? RepositoryFile("src/ExchangeHub.Server/appsettings.Development.json", "--config")),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static CompiledPolicy LoadPolicy(string path)
    {
        if (!File.Exists(path))
        {
            throw new CommandLineException($"'{path}' does not exist.");
        }

        var (policy, problems) = PolicyLoader.Check(File.ReadAllBytes(path), Path.GetFileName(path));
        return policy ?? throw new CommandLineException($"the policy is invalid; run 'hubctl policy check {path}'. First problem: {problems[0]}");
    }

    private static (IReadOnlyList<Partner> Partners, ICaseConsultationDirectory Consultations) LoadRegistry(string path)
    {
        if (!File.Exists(path))
        {
            throw new CommandLineException($"'{path}' does not exist.");
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false).Build();
        var registry = new PartnerRegistryOptions();
        configuration.GetSection(PartnerRegistryOptions.SectionName).Bind(registry);
        var validation = new PartnerRegistryOptionsValidator().Validate(null, registry);
        if (validation.Failed)
        {
            throw new CommandLineException($"the partner registry in '{path}' is invalid: {validation.FailureMessage}");
        }

        var consultations = new CaseConsultationOptions();
        configuration.GetSection(CaseConsultationOptions.SectionName).Bind(consultations);
        return (ConfiguredPartnerRegistry.ToPartners(registry), new ConfiguredCaseConsultationDirectory(new StaticOptionsMonitor<CaseConsultationOptions>(consultations)));
    }

    private static Partner FindPartner(IReadOnlyList<Partner> partners, string key, string option) =>
        partners.FirstOrDefault(p => p.Oin.Value == key)
        ?? partners.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new CommandLineException($"{option} '{key}' is not a registered partner; known: {string.Join(", ", partners.Select(p => $"{p.Oin} {p.Name}"))}");

    private static MessageType DefaultMessageType(DataCategory category) => category switch
    {
        DataCategory.EndOfDetentionNotice => MessageType.EndOfDetentionNotice,
        DataCategory.OfficialReport => MessageType.OfficialReport,
        DataCategory.ReintegrationData => MessageType.ReintegrationData,
        DataCategory.Signal or DataCategory.PoliceData or DataCategory.CriminalProcedureData or DataCategory.ChildProtectionData => MessageType.Signal,
        _ => throw new CommandLineException($"give --message-type: category {ContractEnums.Name(category)} has no usual message type"),
    };

    // A published hubctl has no repository around it; under dotnet run it does. Look upwards.
    private static string RepositoryFile(string relative, string option)
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CommandLineException($"give {option}: no {relative} found in this directory or above it.");
    }

    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine($"{label,-12} {value}");

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

/// <summary>The arguments of <c>hubctl policy explain</c>.</summary>
internal sealed record ExplainArguments(
    string From,
    string To,
    string Category,
    string Purpose,
    string Basis,
    string? MessageType,
    string? Justification,
    IReadOnlyCollection<string> SubjectMunicipalities,
    string? CaseConsultation,
    string PolicyPath,
    string ConfigPath);
