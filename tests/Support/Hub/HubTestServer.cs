// This file is part of ExchangeHub.

using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Client;
using ExchangeHub.Core.Ledger.Notes;
using ExchangeHub.Server.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExchangeHub.Tests.Support.Hub;

/// <summary>
/// The real hub on a real Kestrel on 127.0.0.1 with a free port, over mutual TLS, with a throwaway PKI and data
/// directory. TestServer does no TLS, so it cannot test what matters here. A test collection that needs other
/// settings derives from it and overrides <see cref="Configure"/>.
/// </summary>
public class HubTestServer : IAsyncLifetime
{
    /// <summary>The one case consultation: Rotterdam's (GM0599), with Rotterdam as its only member.</summary>
    public const string CaseConsultationId = "cc-rotterdam-radicalisation";

    /// <summary>A second case consultation of Rotterdam (GM0599), in which Amsterdam takes part too.</summary>
    public const string SharedCaseConsultationId = "cc-rotterdam-amsterdam";

    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("eh-hub-").FullName;
    private WebApplication? _app;
    private int _requestsSeen;

    public TestPki Pki { get; private set; } = null!;

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>A witness whose cosignature key the hub is configured to accept.</summary>
    public NoteSigner Witness { get; } = NoteSigner.Generate("witness.test.example/fg");

    /// <summary>A service of the running hub, for tests that set up state the way the hub itself would.</summary>
    public T Service<T>()
        where T : notnull => _app!.Services.GetRequiredService<T>();

    public Uri Address { get; private set; } = null!;

    /// <summary>The metrics listener (plain HTTP on loopback) when the settings open one; null by default.</summary>
    public Uri? MetricsAddress { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>How many HTTP requests reached the ASP.NET Core pipeline (not counting refused handshakes).</summary>
    public int RequestsSeen => Volatile.Read(ref _requestsSeen);

    public virtual async Task InitializeAsync()
    {
        Pki = new TestPki(Path.Combine(_root, "pki"));
        var builder = HubApplication.CreateBuilder(["--environment", "Testing"]);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["ExchangeHub:Server:Address"] = "127.0.0.1",
            ["ExchangeHub:Server:Port"] = "0",
            ["ExchangeHub:Server:ShutdownTimeout"] = "00:00:05",
            ["ExchangeHub:Storage:DataDirectory"] = DataDirectory,
            ["ExchangeHub:Policy:Path"] = RepositoryPaths.DefaultPolicy,
            ["ExchangeHub:Ledger:Origin"] = "hub.test.example/disclosure-log",
            ["ExchangeHub:Ledger:CreateMissingKeys"] = "true",
            ["ExchangeHub:Tls:ServerCertificate:CertificatePath"] = Pki.ServerCertificatePath,
            ["ExchangeHub:Tls:ServerCertificate:KeyPath"] = Pki.ServerKeyPath,
            ["ExchangeHub:Tls:ClientCertificates:TrustedCaCertificatePaths:0"] = Pki.CaCertificatePath,
            ["ExchangeHub:Tls:ClientCertificates:RevocationListPaths:0"] = Pki.RevocationListPath,
            ["ExchangeHub:DataProtection:CertificatePath"] = DataProtectionCertificate().DataProtectionCertificate,
            ["ExchangeHub:DataProtection:KeyPath"] = DataProtectionCertificate().DataProtectionKey,
            ["ExchangeHub:Partners:0:Oin"] = TestPki.DjiOin,
            ["ExchangeHub:Partners:0:Name"] = "Dienst Justitiële Inrichtingen",
            ["ExchangeHub:Partners:0:Roles:0"] = "PrisonService",
            ["ExchangeHub:Partners:1:Oin"] = TestPki.RotterdamOin,
            ["ExchangeHub:Partners:1:Name"] = "Gemeente Rotterdam",
            ["ExchangeHub:Partners:1:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:1:MunicipalityCode"] = "GM0599",
            ["ExchangeHub:Partners:2:Oin"] = TestPki.DisabledOin,
            ["ExchangeHub:Partners:2:Name"] = "Suspended partner",
            ["ExchangeHub:Partners:2:Roles:0"] = "Police",
            ["ExchangeHub:Partners:2:Enabled"] = "false",
            ["ExchangeHub:Partners:3:Oin"] = TestPki.PrivacyOfficerOin,
            ["ExchangeHub:Partners:3:Name"] = "Functionaris Gegevensbescherming",
            ["ExchangeHub:Partners:3:Roles:0"] = "PrivacyOfficer",
            ["ExchangeHub:Ledger:WitnessKeys:0"] = Witness.CosignatureVerifierKey.Format(),
            ["ExchangeHub:Partners:4:Oin"] = TestPki.IdvOin,
            ["ExchangeHub:Partners:4:Name"] = "Openbaar Ministerie IDV",
            ["ExchangeHub:Partners:4:Roles:0"] = "Prosecution",
            ["ExchangeHub:Partners:4:Roles:1"] = "DetentionInformationPoint",
            ["ExchangeHub:Partners:5:Oin"] = TestPki.UtrechtOin,
            ["ExchangeHub:Partners:5:Name"] = "Gemeente Utrecht",
            ["ExchangeHub:Partners:5:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:5:MunicipalityCode"] = "GM0344",
            ["ExchangeHub:Partners:6:Oin"] = TestPki.PoliceOin,
            ["ExchangeHub:Partners:6:Name"] = "Politie",
            ["ExchangeHub:Partners:6:Roles:0"] = "Police",
            ["ExchangeHub:Partners:7:Oin"] = TestPki.AivdOin,
            ["ExchangeHub:Partners:7:Name"] = "AIVD",
            ["ExchangeHub:Partners:7:Roles:0"] = "IntelligenceService",
            ["ExchangeHub:Partners:8:Oin"] = TestPki.JustidOin,
            ["ExchangeHub:Partners:8:Name"] = "Justitiële Informatiedienst",
            ["ExchangeHub:Partners:8:Roles:0"] = "JusticeInformationService",
            ["ExchangeHub:Partners:9:Oin"] = TestPki.AmsterdamOin,
            ["ExchangeHub:Partners:9:Name"] = "Gemeente Amsterdam",
            ["ExchangeHub:Partners:9:Roles:0"] = "Municipality",
            ["ExchangeHub:Partners:9:MunicipalityCode"] = "GM0363",
            ["ExchangeHub:CaseConsultations:0:Id"] = CaseConsultationId,
            ["ExchangeHub:CaseConsultations:0:MunicipalityCode"] = "GM0599",
            ["ExchangeHub:CaseConsultations:0:Members:0"] = TestPki.RotterdamOin,
            ["ExchangeHub:CaseConsultations:1:Id"] = SharedCaseConsultationId,
            ["ExchangeHub:CaseConsultations:1:MunicipalityCode"] = "GM0599",
            ["ExchangeHub:CaseConsultations:1:Members:0"] = TestPki.RotterdamOin,
            ["ExchangeHub:CaseConsultations:1:Members:1"] = TestPki.AmsterdamOin,
            ["ExchangeHub:Messages:AcknowledgeWithin"] = "00:00:03",
            ["ExchangeHub:Messages:VisibilityTimeout"] = "00:00:02",
            ["ExchangeHub:Messages:SweepInterval"] = "00:00:01",
            ["ExchangeHub:Messages:AlarmRecipients:0"] = TestPki.PrivacyOfficerOin,

            // The tests of a collection share one hub and call it as fast as they can; the rate limit has tests of its own.
            ["ExchangeHub:Limits:CallBurstPerPartner"] = "1000000",
            ["ExchangeHub:Limits:CallsPerPeriodPerPartner"] = "1000000",
        };
        Configure(settings);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<IStartupFilter>(new CountingStartupFilter(() => Interlocked.Increment(ref _requestsSeen)));

        _app = await HubApplication.BuildAsync(builder);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        MetricsAddress = addresses.Where(a => a.StartsWith("http://", StringComparison.Ordinal)).Select(a => new Uri(a)).SingleOrDefault();
    }

