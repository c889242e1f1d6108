// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Policy;

/// <summary>One thing wrong with a policy file, with where it is.</summary>
/// <param name="Source">The file (or other source) name.</param>
/// <param name="Line">The 1-based line, or 0 when the problem concerns the file as a whole.</param>
/// <param name="Where">The element, e.g. <c>rules[3] (eod-to-mayor).purposes[1]</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyProblem(string Source, int Line, string Where, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}:{Line}: {Where}: {Message}";
}

/// <summary>A policy file failed validation; <see cref="Problems"/> lists every problem found.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public PolicyValidationException(IReadOnlyList<PolicyProblem> problems)
        : base($"EH3101: the policy is invalid ({problems?.Count} problem(s)):{Environment.NewLine}" + string.Join(Environment.NewLine, problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<PolicyProblem> Problems { get; }
}
