// This file is part of ExchangeHub.

using System.CommandLine;
using ExchangeHub.Core.Ledger.Notes;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// Which log an auditor checks: the log's pinned verifier key (published by the hub operator, never taken from
/// the hub over the wire) and its origin, which by convention is the key's name.
/// </summary>
internal sealed record LogKeySettings(NoteVerifierKey Key, string Origin, string StateDirectory)
{
    public static readonly Option<string?> LogKeyOption = new("--log-key")
    {
        Description = "The log's note verifier key (name+hash+base64), or a file holding it. Default: $EXCHANGEHUB_LOG_KEY.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_LOG_KEY"),
    };

    public static readonly Option<string?> OriginOption = new("--origin")
    {
        Description = "The log's origin (first checkpoint line). Default: the key's name.",
    };

    public static readonly Option<string?> StateOption = new("--state")
    {
        Description = "Where this auditor keeps what it verified last. Default: ~/.exchangehub/audit/<origin>.",
    };

    public static void AddOptionsTo(Command command)
    {
        command.Options.Add(LogKeyOption);
        command.Options.Add(OriginOption);
        command.Options.Add(StateOption);
    }

    public static LogKeySettings FromParseResult(ParseResult parse)
    {
        var text = parse.GetValue(LogKeyOption) ?? throw new CommandLineException("No log key: give --log-key (or set EXCHANGEHUB_LOG_KEY) with the verifier key the hub operator published.");
        if (File.Exists(text))
        {
            text = File.ReadAllText(text).Trim();
        }

        if (!NoteVerifierKey.TryParse(text, out var key))
        {
            throw new CommandLineException($"'{text}' is not a note verifier key (name+hash+base64).");
        }

        var origin = parse.GetValue(OriginOption) ?? key.Name;
        var state = parse.GetValue(StateOption) ?? DefaultStateDirectory(origin);
        return new LogKeySettings(key, origin, state);
    }

    public static string DefaultStateDirectory(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var safe = string.Concat(origin.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".exchangehub", "audit", safe);
    }
}
