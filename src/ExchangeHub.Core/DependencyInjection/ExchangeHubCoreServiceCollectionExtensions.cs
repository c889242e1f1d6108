// This file is part of ExchangeHub.

using ExchangeHub.Core.Cases;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Messages;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Policy;
using ExchangeHub.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Namespace does not match folder: extensions live where AddXyz() users look for them.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the hub's core services. Each call is idempotent.</summary>
public static class ExchangeHubCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the partner registry, bound to <c>ExchangeHub:Partners</c> and validated at start-up: the hub does
    /// not start on an empty or malformed registry.
    /// </summary>
    public static IServiceCollection AddPartnerRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<IPartnerRegistry>(services))
        {
            return services;
        }

        services.AddOptions<PartnerRegistryOptions>().BindConfiguration(PartnerRegistryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PartnerRegistryOptions>, PartnerRegistryOptionsValidator>());
        services.TryAddSingleton<IPartnerRegistry, ConfiguredPartnerRegistry>();
        return services;
    }

    /// <summary>Adds TLS client certificate validation, bound to <c>ExchangeHub:Tls:ClientCertificates</c>.</summary>
    public static IServiceCollection AddClientCertificateValidation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<ClientCertificateValidator>(services))
        {
            return services;
        }

        services.AddOptions<ClientCertificateOptions>().BindConfiguration(ClientCertificateOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClientCertificateValidator>();
        return services;
    }

    /// <summary>
    /// Adds the disclosure policy (<c>ExchangeHub:Policy</c>) and the case consultation directory
    /// (<c>ExchangeHub:CaseConsultations</c>). The policy file is loaded when first resolved and must be valid.
    /// </summary>
    public static IServiceCollection AddDisclosurePolicy(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<IDisclosurePolicy>(services))
        {
            return services;
        }

        services.AddOptions<PolicyOptions>()
            .BindConfiguration(PolicyOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), $"EH9121: {PolicyOptions.SectionName}:Path is required: the hub discloses nothing without a policy.")
            .Validate(o => o.ReloadInterval >= TimeSpan.Zero, $"EH9122: {PolicyOptions.SectionName}:ReloadInterval may not be negative.")
            .ValidateOnStart();
        services.AddOptions<CaseConsultationOptions>().BindConfiguration(CaseConsultationOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICaseConsultationDirectory, ConfiguredCaseConsultationDirectory>();
        services.TryAddSingleton<IDisclosurePolicy, FilePolicyProvider>();
        return services;
    }

    /// <summary>
    /// Adds the disclosure log (<c>ExchangeHub:Ledger</c>): its keys, the single writer, the checkpoint publisher,
    /// proofs, and the privacy officer's search and read log. The host starts the writer (<see cref="LedgerWriter.StartAsync"/>) before it takes requests.
    /// </summary>
    public static IServiceCollection AddDisclosureLog(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<LedgerWriter>(services))
        {
            return services;
        }

        services.AddHubStorage();

        // The log's instruments (and the message flows') come from the host's meter factory; a host without one gets
        // the default, so the writer never needs a static meter.
        services.AddMetrics();
        services.AddOptions<LedgerOptions>()
            .BindConfiguration(LedgerOptions.SectionName)
            .Validate(o => o.CheckpointInterval > TimeSpan.Zero, $"EH9136: {LedgerOptions.SectionName}:CheckpointInterval must be positive.")
            .Validate(o => o.MaxBatchSize is >= 1 and <= 100_000, $"EH9137: {LedgerOptions.SectionName}:MaxBatchSize must be from 1 to 100000.")
            .Validate(o => o.QueueCapacity >= 1, $"EH9138: {LedgerOptions.SectionName}:QueueCapacity must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<LedgerKeys>();
        services.TryAddSingleton<SqliteLedgerStore>();
        services.TryAddSingleton<LedgerWriter>();
        services.TryAddSingleton<IDisclosureLog>(sp => sp.GetRequiredService<LedgerWriter>());
        services.TryAddSingleton<CheckpointPublisher>();
        services.TryAddSingleton<LedgerProofs>();
        services.TryAddSingleton<DisclosureSearch>();
        services.TryAddSingleton<AuditReadLog>();
        return services;
    }

    /// <summary>
    /// Adds the message flows (<c>ExchangeHub:Messages</c>): submission with per-recipient decisions, inboxes,
    /// the missed-notice alarm and retention. Needs an <see cref="IPayloadProtector"/> from the host.
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<MessageSubmitter>(services))
        {
            return services;
        }

        services.AddDisclosureLog().AddDisclosurePolicy().AddPartnerRegistry();
        services.AddOptions<MessageOptions>()
            .BindConfiguration(MessageOptions.SectionName)
            .Validate(o => o.AcknowledgeWithin > TimeSpan.Zero && o.VisibilityTimeout > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero && o.MinimumNoticeLeadTime >= TimeSpan.Zero,
                $"EH9141: {MessageOptions.SectionName}: AcknowledgeWithin, VisibilityTimeout and SweepInterval must be positive, MinimumNoticeLeadTime not negative.")
            .ValidateOnStart();
        services.TryAddSingleton<InboxSignals>();
        services.TryAddSingleton<MessageRouter>();
        services.TryAddSingleton<MessageLookup>();
        services.TryAddSingleton<MessageSubmitter>();
        services.TryAddSingleton<Inbox>();
        services.TryAddSingleton<AlarmNotifier>();
        services.TryAddSingleton<AlarmWatchdog>();
        services.TryAddSingleton<DeliveryBacklog>();
        services.TryAddSingleton<RetentionSweeper>();
        return services;
    }

    /// <summary>
    /// Adds case queries: the case view of a subject assembled from the stored messages, decided per item and
    /// logged. Needs the message flows (<see cref="AddMessaging"/>) and, like them, an <see cref="IPayloadProtector"/>.
    /// </summary>
    public static IServiceCollection AddCaseQueries(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<CaseQueryHandler>(services))
        {
            return services;
        }

        services.AddMessaging();
        services.TryAddSingleton<CaseEntryReader>();
        services.TryAddSingleton<CaseQueryHandler>();
        return services;
    }

    /// <summary>Adds the embedded SQLite store, bound to <c>ExchangeHub:Storage</c>.</summary>
    public static IServiceCollection AddHubStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (IsRegistered<SqliteHubDatabase>(services))
        {
            return services;
        }

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), $"EH9301: {StorageOptions.SectionName}:DataDirectory is required.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteHubDatabase>();
        return services;
    }

    // Options binding appends to list-valued options each time it is registered, so a second call must be a
    // no-op rather than bind the partner list (or any other list) twice.
    private static bool IsRegistered<TMarker>(IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(TMarker));
}
