// This file is part of ExchangeHub.

using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Server.Tests.Browser;
using ExchangeHub.Tests.Support.Hub;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The privacy officer's page: in Debian's chromium, headless, over HTTPS with a client certificate in the browser,
/// and its JSON read with a plain HttpClient. The figures asserted are those seeded by <see cref="AuditWebHub"/>.
/// </summary>
public sealed class AuditWebPageTests(AuditWebHub hub) : IClassFixture<AuditWebHub>
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Page_PrivacyOfficerInChromium_ShowsTheSeededFigures()
    {
        string profile;
        using (var browser = new HeadlessChromium(hub.Address, hub.Pki.CaCertificate, hub.Pki.PrivacyOfficer))
        {
            profile = browser.UserDataDirectory;
            var driver = browser.Driver;

            driver.Navigate().GoToUrl(hub.Page);
            new WebDriverWait(driver, PageTimeout).Until(d =>
                d.FindElement(By.Id("loaded")).GetDomAttribute("data-ready") == "true"
                && d.FindElement(By.Id("log-status")).GetDomAttribute("data-running") == "false");
            SaveScreenshotWhenAsked(browser, "audit-page-officer.png");

            Assert.Equal(TestPki.PrivacyOfficerOin, driver.FindElement(By.Id("loaded")).GetDomAttribute("data-viewer"));
            Assert.Contains("for Functionaris Gegevensbescherming", driver.FindElement(By.Id("loaded")).Text, StringComparison.Ordinal);

            // The log verifies, up to the checkpoint the page itself had signed over everything seeded.
            var size = hub.Service<IDisclosureLog>().Committed.Size;
            Assert.Equal("ok", driver.FindElement(By.Id("log-status")).GetDomAttribute("data-result"));
            Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), driver.FindElement(By.Id("log-size")).Text);
            Assert.StartsWith($"Verified: OK. {size} entries re-read", driver.FindElement(By.Id("log-status")).Text, StringComparison.Ordinal);
            Assert.Equal("hub.test.example/disclosure-log", driver.FindElement(By.Id("log-origin")).Text);

            // The one outstanding notice: the mayor of GM0014 is no partner.
            Assert.Equal("1", driver.FindElement(By.Id("total-outstanding")).Text);
            var notice = driver.FindElement(By.CssSelector("#table-notices tbody tr"));
            Assert.Equal("MANDATORY_RECIPIENT_DENIED", notice.GetDomAttribute("data-kind"));
            Assert.Contains(hub.UnroutableNotice.MessageId, notice.Text, StringComparison.Ordinal);
            Assert.Contains("Dienst Justitiële Inrichtingen", notice.Text, StringComparison.Ordinal);
        }

        Assert.Empty(HeadlessChromium.ProcessesUsing(profile));
    }

    [Fact]
    public void Page_OtherPartnerInChromium_RefusedWithAReadablePage()
    {
        using var browser = new HeadlessChromium(hub.Address, hub.Pki.CaCertificate, hub.Pki.Dji);
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(hub.Page);
        var refusal = new WebDriverWait(driver, PageTimeout).Until(d => d.FindElements(By.Id("refusal")).SingleOrDefault());
        SaveScreenshotWhenAsked(browser, "audit-page-dji.png");

        Assert.Equal("ExchangeHub: Not for this certificate", driver.Title);
        Assert.Equal(
            $"EH1007: The privacy officer's page is for privacy officers (role PRIVACY_OFFICER) acting for purpose PRIVACY_AUDIT; partner Dienst Justitiële Inrichtingen ({TestPki.DjiOin}) may not use it.",
            refusal.Text);
        Assert.Empty(driver.FindElements(By.Id("log-status")));
    }

    [Fact]
    public void Page_NoCertificateInChromium_RefusedInTheTlsHandshake()
    {
        using var browser = new HeadlessChromium(hub.Address, hub.Pki.CaCertificate, clientCertificate: null);
        var requestsBefore = hub.RequestsSeen;

        var refused = Assert.ThrowsAny<WebDriverException>(() => browser.Driver.Navigate().GoToUrl(hub.Page));

        // The hub closed the connection in the handshake, before any HTTP was spoken.
        Assert.Contains("net::ERR_", refused.Message, StringComparison.Ordinal);
        Assert.Empty(browser.Driver.FindElements(By.Id("log-status")));
        Assert.Equal(requestsBefore, hub.RequestsSeen);
    }

    [Theory]
    [InlineData("session")]
    [InlineData("log")]
    [InlineData("notices")]
    public async Task Api_PrivacyOfficer_Json(string endpoint)
    {
        using var client = PageClient(hub.Pki.PrivacyOfficer);

        using var response = await client.GetAsync(new Uri($"api/{endpoint}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("app.js")]
    [InlineData("api/session")]
    [InlineData("api/log")]
    [InlineData("api/notices")]
    public async Task Page_OtherPartner_Forbidden(string path)
    {
        using var client = PageClient(hub.Pki.Rotterdam);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"EH1007: The privacy officer's page is for privacy officers (role PRIVACY_OFFICER) acting for purpose PRIVACY_AUDIT; partner Gemeente Rotterdam ({TestPki.RotterdamOin}) may not use it.", body, StringComparison.Ordinal);
        if (path.StartsWith("api/", StringComparison.Ordinal))
        {
            var error = JsonDocument.Parse(body).RootElement;
            Assert.Equal("EH1007", error.GetProperty("error").GetString());
        }
        else
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Page_UnregisteredCertificate_UnauthorizedWithTheReason()
    {
        using var client = PageClient(hub.Pki.Unregistered);

        using var response = await client.GetAsync(new Uri("api/log", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("EH1003", error.GetProperty("error").GetString());
        Assert.StartsWith($"EH1003: The client certificate is valid, but OIN {TestPki.UnregisteredOin} is not registered", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>An HttpClient for the page (not gRPC) that presents <paramref name="certificate"/> and trusts only the test CA.</summary>
    private HttpClient PageClient(X509Certificate2 certificate)
    {
        var authorities = new X509Certificate2Collection(hub.Pki.CaCertificate);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                {
                    if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
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
        return new HttpClient(handler) { BaseAddress = hub.Page };
    }

    /// <summary>Saves what the browser shows to $EXCHANGEHUB_SCREENSHOTS, for a person to look at; nothing otherwise.</summary>
    private static void SaveScreenshotWhenAsked(HeadlessChromium browser, string name)
    {
        if (Environment.GetEnvironmentVariable("EXCHANGEHUB_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            browser.SaveScreenshot(Path.Combine(directory, name));
        }
    }
}
