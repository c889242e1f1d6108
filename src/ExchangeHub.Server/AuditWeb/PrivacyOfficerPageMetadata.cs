// This file is part of ExchangeHub.

namespace ExchangeHub.Server.AuditWeb;

/// <summary>Marks the endpoints of the privacy officer's page, so that a refusal there is answered for a person (HTML) or the page's script (JSON), not as a gRPC status.</summary>
internal sealed class PrivacyOfficerPageMetadata
{
    public static readonly PrivacyOfficerPageMetadata Instance = new();

    private PrivacyOfficerPageMetadata()
    {
    }
}
