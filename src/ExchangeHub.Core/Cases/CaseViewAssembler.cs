// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Globalization;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;

namespace ExchangeHub.Core.Cases;

/// <summary>
/// Builds the answer to a case query from the items the hub holds, deciding every item on its own under the
/// policy's CASE_QUERY rules: its provider as sender, the caller as recipient, the query's grounds. So jurisdiction
/// and case-consultation membership hold per item, and each item is stripped by the one minimisation the policy
/// applies everywhere. A query that may see nothing is refused with the same answer whether the hub holds nothing
/// on the subject or nothing the caller may see: otherwise any municipality could learn, by asking, whom the chain
/// knows and where they live.
/// </summary>
public static class CaseViewAssembler
{
    /// <summary>What the query's grounds allow the caller before any data is read: the rules, and the categories to look at.</summary>
    public static CaseScreening Screen(CompiledPolicy policy, CaseQuery query)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(query);
        var grounds = query.Grounds;
        var decision = policy.DecideQuery(query.Caller, MessageType.CaseQuery, grounds.Purpose, grounds.LegalBasis, grounds.Justification);
        if (decision.Denial is { } denial)
        {
            return new CaseScreening { Denial = denial, Alternatives = decision.Alternatives };
        }

        var covered = decision.Rules.SelectMany(r => r.Categories).ToHashSet();
        var requested = query.Categories.Distinct().ToList();
        var notCovered = requested.Where(c => !covered.Contains(c)).ToList();
        var categories = (requested.Count == 0 ? covered : requested.Where(covered.Contains)).ToFrozenSet();
        if (categories.Count > 0)
        {
            return new CaseScreening { Rules = decision.Rules, Categories = categories, NotCovered = notCovered, Alternatives = decision.Alternatives };
        }

