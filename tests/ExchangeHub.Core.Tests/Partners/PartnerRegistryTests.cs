// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Tests.Partners;

public sealed class PartnerRegistryTests
{
    [Fact]
    public void Validate_WellFormedRegistry_Succeeds()
    {
        var options = Registry(
            Entry("00000001800000001000", "DJI", PartnerRole.PrisonService),
            Entry("00000001800000005000", "Gemeente Rotterdam", PartnerRole.Municipality, "GM0599"));

        Assert.True(new PartnerRegistryOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EmptyRegistry_FailsClosed()
    {
        var result = new PartnerRegistryOptionsValidator().Validate(null, new PartnerRegistryOptions());

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EH9101:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("123", null, "EH9102: ExchangeHub:Partners:0:Oin is invalid: an OIN has exactly 20 digits, this value has 3 characters.")]
    [InlineData("00000001800000001000", "GM0599", "EH9108: ExchangeHub:Partners:0:MunicipalityCode is only for partners with the Municipality role.")]
    public void Validate_BadEntry_NamesEntryAndField(string oin, string? municipality, string expected)
    {
        var options = Registry(Entry(oin, "DJI", PartnerRole.PrisonService, municipality));

        var result = new PartnerRegistryOptionsValidator().Validate(null, options);

        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_EveryKindOfMistake_IsReportedWithItsOwnId()
    {
        var noRoles = Entry("00000001800000002000", "OM");
        noRoles.Roles.Clear();
        var options = Registry(
            Entry("00000001800000001000", "DJI", PartnerRole.PrisonService),
            Entry("00000001800000001000", "Duplicate", PartnerRole.Police),
            noRoles,
            Entry("00000001800000003000", " ", PartnerRole.Unspecified),
            Entry("00000001800000004000", "Gemeente", PartnerRole.Municipality, "0599"),
            Entry("00000001800000006000", "Undefined role", (PartnerRole)999));

        var failures = new PartnerRegistryOptionsValidator().Validate(null, options).Failures!.Select(f => f[..6]).ToList();

        Assert.Equal(["EH9103", "EH9105", "EH9104", "EH9106", "EH9107", "EH9106"], failures);
    }

    [Fact]
    public void Find_RegisteredDisabledAndUnknown_AreTold()
    {
        var disabled = Entry("00000001800000002000", "OM", PartnerRole.Prosecution);
        disabled.Enabled = false;
        var options = Registry(Entry("00000001800000001000", "DJI", PartnerRole.PrisonService), disabled);
        using var registry = new ConfiguredPartnerRegistry(new StaticMonitor(options));

        Assert.Equal(PartnerLookup.Found, registry.Find(Oin.Parse("00000001800000001000"), out var dji));
        Assert.Equal("DJI", dji!.Name);
        Assert.True(dji.HasRole(PartnerRole.PrisonService));
        Assert.Equal(PartnerLookup.Disabled, registry.Find(Oin.Parse("00000001800000002000"), out _));
        Assert.Equal(PartnerLookup.Unknown, registry.Find(Oin.Parse("00000001800000009000"), out _));
        Assert.Equal(2, registry.All.Count);
    }

    private static PartnerRegistryOptions Registry(params PartnerRegistration[] entries)
    {
        var options = new PartnerRegistryOptions();
        foreach (var entry in entries)
        {
            options.Partners.Add(entry);
        }

        return options;
    }

    private static PartnerRegistration Entry(string oin, string name, PartnerRole role = PartnerRole.PrisonService, string? municipality = null)
    {
        var entry = new PartnerRegistration { Oin = oin, Name = name, MunicipalityCode = municipality };
        entry.Roles.Add(role);
        return entry;
    }

    private sealed class StaticMonitor(PartnerRegistryOptions value) : IOptionsMonitor<PartnerRegistryOptions>
    {
        public PartnerRegistryOptions CurrentValue => value;

        public PartnerRegistryOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PartnerRegistryOptions, string?> listener) => null;
    }
}
