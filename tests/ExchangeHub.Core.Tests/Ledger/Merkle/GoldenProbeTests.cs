// This file is part of ExchangeHub.

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExchangeHub.Core.Ledger.Merkle;

namespace ExchangeHub.Core.Tests.Ledger.Merkle;

/// <summary>
/// The golden RFC 6962 / RFC 9162 probes of transparency-dev/merkle (../shared/test-vectors/merkle, read in
/// place): the verifier accepts exactly the files with wantErr false and rejects every file with wantErr true.
/// </summary>
public sealed class GoldenProbeTests
{
    /// <summary>
    /// The probes our stricter hash-length policy rejects although transparency-dev accepts them, with the reason
    /// the verifier must give. Only this one: it compares two equal 12-byte placeholder roots for equal sizes.
    /// <see cref="VerifyConsistency_AdditionalProbeWithHashesWidenedTo32Bytes_MatchesWantErr"/> shows that it
    /// passes once the placeholders are 32 bytes, so the size policy itself agrees with the probe.
    /// </summary>
    private static readonly Dictionary<string, string> _rejectedForHashLength = new(StringComparer.Ordinal)
    {
        ["consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"] = "root1 is 12 bytes, not 32",
    };

    private static string ProbeRoot => Path.Combine(RepositoryPaths.Shared, "test-vectors", "merkle");

    public static TheoryData<string> InclusionProbes => Probes("inclusion", _ => true);

    public static TheoryData<string> ConsistencyProbes => Probes("consistency", _ => true);

    public static TheoryData<string> AdditionalProbes =>
        Probes("consistency", probe => probe.StartsWith("consistency/additional/", StringComparison.Ordinal));

    [Fact]
    public void ProbeDirectory_Enumerated_HoldsMoreThanFiftyProbesOfEachKind()
    {
        Assert.True(Directory.Exists(ProbeRoot), $"No probe directory at {ProbeRoot}.");
        Assert.True(ProbeFiles("inclusion").Count > 50, $"Too few inclusion probes under {ProbeRoot}.");
        Assert.True(ProbeFiles("consistency").Count > 50, $"Too few consistency probes under {ProbeRoot}.");
        Assert.True(ProbeFiles("inclusion").Count + ProbeFiles("consistency").Count > 150);
        Assert.All(_rejectedForHashLength.Keys, probe => Assert.Contains(probe, ProbeFiles("consistency")));
    }

    [Theory]
    [MemberData(nameof(InclusionProbes))]
    public void VerifyInclusion_GoldenProbe_MatchesWantErr(string probe)
    {
        using var json = Load(probe);
        var p = json.RootElement;

        var result = MerkleVerifier.CheckInclusion(
            Size(p, "leafIdx"),
            Size(p, "treeSize"),
            Bytes(p, "leafHash"),
            Proof(p),
            Bytes(p, "root"));

        AssertOutcome(probe, p, result);
        Assert.Equal(result.IsValid, MerkleVerifier.VerifyInclusion(
            Size(p, "leafIdx"), Size(p, "treeSize"), Bytes(p, "leafHash"), Proof(p), Bytes(p, "root")));
    }

    [Theory]
    [MemberData(nameof(ConsistencyProbes))]
    public void VerifyConsistency_GoldenProbe_MatchesWantErr(string probe)
    {
        using var json = Load(probe);
        var p = json.RootElement;

        var result = MerkleVerifier.CheckConsistency(
            Size(p, "size1"),
            Size(p, "size2"),
            Bytes(p, "root1"),
            Bytes(p, "root2"),
            Proof(p));

        if (_rejectedForHashLength.TryGetValue(probe, out var reason))
        {
            Assert.False(p.GetProperty("wantErr").GetBoolean(), $"{probe} no longer needs the hash-length exception.");
            Assert.False(result.IsValid, $"{probe} must be rejected: it uses roots that are not 32 bytes.");
            Assert.Equal(reason, result.Reason);
            return;
        }

        AssertOutcome(probe, p, result);
        Assert.Equal(result.IsValid, MerkleVerifier.VerifyConsistency(
            Size(p, "size1"), Size(p, "size2"), Bytes(p, "root1"), Bytes(p, "root2"), Proof(p)));
    }

