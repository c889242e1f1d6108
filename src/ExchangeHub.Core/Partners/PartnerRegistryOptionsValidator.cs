// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Partners;

/// <summary>
/// Refuses a partner registry that is empty or wrong, at start-up, naming the entry and field. Fail closed:
/// a typo in a role or an OIN must stop the hub, not silently lock a partner out or let one in.
/// </summary>
public sealed class PartnerRegistryOptionsValidator : IValidateOptions<PartnerRegistryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PartnerRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Partners.Count == 0)
        {
            failures.Add($"EH9101: {PartnerRegistryOptions.ListPath} lists no partners; a hub without partners serves no one.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Partners.Count; i++)
        {
            var entry = options.Partners[i];
            var where = $"{PartnerRegistryOptions.ListPath}:{i}";
            if (!Oin.TryParse(entry.Oin, out var oin, out var problem))
            {
                failures.Add($"EH9102: {where}:Oin is invalid: {problem}.");
            }
            else if (!seen.TryAdd(oin.Value, i))
            {
                failures.Add($"EH9103: {where}:Oin {oin} is already registered at {PartnerRegistryOptions.ListPath}:{seen[oin.Value]}.");
            }

            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                failures.Add($"EH9104: {where}:Name is required.");
            }

            if (entry.Roles.Count == 0)
            {
                failures.Add($"EH9105: {where}:Roles needs at least one role.");
            }

            foreach (var role in entry.Roles)
            {
                if (role == PartnerRole.Unspecified || !Enum.IsDefined(role))
                {
                    failures.Add($"EH9106: {where}:Roles contains '{role}', which is not a partner role.");
                }
            }

            var isMunicipality = entry.Roles.Contains(PartnerRole.Municipality);
            if (isMunicipality && !MunicipalityCodes.IsValid(entry.MunicipalityCode))
            {
                failures.Add($"EH9107: {where}:MunicipalityCode must be 'GM' and four digits for a municipality, not '{entry.MunicipalityCode}'.");
            }
            else if (!isMunicipality && entry.MunicipalityCode is not null)
            {
                failures.Add($"EH9108: {where}:MunicipalityCode is only for partners with the Municipality role.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
