// This file is part of ExchangeHub.

using System.Globalization;
using System.Text;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Subjects;
using ExchangeHub.Core.Validation;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Core.Ledger;

/// <summary>
/// Which disclosure records a privacy officer asks for: the checked, normalised form of the contract's
/// <see cref="DisclosureFilter"/>. Criteria combine with AND, the values within one criterion with OR, and an empty
/// criterion matches everything. A BSN is turned into the hub's subject pseudonym here and is not kept. Build one
/// with <see cref="FromFilter"/>, the only way in, so that every host applies the same rules.
/// </summary>
public sealed class DisclosureQuery
{
    /// <summary>The most partners one filter may name (the contract's bound).</summary>
    public const int MaxPartners = 50;

    private readonly HashSet<string> _partnerSet;

    private DisclosureQuery(
        string? subjectPseudonym,
        IReadOnlyList<string> partnerOins,
        IReadOnlyList<LegalBasis> legalBases,
        IReadOnlyList<Purpose> purposes,
        IReadOnlyList<DisclosureDecision> decisions,
        IReadOnlyList<DataCategory> categories,
        Timestamp? periodStart,
        Timestamp? periodEnd)
    {
        SubjectPseudonym = subjectPseudonym;
        PartnerOins = partnerOins;
        LegalBases = legalBases;
        Purposes = purposes;
        Decisions = decisions;
        Categories = categories;
        PeriodStart = periodStart;
        PeriodEnd = periodEnd;
        _partnerSet = new HashSet<string>(partnerOins, StringComparer.Ordinal);
    }

    /// <summary>The query that matches every disclosure record.</summary>
    public static DisclosureQuery All { get; } = new(null, [], [], [], [], [], null, null);

    /// <summary>The hub's pseudonym of the one subject asked for, or null for every subject.</summary>
    public string? SubjectPseudonym { get; }

    /// <summary>OINs of which any must be sender, recipient or data provider; distinct and in ordinal order.</summary>
    public IReadOnlyList<string> PartnerOins { get; }

    /// <summary>Legal bases of which the record must have one; distinct, ascending.</summary>
    public IReadOnlyList<LegalBasis> LegalBases { get; }

    /// <summary>Purposes of which the record must have one; distinct, ascending.</summary>
    public IReadOnlyList<Purpose> Purposes { get; }

    /// <summary>Decisions of which the record must have one; distinct, ascending.</summary>
    public IReadOnlyList<DisclosureDecision> Decisions { get; }

    /// <summary>Data categories of which the record must have one; distinct, ascending.</summary>
    public IReadOnlyList<DataCategory> Categories { get; }

    /// <summary>Only records with recorded_at at or after this instant; null for no lower bound.</summary>
    public Timestamp? PeriodStart { get; }

    /// <summary>Only records with recorded_at before this instant (half-open period); null for no upper bound.</summary>
    public Timestamp? PeriodEnd { get; }

    /// <summary>
    /// Checks <paramref name="filter"/> against the contract (formats, enums, at most <see cref="MaxPartners"/>
    /// partners, a period that ends after it starts) and normalises it: a BSN becomes its pseudonym under
    /// <paramref name="pseudonymizer"/>, repeated values are de-duplicated and sorted. A null filter is
    /// <see cref="All"/>. Throws <see cref="RequestInvalidException"/> naming each field (under
    /// <paramref name="path"/>, the filter's field name in the request) that is wrong.
    /// </summary>
    public static DisclosureQuery FromFilter(DisclosureFilter? filter, SubjectPseudonymizer pseudonymizer, string path = "filter")
    {
        ArgumentNullException.ThrowIfNull(pseudonymizer);
        if (filter is null)
        {
            return All;
        }

        // The same generic checks the gRPC host runs on every request, so that another host (a web page)
        // cannot skip them; then the bounds only this filter has.
        var violations = ContractValidator.Validate(filter).Select(v => v with { Field = $"{path}.{v.Field}" }).ToList();
        if (filter.Partners.Count > MaxPartners)
        {
            violations.Add(new($"{path}.partners", $"at most {MaxPartners} partners; this filter names {filter.Partners.Count}"));
        }

        if (filter.PeriodStart is not null && filter.PeriodEnd is not null && filter.PeriodEnd <= filter.PeriodStart)
        {
            violations.Add(new($"{path}.period_end", "must be after period_start (the period is half-open: start included, end excluded)"));
        }

        if (violations.Count > 0)
        {
            throw new RequestInvalidException(violations);
        }

        var subject = filter.SubjectFilterCase switch
        {
            DisclosureFilter.SubjectFilterOneofCase.SubjectPseudonym => filter.SubjectPseudonym,
            DisclosureFilter.SubjectFilterOneofCase.Bsn => pseudonymizer.Pseudonymize(Bsn.Parse(filter.Bsn)),
            _ => null,
        };
        return new DisclosureQuery(
            subject,
            [.. filter.Partners.Select(p => p.Oin).Distinct().Order(StringComparer.Ordinal)],
            [.. filter.LegalBases.Distinct().Order()],
            [.. filter.Purposes.Distinct().Order()],
            [.. filter.Decisions.Distinct().Order()],
            [.. filter.Categories.Distinct().Order()],
            filter.PeriodStart?.Clone(),
            filter.PeriodEnd?.Clone());
    }

