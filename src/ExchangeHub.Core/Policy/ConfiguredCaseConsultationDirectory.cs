// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Core.Partners;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Policy;

/// <summary>The case consultation directory from configuration, rebuilt when configuration reloads.</summary>
public sealed class ConfiguredCaseConsultationDirectory : ICaseConsultationDirectory, IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile FrozenDictionary<string, FrozenSet<string>> _members;

    /// <summary>Builds the directory from validated options.</summary>
    public ConfiguredCaseConsultationDirectory(IOptionsMonitor<CaseConsultationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _members = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _members = Build(o));
    }

    /// <inheritdoc />
    public bool IsMember(string caseConsultationId, Oin partner) =>
        _members.TryGetValue(caseConsultationId, out var members) && members.Contains(partner.Value);

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    /// <summary>Builds the lookup, or throws naming the first bad entry.</summary>
    public static FrozenDictionary<string, FrozenSet<string>> Build(CaseConsultationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < options.CaseConsultations.Count; i++)
        {
            var entry = options.CaseConsultations[i];
            var where = $"ExchangeHub:CaseConsultations:{i}";
            if (string.IsNullOrWhiteSpace(entry.Id) || !result.TryAdd(entry.Id, FrozenSet<string>.Empty))
            {
                throw new OptionsValidationException(where, typeof(CaseConsultationOptions), [$"EH9111: {where}:Id is missing or not unique."]);
            }

            if (!MunicipalityCodes.IsValid(entry.MunicipalityCode))
            {
                throw new OptionsValidationException(where, typeof(CaseConsultationOptions), [$"EH9112: {where}:MunicipalityCode must be 'GM' and four digits."]);
            }

            if (entry.Members.Count == 0 || entry.Members.Any(m => !Oin.TryParse(m, out _, out _)))
            {
                throw new OptionsValidationException(where, typeof(CaseConsultationOptions), [$"EH9113: {where}:Members must list at least one OIN, each of 20 digits."]);
            }

            result[entry.Id] = entry.Members.ToFrozenSet(StringComparer.Ordinal);
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
