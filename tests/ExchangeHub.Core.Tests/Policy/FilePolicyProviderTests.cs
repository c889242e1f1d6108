// This file is part of ExchangeHub.

using System.Collections.Frozen;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExchangeHub.Core.Tests.Policy;

public sealed class FilePolicyProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eh-policy-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly string _default = File.ReadAllText(RepositoryPaths.DefaultPolicy);

    private string PolicyPath => Path.Combine(_directory, "policy.yaml");

    [Fact]
    public void Constructor_InvalidPolicy_RefusesToStart()
    {
        File.WriteAllText(PolicyPath, _default.Replace("citation: \"Wjsg", "# citation: \"Wjsg", StringComparison.Ordinal));

        var ex = Assert.Throws<PolicyValidationException>(Create);

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("'citation' is missing: every rule must cite its statute article", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("EH3101:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_NewValidVersion_TakesEffectWithoutRestart()
    {
        File.WriteAllText(PolicyPath, _default);
        using var provider = Create();
        Assert.Equal("2026.11.2", provider.Current.Version);

        WriteChanged(_default.Replace("version: \"2026.11.2\"", "version: \"2026.12.0\"", StringComparison.Ordinal)
            .Replace("retention_days: 730", "retention_days: 700", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal("2026.12.0", provider.Current.Version);
        Assert.Equal(TimeSpan.FromDays(700), provider.Current.Rules.First(r => r.Id == "eod-notice-to-mayor").Retention);
    }

    [Fact]
    public void Reload_InvalidFile_KeepsThePolicyInForce()
    {
        File.WriteAllText(PolicyPath, _default);
        using var provider = Create();

        WriteChanged(_default.Replace("version: \"2026.11.2\"", "version: \"2026.12.0\"", StringComparison.Ordinal) + "\n  - id: broken\n");
        var problems = provider.ReloadIfChanged();

        Assert.NotEmpty(problems);
        Assert.Equal("2026.11.2", provider.Current.Version);
    }

    [Fact]
    public void Reload_ChangedFileSameVersion_Refused()
    {
        File.WriteAllText(PolicyPath, _default);
        using var provider = Create();
        var before = provider.Current;

        WriteChanged(_default.Replace("retention_days: 730", "retention_days: 700", StringComparison.Ordinal));
        var problems = provider.ReloadIfChanged();

        Assert.Equal("policy.version", Assert.Single(problems).Where);
        Assert.Same(before, provider.Current);
    }

    [Fact]
    public void Decide_UsesThePolicyInForceAndRecordsItsVersion()
    {
        File.WriteAllText(PolicyPath, _default);
        using var provider = Create();
        var dji = new Partner(Oin.Parse("00000001800000001000"), "DJI", new[] { Contracts.V1.PartnerRole.PrisonService }.ToFrozenSet(), null);
        var idv = new Partner(Oin.Parse("00000001800000002000"), "IDV", new[] { Contracts.V1.PartnerRole.DetentionInformationPoint }.ToFrozenSet(), null);

        var decision = provider.Decide(new DisclosureRequest
        {
            Sender = dji,
            Recipient = idv,
            MessageType = Contracts.V1.MessageType.EndOfDetentionNotice,
            Category = Contracts.V1.DataCategory.EndOfDetentionNotice,
            Purpose = Contracts.V1.Purpose.VictimInformation,
            LegalBasis = Contracts.V1.LegalBasis.AvgArt61C,
        });

        Assert.True(decision.IsAllowed);
        Assert.Equal(("exchangehub-default", "2026.11.2", "eod-notice-to-idv"), (decision.PolicyId, decision.PolicyVersion, decision.Rule!.Id));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FilePolicyProvider Create() => new(
        Options.Create(new PolicyOptions { Path = PolicyPath, ReloadInterval = TimeSpan.FromSeconds(5) }),
        new ConfiguredCaseConsultationDirectory(new StaticMonitor()),
        _time,
        NullLogger<FilePolicyProvider>.Instance);

    // A distinct modification time even where the file system's clock is coarse.
    private void WriteChanged(string content)
    {
        File.WriteAllText(PolicyPath, content);
        File.SetLastWriteTimeUtc(PolicyPath, DateTime.UtcNow.AddMinutes(1));
    }

    private sealed class StaticMonitor : IOptionsMonitor<CaseConsultationOptions>
    {
        public CaseConsultationOptions CurrentValue { get; } = new();

        public CaseConsultationOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<CaseConsultationOptions, string?> listener) => null;
    }
}
