// This file is part of ExchangeHub.

namespace ExchangeHub.Cli.Commands;

/// <summary>A mistake in how hubctl was called; printed as-is, without a stack trace, with exit code 64.</summary>
internal sealed class CommandLineException(string message) : Exception(message)
{
    public const int ExitCode = 64; // EX_USAGE
}
