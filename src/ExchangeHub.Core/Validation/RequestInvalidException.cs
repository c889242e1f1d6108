// This file is part of ExchangeHub.

using ExchangeHub.Core.Errors;

namespace ExchangeHub.Core.Validation;

/// <summary>
/// A request that the contract validator let through but that breaks a rule only the domain can check (a bound,
/// a relation between fields, a page token of another listing). Hosts report it like a contract violation:
/// INVALID_ARGUMENT, <c>EH2001</c>, with the fields named.
/// </summary>
public sealed class RequestInvalidException : Exception
{
    /// <summary>Creates the exception for one or more violations.</summary>
    public RequestInvalidException(IReadOnlyList<FieldViolation> violations)
        : base(HubErrors.InvalidRequest.Format(string.Join("; ", violations ?? throw new ArgumentNullException(nameof(violations)))))
    {
        if (violations.Count == 0)
        {
            throw new ArgumentException("An invalid request has at least one violation.", nameof(violations));
        }

        Violations = violations;
    }

    /// <summary>Creates the exception for one violation.</summary>
    public RequestInvalidException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    /// <summary>What is wrong, field by field.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }
}
