// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Google.Protobuf;

namespace ExchangeHub.Core.Cases;

/// <summary>What the grounds of a case query allow before any data is looked at (<see cref="CaseViewAssembler.Screen"/>).</summary>
public sealed class CaseScreening
{
    /// <summary>Why the query is refused as a whole; null when it goes on to the data.</summary>
    public Decision? Denial { get; init; }

    /// <summary>The CASE_QUERY rules that may disclose items to the caller on its grounds.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; init; } = [];

    /// <summary>The categories to look at: those asked for (or all) that the rules cover.</summary>
    public FrozenSet<DataCategory> Categories { get; init; } = FrozenSet<DataCategory>.Empty;

    /// <summary>Categories asked for that the grounds do not cover; named in the answer.</summary>
    public IReadOnlyList<DataCategory> NotCovered { get; init; } = [];

    /// <summary>The other grounds under which the caller could query.</summary>
    public IReadOnlyList<GroundsAlternative> Alternatives { get; init; } = [];
}

/// <summary>The outcome of assembling a case view: refused as a whole, or the view and every item in it.</summary>
public sealed class CaseAssembly
{
    /// <summary>Why nothing is disclosed; null when the view is.</summary>
    public Decision? Denial { get; init; }

    /// <summary>The view, without its log sequence (known once it is logged); null when denied.</summary>
    public CaseView? View { get; init; }

    /// <summary>Every item disclosed, in the order of the view's lists.</summary>
    public IReadOnlyList<DisclosedItem> Items { get; init; } = [];

    /// <summary>Whether items or categories were left out.</summary>
    public bool IsPartial { get; init; }

    /// <summary>A query refused as a whole.</summary>
    public static CaseAssembly Denied(Decision denial) => new() { Denial = denial };
}

/// <summary>One item disclosed in a case view, with the decision that allowed it.</summary>
/// <param name="Entry">The item as the hub holds it.</param>
/// <param name="Provider">The partner that delivered it.</param>
/// <param name="Decision">The policy's decision, with the rule.</param>
/// <param name="View">A case view holding only this item, stripped to the rule's fields.</param>
/// <param name="Fields">The disclosed field paths (relative to the case view) of this item.</param>
public sealed record DisclosedItem(CaseEntry Entry, Partner Provider, Decision Decision, CaseView View, IReadOnlyList<string> Fields)
{
    /// <summary>The stripped item itself (a CaseNotice, CaseSignal, CaseOfficialReport or CaseReintegrationData), as the caller receives it.</summary>
    public IMessage Element =>
        View.Notices.Count > 0 ? View.Notices[0]
        : View.Signals.Count > 0 ? View.Signals[0]
        : View.OfficialReports.Count > 0 ? View.OfficialReports[0]
        : View.ReintegrationData.Count > 0 ? View.ReintegrationData[0]
        : throw new InvalidOperationException($"the disclosed view of message {Entry.MessageId} holds no item");
}
