// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Partners;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// A validated policy, indexed for deciding. An allowed decision costs one dictionary lookup per pair of
/// sender and recipient roles (usually one) and allocates nothing when the request has no payload; only a
/// denial, which must explain itself, looks further.
/// </summary>
public sealed class CompiledPolicy
{
    private readonly FrozenDictionary<RuleKey, PolicyRule> _index;
    private readonly FrozenDictionary<PolicyRule, Decision> _allowedWithoutPayload;

    internal CompiledPolicy(string id, string version, string contentSha256, IReadOnlyList<PolicyRule> rules, FrozenDictionary<RuleKey, PolicyRule> index)
    {
        Id = id;
        Version = version;
        ContentSha256 = contentSha256;
        Rules = rules;
        _index = index;
        _allowedWithoutPayload = rules.ToFrozenDictionary(r => r, r => new Decision
        {
            IsAllowed = true,
            Reason = DecisionReason.Allowed,
            Explanation = $"Allowed by rule {r.Id}: {r.Citation}.",
            PolicyId = id,
            PolicyVersion = version,
            Rule = r,
        });
    }

    /// <summary>The policy's id.</summary>
    public string Id { get; }

    /// <summary>The policy's version; recorded with every decision.</summary>
    public string Version { get; }

    /// <summary>SHA-256 of the policy file's bytes, hex: tells two files with the same version apart.</summary>
    public string ContentSha256 { get; }

