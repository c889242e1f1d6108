// This file is part of ExchangeHub.

using System.CommandLine;
using ExchangeHub.Cli.Commands;

var root = new RootCommand("hubctl: the ExchangeHub command line for partners and privacy officers.")
{
    StatusCommand.Create(TimeProvider.System),
    PolicyCommand.Create(),
    AuditCommand.Create(TimeProvider.System),
    NoticesCommand.Create(),
    CaseCommand.Create(),
    TokenCommand.Create(TimeProvider.System),
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
catch (Grpc.Core.RpcException ex) when (ex.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded)
{
    await Console.Error.WriteLineAsync($"hubctl: the hub cannot be reached ({ex.Status.Detail}). Is it running, and does it accept this certificate? Try 'hubctl status'.");
    return 69; // EX_UNAVAILABLE
}
catch (Grpc.Core.RpcException ex)
{
    // The hub's refusals carry a reason with a stable id (EHxxxx): show it as it is.
    await Console.Error.WriteLineAsync($"hubctl: {ex.StatusCode}: {ex.Status.Detail}");
    return 1;
}
