// This file is part of ExchangeHub.

using ExchangeHub.Core.Errors;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Core.Partners;
using ExchangeHub.Server.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// Maps the privacy officer's page under <see cref="AuditWebDefaults.Path"/>: the page (HTML, script, style) and
/// the few GET endpoints its script reads. Every one of them requires <see cref="AuditWebDefaults.PolicyName"/>.
/// Nothing here changes state, so a request another site makes the browser send can only read, and the browser
/// keeps what it reads from that site (same-origin policy, no CORS).
/// </summary>
internal static class AuditWebEndpoints
{
    public static IEndpointConventionBuilder MapPrivacyOfficerPage(this IEndpointRouteBuilder endpoints)
    {
        var page = endpoints.MapGroup(AuditWebDefaults.Path)
            .RequireAuthorization(AuditWebDefaults.PolicyName)
            .WithMetadata(PrivacyOfficerPageMetadata.Instance)
            .ExcludeFromDescription();

        page.MapGet("/", (HttpContext context) => AuditWebAssets.Serve(context, "index.html"));
        page.MapGet("/app.js", (HttpContext context) => AuditWebAssets.Serve(context, "app.js"));

        // The style carries nothing about disclosures, and the refusal page needs it too.
        page.MapGet("/app.css", (HttpContext context) => AuditWebAssets.Serve(context, "app.css")).AllowAnonymous();

        var api = page.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            AuditWebResponses.ApplySecurityHeaders(context.HttpContext.Response);
            try
            {
                return await next(context);
            }
            catch (LeafUnreadableException ex)
            {
                // No figures from a log whose records cannot be read: the page says so, with the reason.
                return Results.Json(new AuditWebError(HubErrors.LeafUnreadable.Id, ex.Message), statusCode: StatusCodes.Status500InternalServerError);
            }
        });
        api.MapGet("/session", (HttpContext context) => SessionView.Of(context.Features.GetRequiredFeature<PartnerFeature>().Partner));
        api.MapGet("/disclosures", (HttpContext context, DisclosureFigures figures, CancellationToken cancellationToken) =>
            figures.ReadAsync(context.Features.GetRequiredFeature<PartnerFeature>().Partner, cancellationToken));
        api.MapGet("/notices", (OutstandingNotices notices, CancellationToken cancellationToken) => notices.ListAsync(cancellationToken));
        api.MapGet("/log", (LogStatus log, CancellationToken cancellationToken) => log.ReadAsync(cancellationToken));
        return page;
    }
}

/// <summary>Who is looking: the privacy officer the certificate belongs to.</summary>
/// <param name="Partner">The partner.</param>
internal sealed record SessionView(PartnerView Partner)
{
    public static SessionView Of(Partner partner) => new(new PartnerView(partner.Oin.Value, partner.Name));
}
