// This file is part of ExchangeHub.

using System.Globalization;
using System.Text.RegularExpressions;

namespace ExchangeHub.Server.Tests;

/// <summary>One scrape of the metrics listener in the Prometheus text format, read into samples.</summary>
internal sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    /// <summary>The scrape as the listener sent it.</summary>
    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>GETs <c>/metrics</c> from <paramref name="metrics"/>; fails on anything but 200 in the text format.</summary>
    public static async Task<PrometheusScrape> GetAsync(Uri metrics)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(metrics, "/metrics"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Matching(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var value) && value == l.Value));

    /// <summary>The sum of the matching samples (0 when there are none: a counter not yet touched).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+-?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