    /// <summary>
    /// Whether <paramref name="record"/> matches, judged on the record itself (the leaf), never on the search
    /// columns derived from it.
    /// </summary>
    public bool Matches(DisclosureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (SubjectPseudonym is not null && record.SubjectPseudonym != SubjectPseudonym)
        {
            return false;
        }

        if (_partnerSet.Count > 0
            && !(record.Sender is { } sender && _partnerSet.Contains(sender.Oin))
            && !(record.Recipient is { } recipient && _partnerSet.Contains(recipient.Oin))
            && !record.DataProviders.Any(p => _partnerSet.Contains(p.Oin)))
        {
            return false;
        }

        if ((LegalBases.Count > 0 && !LegalBases.Contains(record.LegalBasis))
            || (Purposes.Count > 0 && !Purposes.Contains(record.Purpose))
            || (Decisions.Count > 0 && !Decisions.Contains(record.Decision))
            || (Categories.Count > 0 && !Categories.Contains(record.Category)))
        {
            return false;
        }

        if (PeriodStart is null && PeriodEnd is null)
        {
            return true;
        }

        return record.RecordedAt is { } at
            && (PeriodStart is null || at >= PeriodStart)
            && (PeriodEnd is null || at < PeriodEnd);
    }

    /// <summary>
    /// The query in words, canonical: two queries that select the same records have the same text (order and
    /// repetition of values do not matter, a BSN appears as its pseudonym). Page tokens are bound to it, and the
    /// log records of listings and exports quote it.
    /// </summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (SubjectPseudonym is not null)
        {
            parts.Add($"subject {SubjectPseudonym}");
        }

        Add("partners", PartnerOins);
        Add("legal bases", LegalBases.Select(ContractEnums.Name));
        Add("purposes", Purposes.Select(ContractEnums.Name));
        Add("decisions", Decisions.Select(ContractEnums.Name));
        Add("categories", Categories.Select(ContractEnums.Name));
        if (PeriodStart is not null || PeriodEnd is not null)
        {
            parts.Add($"recorded from {Format(PeriodStart) ?? "the start"} until {Format(PeriodEnd) ?? "now"}");
        }

        return parts.Count == 0 ? "all disclosure records" : string.Join("; ", parts);

        void Add(string name, IEnumerable<string> values)
        {
            var text = string.Join(", ", values);
            if (text.Length > 0)
            {
                parts.Add($"{name} {text}");
            }
        }
    }

    /// <summary>The canonical text as UTF-8, for binding a page token to this query.</summary>
    internal byte[] CanonicalBytes() => Encoding.UTF8.GetBytes(ToString());

    // RFC 3339 as in the proto3 JSON mapping: exact to the nanosecond, so two different bounds never read alike.
    private static string? Format(Timestamp? timestamp) =>
        timestamp is null ? null : string.Create(CultureInfo.InvariantCulture, $"{timestamp.ToDateTime():yyyy-MM-dd'T'HH:mm:ss}{Fraction(timestamp.Nanos)}Z");

    private static string Fraction(int nanos) =>
        nanos == 0 ? string.Empty : "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
}
