// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Diagnostics;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Partners;
using ExchangeHub.Core.Policy;
using Google.Protobuf.WellKnownTypes;

namespace ExchangeHub.Benchmarks;

/// <summary>
/// Decisions per second of the policy engine for a 500-rule policy (and the shipped default), for an allowed
/// decision without payload (the engine alone), an allowed one that also minimises a payload, and a denial
/// (which explains itself and so costs more). Prints throughput and bytes allocated per decision.
/// </summary>
internal static class PolicyBenchmark
{
    private sealed class NoConsultations : ICaseConsultationDirectory
    {
        public bool IsMember(string caseConsultationId, Oin partner) => false;
    }

    public static void Run(TimeSpan duration, string? defaultPolicyPath)
    {
        const int RuleCount = 500;
        var compile = Stopwatch.StartNew();
        var (policy, problems) = PolicyLoader.Check(SyntheticPolicy.Create(RuleCount), "synthetic.yaml");
        compile.Stop();
        if (policy is null)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        Console.WriteLine($"Policy engine: {RuleCount} rules, compiled in {compile.Elapsed.TotalMilliseconds:0} ms; {duration.TotalSeconds:0} s per case, one thread");
        Console.WriteLine($"{"case",-44} {"decisions/s",14} {"ns/decision",12} {"bytes/decision",15}");
        var consultations = new NoConsultations();

        // Rule 437 of the synthetic policy: a combination deep in the file, so a scan would show.
        var (sender, recipient, basis, purpose) = SyntheticPolicy.Combination(437);
        var allowed = Request(sender, recipient, basis, purpose);
        Measure("500 rules, allowed", () => policy.Decide(allowed, consultations), duration);
        var withPayload = Request(sender, recipient, basis, purpose, SignalPayload());
        Measure("500 rules, allowed + minimised payload", () => policy.Decide(withPayload, consultations), duration);
        var denied = Request(sender, recipient, basis, purpose == "PUBLIC_ORDER" ? "CHILD_PROTECTION" : "PUBLIC_ORDER");
        Measure("500 rules, denied (explained)", () => policy.Decide(denied, consultations), duration);

        if (defaultPolicyPath is not null && File.Exists(defaultPolicyPath))
        {
            var shipped = PolicyLoader.Load(defaultPolicyPath);
            var notice = new DisclosureRequest
            {
                Sender = Partner("PRISON_SERVICE", null),
                Recipient = Partner("MUNICIPALITY", "GM0599"),
                MessageType = MessageType.EndOfDetentionNotice,
                Category = DataCategory.EndOfDetentionNotice,
                Purpose = Purpose.ReleasePreparation,
                LegalBasis = LegalBasis.AvgArt61E,
                SubjectMunicipalities = ["GM0599"],
            };
            Measure($"default policy ({shipped.Rules.Count} rules), allowed", () => shipped.Decide(notice, consultations), duration);
        }
    }

    private static void Measure(string name, Func<Decision> decide, TimeSpan duration)
    {
        // Warm up: tiered compilation settles, caches fill.
        for (var i = 0; i < 200_000; i++)
        {
            decide();
        }

        var count = 0L;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 1000; i++)
            {
                decide();
            }

            count += 1000;
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var perSecond = count / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{name,-44} {perSecond,14:N0} {1e9 / perSecond,12:N1} {(double)allocated / count,15:N1}");
    }

    private static DisclosureRequest Request(string sender, string recipient, string basis, string purpose, Signal? payload = null)
    {
        ProtoEnumNames.TryParse<LegalBasis>(ContractEnums.LegalBasis, basis, out var legalBasis);
        ProtoEnumNames.TryParse<Purpose>(ContractEnums.Purpose, purpose, out var parsedPurpose);
        return new DisclosureRequest
        {
            Sender = Partner(sender, null),
            Recipient = Partner(recipient, recipient == "MUNICIPALITY" ? "GM0599" : null),
            MessageType = MessageType.Signal,
            Category = DataCategory.Signal,
            Purpose = parsedPurpose,
            LegalBasis = legalBasis,
            Justification = "Benchmark justification.",
            SubjectMunicipalities = ["GM0599"],
            Payload = payload,
        };
    }

    private static Partner Partner(string role, string? municipality)
    {
        ProtoEnumNames.TryParse<PartnerRole>(ContractEnums.PartnerRole, role, out var parsed);
        return new Partner(Oin.Parse("00000001800000001000"), role, new[] { parsed }.ToFrozenSet(), municipality);
    }

    private static Signal SignalPayload() => new()
    {
        Subject = new SubjectReference { Bsn = "111222333" },
        SignalType = SignalType.Radicalisation,
        ObservedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero)),
        Description = "Observed behaviour during leave, described in a few sentences for the case consultation.",
        CaseConsultationId = "rotterdam-2026-17",
        Municipality = new MunicipalityCode { Code = "GM0599" },
        RelatedSignalIds = { "a", "b" },
    };
}
