// This file is part of ExchangeHub.

using System.CommandLine;
using System.Globalization;
using ExchangeHub.Core.Pki;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace ExchangeHub.Cli.Commands;

/// <summary>
/// <c>hubctl status</c>: can this partner reach the hub? Checks the local certificate (OIN, expiry), the TLS
/// connection and the hub's health, and whether the hub accepts the certificate as a registered partner.
/// A partner's operator runs it first when joining, and whenever something seems wrong.
/// </summary>
internal static class StatusCommand
{
    public const int Unreachable = 1;
    public const int NotAPartner = 2;
    public const int NotServing = 3;

    private static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    public static Command Create(TimeProvider time)
    {
        var command = new Command("status", "Check the connection to the hub: certificate, TLS, health and partner registration.");
        HubConnectionSettings.AddOptionsTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(HubConnectionSettings.FromParseResult(parse), parse.InvocationConfiguration.Output, time, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(HubConnectionSettings settings, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        using var certificate = settings.LoadCertificate();
        var oin = OinCertificateReader.TryRead(certificate, out var found) ? found.Value : "(none: the hub will refuse this certificate)";
        var remaining = certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime;
        Line(output, "Hub", settings.Hub.ToString());
        Line(output, "Certificate", certificate.Subject);
        Line(output, "OIN", oin);
        Line(output, "Valid until", string.Create(CultureInfo.InvariantCulture, $"{certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC ({Math.Floor(remaining.TotalDays)} days)"));
        if (remaining < ExpiryWarning)
        {
            Line(output, "WARNING", remaining <= TimeSpan.Zero ? "the certificate has expired; request a new one" : "the certificate expires within 30 days; request a new one now");
        }

        using var channel = settings.OpenChannel(certificate);
        var deadline = time.GetUtcNow().UtcDateTime.AddSeconds(15);
        try
        {
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: deadline, cancellationToken: cancellationToken);
            Line(output, "Health", health.Status.ToString().ToUpperInvariant());
            if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return NotServing;
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            Line(output, "Connection", $"FAILED: {ex.Status.Detail}");
            Line(output, string.Empty, "The hub is down or unreachable, or it refused this certificate in the TLS handshake (wrong CA, expired, revoked, not for client authentication).");
            return Unreachable;
        }

        try
        {
            using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: deadline, cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, cancellationToken);
            await call.RequestStream.CompleteAsync();
            var services = new List<string>();
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                services.AddRange(call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
            }

            Line(output, "Partner", "accepted: the hub knows this certificate's OIN");
            Line(output, "Services", string.Join(", ", services.Where(s => s.StartsWith("exchangehub.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)));
            return 0;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            Line(output, "Partner", $"REFUSED: {ex.Status.Detail}");
            return NotAPartner;
        }
    }

    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine($"{label,-12} {value}");
}
