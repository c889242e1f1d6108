// This file is part of ExchangeHub.

using System.Diagnostics.Metrics;
using ExchangeHub.Core.Pki;
using ExchangeHub.Core.Telemetry;

namespace ExchangeHub.Server.Authentication;

/// <summary>
/// Counts the refusals of steps one and two of the hub's path: TLS handshakes refused for their certificate, and
/// calls refused for want of a registered partner, a valid token bound to the certificate, or the scopes the call
/// needs. Tagged by the stable reason only: who was refused is in the log events (1101, 1103, 1203), not in a
/// metric whose labels anyone could fill with made-up client names.
/// </summary>
internal sealed class AccessMetrics
{
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _callsRefused;

    public AccessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(HubTelemetry.MeterName);
        _handshakesRefused = meter.CreateCounter<long>("exchangehub.tls.handshakes.refused", "{handshake}",
            "TLS handshakes refused for the client certificate, by rejection (NoCertificate, UntrustedIssuer, Expired, Revoked, ...).");
        _callsRefused = meter.CreateCounter<long>("exchangehub.calls.refused", "{call}",
            "Calls refused before any service saw them (certificate not a registered partner, access token, scopes), by reason id (EH10xx).");
    }

    /// <summary>A handshake refused for <paramref name="rejection"/>.</summary>
    public void HandshakeRefused(CertificateRejection rejection) =>
        _handshakesRefused.Add(1, new KeyValuePair<string, object?>("rejection", rejection.ToString()));

    /// <summary>A call refused with <paramref name="reason"/> (a text starting with its error id).</summary>
    public void CallRefused(string reason) =>
        _callsRefused.Add(1, new KeyValuePair<string, object?>("reason", HubTelemetry.ReasonId(reason)));
}
