// This file is part of ExchangeHub.

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeHub.Core.Pki;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ExchangeHub.Server.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven by /usr/bin/chromedriver, presenting one client certificate the way a privacy
/// officer's browser does. Everything it uses lives in one temporary directory that is removed afterwards:
/// <list type="bullet">
/// <item>a HOME of its own, whose NSS database ($HOME/.pki/nssdb, where chromium on Linux keeps client certificates
/// and locally trusted CAs) holds the hub's CA and the certificate with its key, imported from PKCS#12;</item>
/// <item>a fresh profile (--user-data-dir) whose preferences carry the AutoSelectCertificateForUrls content
/// setting for the hub's origin, so chromium presents the certificate without asking. That is the same setting the
/// managed policy of that name sets, but in the profile, so nothing is written to /etc.</item>
/// </list>
/// Chromium is missing: the constructor throws (the test fails, it does not skip); scripts/test.sh installs it.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private static readonly string[] RequiredTools = [ChromiumPath, ChromeDriverPath, "/usr/bin/certutil", "/usr/bin/pk12util"];

    private readonly string _root;
    private readonly ChromeDriverService _service;
    private readonly ChromeDriver? _driver;

    /// <summary>Starts chromium trusting <paramref name="hubCa"/> and presenting <paramref name="clientCertificate"/> (or none) to <paramref name="origin"/>.</summary>
    public HeadlessChromium(Uri origin, X509Certificate2 hubCa, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(hubCa);
        var missing = RequiredTools.Where(tool => !File.Exists(tool)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The browser tests need {string.Join(", ", missing)}: apt-get install chromium chromium-driver libnss3-tools (scripts/test.sh does this).");
        }

        _root = Directory.CreateTempSubdirectory("eh-chromium-").FullName;
        Home = Path.Combine(_root, "home");
        UserDataDirectory = Path.Combine(_root, "profile");
        CreateNssDatabase(hubCa, clientCertificate);

        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        _service.SuppressInitialDiagnosticInformation = true;
        _service.LogPath = Path.Combine(_root, "chromedriver.log");

        // chromium reads the NSS database from $HOME; it inherits chromedriver's environment.
        _service.DriverProcessStarting += (_, e) => e.DriverServiceProcessStartInfo.EnvironmentVariables["HOME"] = Home;

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };

        // The closed network refuses chromium's own background connections (updates, sync, QUIC probes): off.
        options.AddArguments(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--password-store=basic",
            "--window-size=1280,2000",
            $"--user-data-dir={UserDataDirectory}");
        if (clientCertificate is not null)
        {
            options.AddUserProfilePreference("profile.content_settings.exceptions.auto_select_certificate", AutoSelect(origin, clientCertificate));
        }

        try
        {
            _driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The HOME chromium runs with.</summary>
    public string Home { get; }

    /// <summary>The profile directory, unique to this browser: what tells its processes apart from any other chromium.</summary>
    public string UserDataDirectory { get; }

    public IWebDriver Driver => _driver ?? throw new ObjectDisposedException(nameof(HeadlessChromium));

    /// <summary>Ids of running processes started with this browser's profile directory (chromium and its helpers).</summary>
    public static IReadOnlyList<int> ProcessesUsing(string userDataDirectory)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(userDataDirectory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being looked at.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read, so not ours.
            }
        }

        return found;
    }

    /// <summary>Saves a screenshot (PNG) of the whole page, for a person checking how it looks.</summary>
    public void SaveScreenshot(string path)
    {
        var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollHeight;"), CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, Math.Max(height, 600));
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
    }

    public void Dispose()
    {
        try
        {
            _driver?.Quit();
        }
        catch (WebDriverException)
        {
            // Chromium already gone; what is left is cleaned up below.
        }

        _driver?.Dispose();
        _service.Dispose();

        // Quit ends chromium through chromedriver; should a process outlive it, it is ended here, by id. Only this
        // browser's processes carry its profile directory.
        foreach (var pid in ProcessesUsing(UserDataDirectory))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // Already ended.
            }
            catch (InvalidOperationException)
            {
                // Already ended.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still be closing a file; the directory is in the temp folder, and uniquely named.
        }
    }

    private static Dictionary<string, object> AutoSelect(Uri origin, X509Certificate2 certificate) => new()
    {
        // Pattern "<origin>,*": this origin, embedded anywhere. The filter picks the certificate by its subject CN.
        [$"{origin.GetLeftPart(UriPartial.Authority)},*"] = new Dictionary<string, object>
        {
            ["setting"] = new Dictionary<string, object>
            {
                ["filters"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["SUBJECT"] = new Dictionary<string, object> { ["CN"] = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) },
                    },
                },
            },
        },
    };

    private void CreateNssDatabase(X509Certificate2 hubCa, X509Certificate2? clientCertificate)
    {
        var database = Path.Combine(Home, ".pki", "nssdb");
        Directory.CreateDirectory(database);
        var nss = $"sql:{database}";
        Run("/usr/bin/certutil", "-N", "-d", nss, "--empty-password");

        var caPath = Path.Combine(_root, "hub-ca.crt");
        PemFiles.WriteCertificate(caPath, hubCa);
        Run("/usr/bin/certutil", "-A", "-d", nss, "-n", "hub-ca", "-t", "C,,", "-i", caPath);

        if (clientCertificate is null)
        {
            return;
        }

        // PKCS#12 is how a privacy officer receives the certificate; the password only protects this temporary file.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var pkcs12Path = Path.Combine(_root, "officer.p12");
        var passwordPath = Path.Combine(_root, "officer.p12.password");
        File.WriteAllBytes(pkcs12Path, clientCertificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));
        File.WriteAllText(passwordPath, password);
        Run("/usr/bin/pk12util", "-i", pkcs12Path, "-d", nss, "-w", passwordPath);
    }

    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error}");
        }
    }
}
