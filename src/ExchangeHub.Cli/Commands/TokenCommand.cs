// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ExchangeHub.Core.Client;
using ExchangeHub.Core.Pki;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl token</c>: shows the access token hubctl uses (its scopes, expiry and the certificate it is bound to),
/// or with <c>--raw</c> prints it for another tool (e.g. grpcurl). Other commands obtain tokens by themselves; this
/// one exists to see what the hub granted, and why a call may be refused.
/// </summary>
internal static class TokenCommand
{
    private static readonly Option<bool> RawOption = new("--raw") { Description = "Print only the token, for use in an authorization header." };

    public static Command Create(TimeProvider time)
    {
        var command = new Command("token", "Show the access token the hub issues to this certificate: scopes, expiry, certificate binding.");
        HubConnectionSettings.AddOptionsTo(command);
        command.Options.Add(RawOption);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(HubConnectionSettings.FromParseResult(parse), parse.GetValue(RawOption), parse.InvocationConfiguration.Output, time, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(HubConnectionSettings settings, bool raw, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        using var certificate = settings.LoadCertificate();
        if (!File.Exists(settings.CaPath))
        {
            throw new CommandLineException($"'{settings.CaPath}' does not exist.");
        }

        using var client = HubChannelFactory.CreateTokenClient(settings.Hub, certificate, PemFiles.LoadCertificates(settings.CaPath), settings.TokenSettings);
        string token;
        try
        {
            token = await client.GetTokenAsync(cancellationToken);
        }
        catch (HubTokenException ex)
        {
            throw new CommandLineException(ex.Message);
        }

        if (raw)
        {
            await output.WriteLineAsync(token);
            return 0;
        }

        using var claims = ReadPayload(token);
        var root = claims.RootElement;
        var expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
        var bound = root.TryGetProperty("cnf", out var cnf) && cnf.TryGetProperty("x5t#S256", out var thumbprint) ? thumbprint.GetString() : null;
        var own = Base64Url(SHA256.HashData(certificate.RawData));
        Line(output, "Issuer", root.GetProperty("iss").GetString());
        Line(output, "Subject", root.GetProperty("sub").GetString());
        Line(output, "Audience", root.GetProperty("aud").ToString());
        Line(output, "Expires", string.Create(CultureInfo.InvariantCulture, $"{expires:yyyy-MM-dd HH:mm:ss} UTC (in {Math.Max(0, (expires - time.GetUtcNow()).TotalMinutes):0} min)"));
        Line(output, "Bound to", bound is null ? "NOTHING (the hub refuses unbound tokens)" : bound == own ? $"this certificate (x5t#S256 {bound})" : $"ANOTHER certificate (x5t#S256 {bound})");
        Line(output, "Scopes", string.Empty);
        foreach (var scope in (root.GetProperty("scope").GetString() ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync("  " + scope);
        }

        return 0;
    }

    private static JsonDocument ReadPayload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new CommandLineException("The hub returned a token that is not a JWS; cannot show its claims.");
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Line(TextWriter output, string label, string? value) => output.WriteLine($"{label,-12} {value}");
}