    /// <summary>
    /// The additional/ probes fix the edge policy (size 0, equal sizes) with placeholder hashes such as
    /// "don't care 1" that are not 32 bytes, so the length rule alone would reject them. Widening every such
    /// placeholder to a distinct 32-byte value (equal placeholders stay equal) makes the size policy decide.
    /// </summary>
    [Theory]
    [MemberData(nameof(AdditionalProbes))]
    public void VerifyConsistency_AdditionalProbeWithHashesWidenedTo32Bytes_MatchesWantErr(string probe)
    {
        using var json = Load(probe);
        var p = json.RootElement;

        var result = MerkleVerifier.CheckConsistency(
            Size(p, "size1"),
            Size(p, "size2"),
            Widen(Bytes(p, "root1")),
            Widen(Bytes(p, "root2")),
            Proof(p).Select(Widen).ToArray());

        AssertOutcome(probe, p, result);
    }

    [Fact]
    public void VerifyInclusion_AdditionalProbesWithHashesWidenedTo32Bytes_AllRejected()
    {
        var probes = ProbeFiles("inclusion").Where(probe => probe.StartsWith("inclusion/additional/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(probes);
        foreach (var probe in probes)
        {
            using var json = Load(probe);
            var p = json.RootElement;

            var result = MerkleVerifier.CheckInclusion(
                Size(p, "leafIdx"),
                Size(p, "treeSize"),
                Widen(Bytes(p, "leafHash")),
                Proof(p).Select(Widen).ToArray(),
                Widen(Bytes(p, "root")));

            AssertOutcome(probe, p, result);
        }
    }

    private static void AssertOutcome(string probe, JsonElement p, MerkleVerification result)
    {
        var wantErr = p.GetProperty("wantErr").GetBoolean();
        var desc = p.GetProperty("desc").GetString();
        Assert.True(
            result.IsValid != wantErr,
            $"{probe} ({desc}): expected {(wantErr ? "rejection" : "acceptance")}, got {(result.IsValid ? "acceptance" : "rejection")}: {result.Reason}.");
    }

    private static TheoryData<string> Probes(string kind, Func<string, bool> include)
    {
        var data = new TheoryData<string>();
        foreach (var probe in ProbeFiles(kind).Where(include))
        {
            data.Add(probe);
        }

        return data;
    }

    // Paths relative to the probe root, with forward slashes, sorted: the theory case names.
    private static List<string> ProbeFiles(string kind)
    {
        var directory = Path.Combine(ProbeRoot, kind);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(ProbeRoot, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static JsonDocument Load(string probe)
    {
        return JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ProbeRoot, probe)));
    }

    // The probes come from Go, where sizes are uint64; a value above long.MaxValue (leafIdx 2^64 - 1 in the
    // "leafIdx-sub-@1" probes) is reinterpreted bit for bit, as a signed 64-bit wire field would carry it, and
    // reaches the verifier as a negative number.
    private static long Size(JsonElement p, string name)
    {
        return unchecked((long)p.GetProperty(name).GetUInt64());
    }

    private static byte[] Bytes(JsonElement p, string name)
    {
        return Convert.FromBase64String(p.GetProperty(name).GetString() ?? string.Empty);
    }

    private static byte[][] Proof(JsonElement p)
    {
        var proof = p.GetProperty("proof");
        return proof.ValueKind == JsonValueKind.Null
            ? []
            : proof.EnumerateArray().Select(item => Convert.FromBase64String(item.GetString() ?? string.Empty)).ToArray();
    }

    private static byte[] Widen(byte[] hash)
    {
        return hash.Length == MerkleHash.Size
            ? hash
            : SHA256.HashData([.. Encoding.UTF8.GetBytes("widened placeholder:"), .. hash]);
    }
}
