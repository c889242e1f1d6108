// This file is part of ExchangeHub.

using ExchangeHub.Core.Partners;

namespace ExchangeHub.Server.Authentication;

/// <summary>The authenticated partner of a request, set by <see cref="PartnerCertificateHandler"/>.</summary>
/// <param name="Partner">The partner the client certificate belongs to.</param>
public sealed record PartnerFeature(Partner Partner);
