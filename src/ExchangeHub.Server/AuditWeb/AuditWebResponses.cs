// This file is part of ExchangeHub.

using System.Text.Encodings.Web;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>The headers every answer of the page carries, and its refusals.</summary>
internal static class AuditWebResponses
{
    /// <summary>
    /// Only the page's own script and style, no inline code, no framing, nothing cached: the figures are about
    /// disclosures of personal data, so they stay on the privacy officer's screen and leave no copy behind.
    /// </summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>Refuses with <paramref name="status"/>: a readable page for a person, JSON for the page's script.</summary>
    public static async Task WriteRefusalAsync(HttpContext context, int status, string reason)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        ApplySecurityHeaders(response);
        if (context.Request.Path.StartsWithSegments($"{AuditWebDefaults.Path}/api", StringComparison.Ordinal))
        {
            await response.WriteAsJsonAsync(new AuditWebError(reason[..Math.Max(0, reason.IndexOf(':', StringComparison.Ordinal))], reason), context.RequestAborted);
            return;
        }

        var title = status == StatusCodes.Status403Forbidden ? "Not for this certificate" : "Not signed in";
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>ExchangeHub: {{title}}</title><link rel="stylesheet" href="{{AuditWebDefaults.Path}}/app.css"></head>
            <body class="refused">
            <main>
            <h1>{{title}}</h1>
            <p id="refusal">{{HtmlEncoder.Default.Encode(reason)}}</p>
            <p>This page shows the disclosure figures of the hub to privacy officers (functionarissen gegevensbescherming).
            Open it with the privacy officer's certificate; choose another certificate after closing every window of the browser.</p>
            </main>
            </body>
            </html>
            """, context.RequestAborted);
    }
}

/// <summary>A refusal for the page's script.</summary>
/// <param name="Error">The stable error id, e.g. EH1007.</param>
/// <param name="Message">The reason in words.</param>
internal sealed record AuditWebError(string Error, string Message);