    /// <summary>Changes the hub's settings before it starts; the shared hub keeps them as they are.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>The RSA certificate that encrypts the payload key ring, created beside the test PKI once.</summary>
    private Core.Pki.DevPkiLayout DataProtectionCertificate()
    {
        var layout = new Core.Pki.DevPkiLayout(Pki.Directory);
        Core.Pki.DevPkiGenerator.EnsureDataProtectionCertificate(layout);
        return layout;
    }

    /// <summary>A gRPC channel that presents <paramref name="clientCertificate"/> (or none) and trusts only the test CA.</summary>
    public GrpcChannel CreateChannel(X509Certificate2? clientCertificate) =>
        HubChannelFactory.Create(Address, clientCertificate, [Pki.CaCertificate]);

    /// <summary>A channel that obtains tokens as <paramref name="tokens"/> says (or none, to present tokens by hand).</summary>
    public GrpcChannel CreateChannel(X509Certificate2 clientCertificate, HubTokenSettings tokens) =>
        HubChannelFactory.Create(Address, clientCertificate, [Pki.CaCertificate], tokens);

    /// <summary>
    /// An HTTP handler for plain HTTPS requests to the hub (token endpoint, page, raw gRPC framing) that presents
    /// <paramref name="clientCertificate"/> and accepts only a hub certificate for this address chaining to the test CA.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler(X509Certificate2 clientCertificate)
    {
        var authorities = new X509Certificate2Collection(Pki.CaCertificate);
        return new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                {
                    if (presented is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != System.Net.Security.SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var hubCertificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(hubCertificate);
                },
            },
        };
    }

    /// <summary>A token client for <paramref name="clientCertificate"/>, to obtain a raw token from the hub.</summary>
    public HubTokenClient CreateTokenClient(X509Certificate2 clientCertificate, HubTokenSettings? tokens = null) =>
        HubChannelFactory.CreateTokenClient(Address, clientCertificate, [Pki.CaCertificate], tokens);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Pki?.Dispose();
        Witness.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_root, recursive: true);
    }

    private sealed class CountingStartupFilter(Action onRequest) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                onRequest();
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
