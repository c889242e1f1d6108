// This file is part of ExchangeHub.

using System.CommandLine;
using ExchangeHub.Cli.Commands;

var root = new RootCommand("hubctl: the ExchangeHub command line for partners and privacy officers.")
{
    StatusCommand.Create(TimeProvider.System),
    PolicyCommand.Create(),
    AuditCommand.Create(TimeProvider.System),
    NoticesCommand.Create(),
};

try
{
    // Usage mistakes are reported as one line; anything else keeps its stack trace for a bug report.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CommandLineException ex)
{
    await Console.Error.WriteLineAsync($"hubctl: {ex.Message}");
    return CommandLineException.ExitCode;
}