        var alternatives = AlternativesFor(policy, query.Caller, requested, grounds);
        return new CaseScreening
        {
            Denial = Deny(policy, DecisionReason.MessageNotCoveredByBasis, HubErrors.CategoriesNotCovered, alternatives,
                ContractEnums.Name(grounds.LegalBasis), ContractEnums.Name(grounds.Purpose), Names(requested), query.Caller, Names(covered), AlternativesText(alternatives)),
            Alternatives = decision.Alternatives,
        };
    }

    /// <summary>
    /// Decides every item of <paramref name="entries"/> that the screening lets through and assembles the view of
    /// the allowed ones, or refuses the query when none is allowed. <paramref name="findPartner"/> resolves a
    /// provider's OIN to the partner (enabled or not); an item of a provider the hub no longer knows is left out.
    /// </summary>
    public static CaseAssembly Assemble(
        CompiledPolicy policy,
        ICaseConsultationDirectory caseConsultations,
        CaseQuery query,
        CaseScreening screening,
        IReadOnlyList<CaseEntry> entries,
        Func<string, Partner?> findPartner)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(caseConsultations);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(screening);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(findPartner);
        if (screening.Denial is { } refused)
        {
            return CaseAssembly.Denied(refused);
        }

        var caller = query.Caller;
        var grounds = query.Grounds;
        var items = new List<DisclosedItem>();
        var leftOut = new List<(CaseEntry Entry, Decision? Decision)>();
        foreach (var entry in entries)
        {
            // Not asked for, not of the case consultation asked about, or a report for someone else: not part of this
            // query at all (a report is only ever shown to the one it is addressed to).
            if (!screening.Categories.Contains(entry.Category)
                || (query.CaseConsultationId is { } consultation && entry.CaseConsultationId != consultation)
                || (entry.Category == DataCategory.OfficialReport && entry.AddresseeOin != caller.Oin.Value))
            {
                continue;
            }

            if (findPartner(entry.SenderOin) is not { } provider)
            {
                leftOut.Add((entry, null));
                continue;
            }

            var decision = policy.Decide(
                new DisclosureRequest
                {
                    Sender = provider,
                    Recipient = caller,
                    MessageType = MessageType.CaseQuery,
                    Category = entry.Category,
                    Purpose = grounds.Purpose,
                    LegalBasis = grounds.LegalBasis,
                    Justification = grounds.Justification,
                    SubjectMunicipalities = entry.SubjectMunicipalities,
                    CaseConsultationId = entry.CaseConsultationId,
                    Payload = entry.Item,
                },
                caseConsultations);
            if (decision.IsAllowed)
            {
                items.Add(new DisclosedItem(entry, provider, decision, (CaseView)decision.DisclosedPayload!, [.. CaseViewLists.In(entry.List, decision.DisclosedFields)]));
            }
            else
            {
                leftOut.Add((entry, decision));
            }
        }

        if (items.Count == 0)
        {
            var alternatives = screening.Alternatives;
            return CaseAssembly.Denied(Deny(policy, DecisionReason.NothingDisclosable, HubErrors.NothingDisclosable, alternatives,
                caller, ContractEnums.Name(grounds.Purpose), ContractEnums.Name(grounds.LegalBasis), string.Join(", ", screening.Rules.Select(r => r.Id)),
                alternatives.Count == 0 ? string.Empty : AlternativesText(alternatives)));
        }

        var view = new CaseView
        {
            Subject = query.Subject.Clone(),
            Decision = DisclosureDecision.Allowed,
            PolicyId = policy.Id,
            PolicyVersion = policy.Version,
        };
        foreach (var item in items)
        {
            view.MergeFrom(item.View); // appends the one item to its list; everything else of it is empty
        }

        var rules = items.Select(i => i.Decision.Rule!).Distinct().ToList();
        view.RuleId = string.Join(",", rules.Select(r => r.Id));
        view.DisclosedFields.AddRange(items.SelectMany(i => i.Fields).Distinct().Order(StringComparer.Ordinal));
        var partial = leftOut.Count > 0 || screening.NotCovered.Count > 0;
        if (partial)
        {
            var notCoveredAlternatives = AlternativesFor(policy, caller, screening.NotCovered, grounds);
            view.AllowedAlternatives.AddRange(leftOut.Where(l => l.Decision is not null).SelectMany(l => l.Decision!.Alternatives).Concat(notCoveredAlternatives)
                .DistinctBy(a => (a.LegalBasis, a.Purpose))
                .Select(a => new ProcessingGrounds { Purpose = a.Purpose, LegalBasis = a.LegalBasis }));
        }

        view.Reason = Reason(items, rules, leftOut, screening.NotCovered);
        return new CaseAssembly { View = view, Items = items, IsPartial = partial };
    }

    /// <summary>
    /// The answer's reason: what was disclosed under which rules and, for a partial answer, what was left out by
    /// category and why, in words that name no provider and no other data of the items left out.
    /// </summary>
    private static string Reason(List<DisclosedItem> items, List<PolicyRule> rules, List<(CaseEntry Entry, Decision? Decision)> leftOut, IReadOnlyList<DataCategory> notCovered)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Allowed: {items.Count} item(s) disclosed, each stripped to the fields of its rule: {string.Join("; ", rules.Select(r => $"rule {r.Id} ({r.Citation})"))}.");
        if (leftOut.Count > 0)
        {
            var groups = leftOut
                .GroupBy(l => (l.Entry.Category, Id: l.Decision?.ErrorId, Words: Words(l.Decision)))
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{ContractEnums.Name(g.Key.Category)} x{g.Count()} ({(g.Key.Id is null ? string.Empty : g.Key.Id + ": ")}{g.Key.Words})"));
            text += string.Create(CultureInfo.InvariantCulture, $" Partial: {leftOut.Count} item(s) left out: {string.Join("; ", groups)}.");
        }

        if (notCovered.Count > 0)
        {
            text += $" Not covered by these grounds, so left out: {Names(notCovered)}.";
        }

        return text;
    }

    private static string Words(Decision? decision) => decision?.Reason switch
    {
        null => "its provider is no longer a registered partner",
        DecisionReason.BasisNotAvailableToSender or DecisionReason.MessageNotCoveredByBasis or DecisionReason.RecipientOutsideScope or DecisionReason.PurposeNotPermitted
            => "these grounds do not cover it from its provider",
        DecisionReason.JustificationMissing => "it needs a justification",
        DecisionReason.OutsideJurisdiction => "the caller is not the subject's municipality",
        DecisionReason.NotInCaseConsultation => "the caller is not a member of the case consultation it was delivered for",
        DecisionReason.OutsideJurisdictionAndCaseConsultation => "the caller is neither the subject's municipality nor a member of the case consultation it was delivered for",
        var other => other.ToString()!,
    };

    /// <summary>Grounds, other than the query's, under which a CASE_QUERY rule covers any of <paramref name="categories"/> for the caller.</summary>
    private static List<GroundsAlternative> AlternativesFor(CompiledPolicy policy, Partner caller, IReadOnlyCollection<DataCategory> categories, ProcessingGrounds grounds) =>
    [
        .. policy.Rules
            .Where(r => r.MessageType == MessageType.CaseQuery && r.RecipientRoles.Overlaps(caller.Roles) && r.Categories.Overlaps(categories))
            .SelectMany(r => r.Purposes.Order().Select(p => new GroundsAlternative(r.LegalBasis, p, r.Id, r.Conditions)))
            .Where(a => a.LegalBasis != grounds.LegalBasis || a.Purpose != grounds.Purpose)
            .DistinctBy(a => (a.LegalBasis, a.Purpose)),
    ];

    private static string AlternativesText(IReadOnlyCollection<GroundsAlternative> alternatives) =>
        alternatives.Count == 0 ? " No other grounds allow it." : CompiledPolicy.AlternativesText(alternatives);

    private static string Names(IEnumerable<DataCategory> categories) =>
        string.Join(", ", categories.Order().Select(ContractEnums.Name));

    private static Decision Deny(CompiledPolicy policy, DecisionReason reason, HubError error, IReadOnlyList<GroundsAlternative> alternatives, params object?[] args) => new()
    {
        IsAllowed = false,
        Reason = reason,
        ErrorId = error.Id,
        Explanation = error.Format(args),
        PolicyId = policy.Id,
        PolicyVersion = policy.Version,
        Alternatives = alternatives,
    };
}
