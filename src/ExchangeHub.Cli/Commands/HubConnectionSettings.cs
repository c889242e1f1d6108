// This file is part of ExchangeHub.

using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Client;
using ExchangeHub.Core.Pki;
using Grpc.Net.Client;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// How hubctl reaches the hub: address, the partner certificate and key, and the CA the hub's certificate
/// must chain to. Each option falls back to an environment variable; <c>--dev-partner</c> takes all three
/// files from the development PKI in <c>certs-dev/pki</c>.
/// </summary>
internal sealed record HubConnectionSettings(Uri Hub, string CertificatePath, string KeyPath, string CaPath)
{
    /// <summary>The value of <c>--token-cache</c> that keeps tokens in memory only.</summary>
    public const string NoTokenCache = "none";

    public static readonly Option<Uri> HubOption = new("--hub")
    {
        Description = "The hub's address. Default: $EXCHANGEHUB_URL, else https://localhost:7443.",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("EXCHANGEHUB_URL") ?? "https://localhost:7443"),
    };

    public static readonly Option<string?> CertificateOption = new("--cert")
    {
        Description = "PEM file with your partner certificate. Default: $EXCHANGEHUB_CERT.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_CERT"),
    };

    public static readonly Option<string?> KeyOption = new("--key")
    {
        Description = "PEM file with the certificate's private key. Default: $EXCHANGEHUB_KEY.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_KEY"),
    };

    public static readonly Option<string?> CaOption = new("--ca")
    {
        Description = "PEM file with the CA that issued the hub's certificate. Default: $EXCHANGEHUB_CA.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_CA"),
    };

    public static readonly Option<string?> DevPartnerOption = new("--dev-partner")
    {
        Description = "Development only: use certs-dev/pki/partners/NAME.crt and .key and certs-dev/pki/ca.crt (e.g. gemeente-rotterdam).",
    };

    public static readonly Option<string> TokenCacheOption = new("--token-cache")
    {
        Description = "Folder where hubctl keeps its access tokens between runs (owner-only files; a token only works with your certificate), or 'none'. Default: $EXCHANGEHUB_TOKEN_CACHE, else ~/.cache/exchangehub/tokens.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EXCHANGEHUB_TOKEN_CACHE") is { Length: > 0 } cache ? cache : FileAccessTokenCache.DefaultDirectory,
    };

    /// <summary>Where access tokens are cached between runs; null keeps them in memory for this run only.</summary>
    public string? TokenCacheDirectory { get; init; }

    public static void AddOptionsTo(Command command)
    {
        command.Options.Add(TokenCacheOption);
        command.Options.Add(HubOption);
        command.Options.Add(CertificateOption);
        command.Options.Add(KeyOption);
        command.Options.Add(CaOption);
        command.Options.Add(DevPartnerOption);
    }

    /// <summary>Reads the settings from a parse result, or says what is missing.</summary>
    public static HubConnectionSettings FromParseResult(ParseResult parse)
    {
        var hub = parse.GetValue(HubOption)!;
        var certificate = parse.GetValue(CertificateOption);
        var key = parse.GetValue(KeyOption);
        var ca = parse.GetValue(CaOption);
        if (parse.GetValue(DevPartnerOption) is { } devPartner)
        {
            var layout = new DevPkiLayout(FindDevPki());
            certificate ??= Path.Combine(layout.PartnersDirectory, devPartner + ".crt");
            key ??= Path.Combine(layout.PartnersDirectory, devPartner + ".key");
            ca ??= layout.CaCertificate;
        }

        return new HubConnectionSettings(
            hub,
            certificate ?? throw new CommandLineException("No partner certificate: give --cert (or set EXCHANGEHUB_CERT, or use --dev-partner)."),
            key ?? throw new CommandLineException("No private key: give --key (or set EXCHANGEHUB_KEY)."),
            ca ?? throw new CommandLineException("No CA for the hub's certificate: give --ca (or set EXCHANGEHUB_CA)."))
        {
            TokenCacheDirectory = parse.GetValue(TokenCacheOption) is { } cache && cache != NoTokenCache ? cache : null,
        };
    }

    public X509Certificate2 LoadCertificate()
    {
        foreach (var path in new[] { CertificatePath, KeyPath })
        {
            if (!File.Exists(path))
            {
                throw new CommandLineException($"'{path}' does not exist.");
            }
        }

        return PemFiles.LoadCertificateWithKey(CertificatePath, KeyPath);
    }

    public GrpcChannel OpenChannel(X509Certificate2 certificate)
    {
        if (!File.Exists(CaPath))
        {
            throw new CommandLineException($"'{CaPath}' does not exist.");
        }

        return HubChannelFactory.Create(Hub, certificate, PemFiles.LoadCertificates(CaPath), TokenSettings);
    }

    /// <summary>How the channel obtains tokens: every scope the registration allows, cached as configured.</summary>
    public HubTokenSettings TokenSettings =>
        new() { Cache = TokenCacheDirectory is null ? null : new FileAccessTokenCache(TokenCacheDirectory) };

    // dotnet run starts hubctl in its project directory, a published hubctl anywhere: look upwards.
    private static string FindDevPki()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "certs-dev", "pki");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CommandLineException("No certs-dev/pki found in this directory or above it. Start the hub once in Development, or run certs-dev/generate.sh.");
    }
}