    /// <summary>The rules, in file order.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Decides <paramref name="request"/>. Throws on a request without purpose or basis (INVALID_ARGUMENT upstream).</summary>
    public Decision Decide(DisclosureRequest request, ICaseConsultationDirectory caseConsultations)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caseConsultations);
        if (request.Purpose == Purpose.Unspecified || request.LegalBasis == LegalBasis.Unspecified)
        {
            // Fail closed: the validator rejects these before they get here; a caller that skipped it is a bug.
            throw new ArgumentException("A disclosure request needs a purpose and a legal basis.", nameof(request));
        }

        Decision? conditionFailure = null;
        foreach (var senderRole in request.Sender.Roles)
        {
            foreach (var recipientRole in request.Recipient.Roles)
            {
                var key = new RuleKey(request.MessageType, request.Category, request.LegalBasis, request.Purpose, senderRole, recipientRole);
                if (!_index.TryGetValue(key, out var rule))
                {
                    continue;
                }

                var failure = CheckConditions(rule, request, caseConsultations);
                if (failure is null)
                {
                    return Allow(rule, request);
                }

                conditionFailure ??= failure;
            }
        }

        return conditionFailure ?? Diagnose(request);
    }

    private Decision Allow(PolicyRule rule, DisclosureRequest request)
    {
        var cached = _allowedWithoutPayload[rule];
        if (request.Payload is null)
        {
            return cached;
        }

        return new Decision
        {
            IsAllowed = true,
            Reason = DecisionReason.Allowed,
            Explanation = cached.Explanation,
            PolicyId = Id,
            PolicyVersion = Version,
            Rule = rule,
            DisclosedPayload = rule.Fields.Apply(request.Payload),
        };
    }

    private Decision? CheckConditions(PolicyRule rule, DisclosureRequest request, ICaseConsultationDirectory caseConsultations)
    {
        // Bit tests, not Enum.HasFlag: HasFlag boxes both operands until the JIT optimises the method (tier 0,
        // debug builds), and an allowed decision must allocate nothing.
        if ((rule.Conditions & PolicyCondition.JustificationRequired) != 0 && string.IsNullOrWhiteSpace(request.Justification))
        {
            return Deny(DecisionReason.JustificationMissing, HubErrors.JustificationMissing, [rule.Citation, rule.Id], Alternatives(request), rule);
        }

        if ((rule.Conditions & PolicyCondition.RecipientIsSubjectMunicipality) != 0
            && request.Recipient.HasRole(PartnerRole.Municipality)
            && (request.Recipient.MunicipalityCode is not { } code || !request.SubjectMunicipalities.Contains(code)))
        {
            var subject = request.SubjectMunicipalities.Count == 0 ? "unknown" : string.Join(", ", request.SubjectMunicipalities);
            return Deny(DecisionReason.OutsideJurisdiction, HubErrors.OutsideJurisdiction, [request.Recipient.Name, request.Recipient.MunicipalityCode, subject, rule.Id], Alternatives(request), rule);
        }

        if ((rule.Conditions & PolicyCondition.RecipientInCaseConsultation) != 0)
        {
            if (string.IsNullOrWhiteSpace(request.CaseConsultationId))
            {
                return Deny(DecisionReason.NotInCaseConsultation, HubErrors.NoCaseConsultation, [rule.Id, rule.Citation], Alternatives(request), rule);
            }

            if (!caseConsultations.IsMember(request.CaseConsultationId, request.Recipient.Oin))
            {
                return Deny(DecisionReason.NotInCaseConsultation, HubErrors.NotInCaseConsultation, [request.Recipient, request.CaseConsultationId, rule.Id, rule.Citation], Alternatives(request), rule);
            }
        }

        if ((rule.Conditions & PolicyCondition.RecipientIsSubjectMunicipalityOrInCaseConsultation) != 0
            && !IsSubjectMunicipality(request)
            && (string.IsNullOrWhiteSpace(request.CaseConsultationId) || !caseConsultations.IsMember(request.CaseConsultationId, request.Recipient.Oin)))
        {
            var subject = request.SubjectMunicipalities.Count == 0 ? "unknown" : string.Join(", ", request.SubjectMunicipalities);
            var consultation = string.IsNullOrWhiteSpace(request.CaseConsultationId) ? "none named" : $"'{request.CaseConsultationId}'";
            return Deny(DecisionReason.OutsideJurisdictionAndCaseConsultation, HubErrors.OutsideJurisdictionAndCaseConsultation,
                [request.Recipient.Name, request.Recipient.MunicipalityCode ?? "not a municipality", subject, consultation, rule.Id], Alternatives(request), rule);
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="recipient"/> may ask for data of <paramref name="messageType"/> on these grounds at
    /// all, before any data is looked at: some rule must let a partner with its roles receive it on this basis, for
    /// this purpose, with the justification the rule needs. Allowed: the rules under which items may then be
    /// disclosed to it, each item decided by <see cref="Decide"/>. Denied: why, in the order a person would check
    /// it, and the grounds under which it could ask instead (also given when allowed: the other grounds).
    /// </summary>
    public QueryDecision DecideQuery(Partner recipient, MessageType messageType, Purpose purpose, LegalBasis legalBasis, string? justification)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (purpose == Purpose.Unspecified || legalBasis == LegalBasis.Unspecified)
        {
            throw new ArgumentException("A query needs a purpose and a legal basis.", nameof(purpose));
        }

        var forRecipient = Rules.Where(r => r.MessageType == messageType && r.RecipientRoles.Overlaps(recipient.Roles)).ToList();
        List<GroundsAlternative> alternatives =
        [
            .. forRecipient
                .SelectMany(r => r.Purposes.Order().Select(p => new GroundsAlternative(r.LegalBasis, p, r.Id, r.Conditions)))
                .Where(a => a.LegalBasis != legalBasis || a.Purpose != purpose)
                .DistinctBy(a => (a.LegalBasis, a.Purpose)),
        ];
        var type = ContractEnums.Name(messageType);
        if (forRecipient.Count == 0)
        {
            return new QueryDecision(Deny(DecisionReason.RecipientOutsideScope, HubErrors.QueryNotForRecipient, [recipient, RoleNames(recipient), type, Id, Version], alternatives), [], alternatives);
        }

        var matching = forRecipient.Where(r => r.LegalBasis == legalBasis && r.Purposes.Contains(purpose)).ToList();
        if (matching.Count == 0)
        {
            var withBasis = forRecipient.Where(r => r.LegalBasis == legalBasis).ToList();
            var denial = withBasis.Count == 0
                ? Deny(DecisionReason.MessageNotCoveredByBasis, HubErrors.QueryNotCoveredByBasis, [ContractEnums.Name(legalBasis), type, recipient, RoleNames(recipient), Id, Version, AlternativesText(alternatives)], alternatives)
                : Deny(DecisionReason.PurposeNotPermitted, HubErrors.PurposeNotPermitted,
                    [ContractEnums.Name(purpose), withBasis[0].Citation, withBasis[0].Id, string.Join(", ", withBasis.SelectMany(r => r.Purposes).Distinct().Select(ContractEnums.Name).Order(StringComparer.Ordinal)), AlternativesText(alternatives)],
                    alternatives, withBasis[0]);
            return new QueryDecision(denial, [], alternatives);
        }

        if (string.IsNullOrWhiteSpace(justification) && matching.All(r => (r.Conditions & PolicyCondition.JustificationRequired) != 0))
        {
            return new QueryDecision(Deny(DecisionReason.JustificationMissing, HubErrors.JustificationMissing, [matching[0].Citation, matching[0].Id], alternatives, matching[0]), [], alternatives);
        }

        return new QueryDecision(null, matching, alternatives);
    }

    /// <summary>The alternatives in words, as denials append them: " Allowed instead: ..." (or that there are none).</summary>
    internal static string AlternativesText(IReadOnlyCollection<GroundsAlternative> alternatives) =>
        alternatives.Count == 0
            ? " No basis in this policy allows this sender to give this message to this recipient."
            : " Allowed instead: " + string.Join("; ", alternatives.Select(a =>
                $"{ContractEnums.Name(a.LegalBasis)} for {ContractEnums.Name(a.Purpose)} (rule {a.RuleId}{(a.Conditions == PolicyCondition.None ? string.Empty : ", if " + ConditionNames.Describe(a.Conditions))})")) + ".";

    private static bool IsSubjectMunicipality(DisclosureRequest request) =>
        request.Recipient.HasRole(PartnerRole.Municipality)
        && request.Recipient.MunicipalityCode is { } code
        && request.SubjectMunicipalities.Contains(code);

    /// <summary>Finds the first thing that is missing, in the order a person would check it.</summary>
    private Decision Diagnose(DisclosureRequest request)
    {
        var basis = ContractEnums.Name(request.LegalBasis);
        var sender = request.Sender;
        var senderRoles = RoleNames(sender);
        var message = $"{ContractEnums.Name(request.MessageType)} ({ContractEnums.Name(request.Category)})";
        var alternatives = Alternatives(request);
        var alternativesText = AlternativesText(alternatives);

        // A case query rule rests on the querying recipient's basis, a delivery rule on the sender's: each kind of
        // request is diagnosed against its own kind of rule, so that a basis a partner's data may be queried under
        // does not read as a basis that partner may send under.
        var query = request.MessageType == MessageType.CaseQuery;
        var forSender = Rules.Where(r => (r.MessageType == MessageType.CaseQuery) == query && r.LegalBasis == request.LegalBasis && r.SenderRoles.Overlaps(sender.Roles)).ToList();
        if (forSender.Count == 0)
        {
            return Deny(DecisionReason.BasisNotAvailableToSender, HubErrors.BasisNotAvailableToSender, [basis, sender, senderRoles, Id, Version, alternativesText], alternatives);
        }

        var forMessage = forSender.Where(r => r.MessageType == request.MessageType && r.Categories.Contains(request.Category)).ToList();
        if (forMessage.Count == 0)
        {
            return Deny(DecisionReason.MessageNotCoveredByBasis, HubErrors.MessageNotCoveredByBasis, [basis, message, sender, Id, Version, alternativesText], alternatives);
        }

        var forRecipient = forMessage.Where(r => r.RecipientRoles.Overlaps(request.Recipient.Roles)).ToList();
        if (forRecipient.Count == 0)
        {
            return Deny(DecisionReason.RecipientOutsideScope, HubErrors.RecipientOutsideScope, [request.Recipient, RoleNames(request.Recipient), basis, message, sender, Id, Version, alternativesText], alternatives);
        }

        var rule = forRecipient[0];
        var permitted = string.Join(", ", forRecipient.SelectMany(r => r.Purposes).Distinct().Select(ContractEnums.Name).Order(StringComparer.Ordinal));
        return Deny(DecisionReason.PurposeNotPermitted, HubErrors.PurposeNotPermitted, [ContractEnums.Name(request.Purpose), rule.Citation, rule.Id, permitted, alternativesText], alternatives, rule);
    }

    private Decision Deny(DecisionReason reason, HubError error, object?[] args, List<GroundsAlternative> alternatives, PolicyRule? rule = null) => new()
    {
        IsAllowed = false,
        Reason = reason,
        ErrorId = error.Id,
        Explanation = error.Format(args),
        PolicyId = Id,
        PolicyVersion = Version,
        Rule = rule,
        Alternatives = alternatives,
    };

    /// <summary>Every basis and purpose under which this sender may give this message to this recipient.</summary>
    private List<GroundsAlternative> Alternatives(DisclosureRequest request) =>
    [
        .. Rules
            .Where(r => r.MessageType == request.MessageType && r.Categories.Contains(request.Category)
                && r.SenderRoles.Overlaps(request.Sender.Roles) && r.RecipientRoles.Overlaps(request.Recipient.Roles))
            .SelectMany(r => r.Purposes.Order().Select(p => new GroundsAlternative(r.LegalBasis, p, r.Id, r.Conditions)))
            .Where(a => a.LegalBasis != request.LegalBasis || a.Purpose != request.Purpose)
            .DistinctBy(a => (a.LegalBasis, a.Purpose)),
    ];

    private static string RoleNames(Partner partner) =>
        string.Join(", ", partner.Roles.Select(ContractEnums.Name).Order(StringComparer.Ordinal));
}

/// <summary>The answer of <see cref="CompiledPolicy.DecideQuery"/>.</summary>
/// <param name="Denial">Why the query is refused as a whole; null when it may go on.</param>
/// <param name="Rules">When it may go on: the rules under which items may be disclosed to the caller on its grounds.</param>
/// <param name="Alternatives">The other grounds under which the caller could query.</param>
public sealed record QueryDecision(Decision? Denial, IReadOnlyList<PolicyRule> Rules, IReadOnlyList<GroundsAlternative> Alternatives)
{
    /// <summary>Whether the query may go on to the data.</summary>
    public bool IsAllowed => Denial is null;
}

/// <summary>The index key: one combination that a rule allows.</summary>
internal readonly record struct RuleKey(MessageType MessageType, DataCategory Category, LegalBasis LegalBasis, Purpose Purpose, PartnerRole Sender, PartnerRole Recipient);
