// This file is part of ExchangeHub.

using System.Collections.Frozen;

namespace ExchangeHub.Server.AuditWeb;

/// <summary>
/// The page itself: one HTML file, its script and its style, embedded in the hub's assembly. No front-end build, no
/// CDN: the hub serves everything the page needs, so a privacy officer's browser talks to nothing else.
/// </summary>
internal static class AuditWebAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Assets = new Dictionary<string, (byte[], string)>
    {
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["app.js"] = (Read("app.js"), "text/javascript; charset=utf-8"),
        ["app.css"] = (Read("app.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary();

    /// <summary>Answers with the asset named <paramref name="name"/>.</summary>
    public static IResult Serve(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (content, contentType) = Assets[name];
        AuditWebResponses.ApplySecurityHeaders(context.Response);
        return Results.Bytes(content, contentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(AuditWebAssets).Assembly.GetManifestResourceStream($"AuditWeb.{name}")
            ?? throw new InvalidOperationException($"The privacy officer's page asset '{name}' is not embedded in the hub.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
