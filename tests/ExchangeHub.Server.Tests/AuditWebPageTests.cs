// This file is part of ExchangeHub.

using System.Globalization;
using ExchangeHub.Core.Ledger;
using ExchangeHub.Server.Tests.Browser;
using ExchangeHub.Tests.Support.Hub;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// The privacy officer's page in Debian's chromium, headless, over HTTPS with a client certificate in the browser:
/// the officer sees the figures <see cref="AuditWebHub"/> seeded, anyone else is refused.
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
            Assert.EndsWith("for Functionaris Gegevensbescherming.", driver.FindElement(By.Id("loaded")).Text, StringComparison.Ordinal);

            // The decisions (see AuditWebHub for where each comes from), all in this month.
            var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            Assert.Equal(("5", "1", "1"), (Text(driver, "total-allowed"), Text(driver, "total-denied"), Text(driver, "total-outstanding")));
            Assert.Equal(
                [("AVG_ART_6_1_C", "2"), ("AVG_ART_6_1_E", "1"), ("WPG_ART_20", "1"), (string.Empty, "1")],
                Rows(driver, "table-basis", month));
            Assert.Equal(
                [(TestPki.IdvOin, "2"), (TestPki.RotterdamOin, "2"), (TestPki.PrivacyOfficerOin, "1")],
                Rows(driver, "table-recipient", month).Order());
            Assert.Equal(
                [(string.Empty, "1"), (TestPki.DjiOin, "3"), (TestPki.PoliceOin, "1")],
                Rows(driver, "table-sender", month).Order());
            Assert.Contains("Gemeente Rotterdam (2)", driver.FindElement(By.CssSelector("#chart-recipient .legend")).Text, StringComparison.Ordinal);

            // The charts are drawn: one bar segment per legal basis in this month, and its total on top.
            var basisChart = driver.FindElement(By.CssSelector("#chart-basis svg"));
            Assert.Equal(4, basisChart.FindElements(By.TagName("rect")).Count);
            Assert.Contains("5", basisChart.FindElements(By.CssSelector("text.value")).Select(t => t.Text));

            var denial = driver.FindElement(By.CssSelector("#table-denials tbody tr"));
            Assert.Equal("EH3006", denial.GetDomAttribute("data-reason"));
            Assert.Equal(
                ["Politie", "Gemeente Rotterdam", "SIGNAL", "WPG_ART_20", "PERSON_CENTRED_APPROACH"],
                denial.FindElements(By.TagName("td")).Skip(2).Take(5).Select(td => td.Text));

            var notice = driver.FindElement(By.CssSelector("#table-notices tbody tr"));
            Assert.Equal("MANDATORY_RECIPIENT_DENIED", notice.GetDomAttribute("data-kind"));
            Assert.Contains(hub.UnroutableNotice.MessageId, notice.Text, StringComparison.Ordinal);
            Assert.Contains("Dienst Justitiële Inrichtingen", notice.Text, StringComparison.Ordinal);

            // The six seeded entries were counted; showing the denial was logged as the seventh, and the log, read
            // after it, verifies up to a checkpoint that covers it.
            var size = hub.Service<IDisclosureLog>().Committed.Size;
            Assert.Equal((7L, "6"), (size, Text(driver, "snapshot")));
            Assert.Equal("ok", driver.FindElement(By.Id("log-status")).GetDomAttribute("data-result"));
            Assert.Equal("7", Text(driver, "log-size"));
            Assert.StartsWith("Verified: OK. 7 entries re-read", Text(driver, "log-status"), StringComparison.Ordinal);
            Assert.Equal("hub.test.example/disclosure-log", Text(driver, "log-origin"));
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
        Assert.Empty(driver.FindElements(By.Id("total-allowed")));
        Assert.Contains(hub.Logs.Records, r => r.EventId.Id == 1151 && r.Message.Contains(TestPki.DjiOin, StringComparison.Ordinal));
    }

    [Fact]
    public void Page_NoCertificateInChromium_RefusedInTheTlsHandshake()
    {
        using var browser = new HeadlessChromium(hub.Address, hub.Pki.CaCertificate, clientCertificate: null);
        var requestsBefore = hub.RequestsSeen;

        // Chromium reports the refused handshake either as a navigation error or, depending on timing, by showing its
        // own error page (at chrome-error://), which names the net error code.
        string shown;
        try
        {
            browser.Driver.Navigate().GoToUrl(hub.Page);
            shown = browser.Driver.Url + "\n" + browser.Driver.PageSource;
        }
        catch (WebDriverException refused)
        {
            shown = refused.Message;
        }

        // The hub closed the connection in the handshake, before any HTTP was spoken.
        Assert.True(shown.Contains("ERR_", StringComparison.Ordinal) || shown.StartsWith("chrome-error://", StringComparison.Ordinal), shown);
        Assert.Empty(browser.Driver.FindElements(By.Id("total-allowed")));
        Assert.Equal(requestsBefore, hub.RequestsSeen);
    }

    private static string Text(IWebDriver driver, string id) => driver.FindElement(By.Id(id)).Text;

    /// <summary>Each row of a figures table: its key (a legal basis or an OIN) and its count in <paramref name="month"/>, which must be its total.</summary>
    private static List<(string Key, string Count)> Rows(IWebDriver driver, string table, string month) =>
        [.. driver.FindElements(By.CssSelector($"#{table} tbody tr")).Select(row =>
        {
            var count = row.FindElement(By.CssSelector($"td[data-month='{month}']")).Text;
            Assert.Equal(count, row.FindElement(By.CssSelector("td.total")).Text);
            return (row.GetDomAttribute("data-key") ?? "?", count);
        })];

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
