// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// Which list of a <see cref="CaseView"/> holds the items of each data category. A CASE_QUERY rule names fields
/// only in the lists of its own categories, so a rule for notices cannot open up signals, and the fields an item
/// was disclosed with are the rule's fields in that item's list.
/// </summary>
public static class CaseViewLists
{
    /// <summary>The field name of the list that holds items of <paramref name="category"/>, or null when no list does.</summary>
    public static string? For(DataCategory category) => category switch
    {
        DataCategory.EndOfDetentionNotice => "notices",
        DataCategory.Signal or DataCategory.PoliceData or DataCategory.CriminalProcedureData or DataCategory.ChildProtectionData => "signals",
        DataCategory.OfficialReport => "official_reports",
        DataCategory.ReintegrationData => "reintegration_data",

        // CASE_DATA is the view as a whole; it is never an item of one.
        _ => null,
    };

    /// <summary>The paths of <paramref name="paths"/> that lie in <paramref name="list"/> (the list itself or below it).</summary>
    public static IEnumerable<string> In(string list, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Where(p => p == list || p.StartsWith(list + ".", StringComparison.Ordinal));
    }
}
