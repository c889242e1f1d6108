// This file is part of ExchangeHub.

using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Access;
using ExchangeHub.Tests.Support.Hub;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ExchangeHub.Server.Tests;

/// <summary>
/// Throws malformed and random protobuf at every method of every exchangehub.v1 service, found through the
/// contract's descriptors, with a valid token of a partner that may call the method, so that every call gets past
/// authentication to the hub's own handling. Each call must end with a clear status (a stable error id, never
/// UNKNOWN or INTERNAL), the hub must log no error and keep serving, and neither the disclosure log nor the message
/// tables may gain a row. A hub of its own, so that nothing else writes while it counts. Seeded: a failure repeats.
/// </summary>
public sealed partial class MalformedRequestTests(MalformedRequestTests.IsolatedHub hub, ITestOutputHelper output) : IClassFixture<MalformedRequestTests.IsolatedHub>
{
    private const int CallsOfEachKind = 25;

    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    // What a client may be told about a request it got wrong; the rest would mean the hub failed, not the request.
    private static readonly StatusCode[] ClearRefusals =
    [
        StatusCode.InvalidArgument, StatusCode.PermissionDenied, StatusCode.NotFound, StatusCode.FailedPrecondition,
        StatusCode.OutOfRange, StatusCode.AlreadyExists, StatusCode.Unimplemented, StatusCode.ResourceExhausted,
    ];

    /// <summary>Every method of the contract, as service/method.</summary>
    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var method in ContractMethods())
        {
            data.Add($"{method.Service.Name}/{method.Name}");
        }

        return data;
    }

    [Fact]
    public void Methods_CoverEveryServiceOfTheContract()
    {
        var services = ContractMethods().Select(m => m.Service.Name).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["AuditService", "CaseService", "InboxService", "NoticeService", "OfficialReportService", "SignalService"], services);
        Assert.All(ContractMethods(), m => Assert.True(HubScopes.TryGetMethodScope($"/{m.Service.FullName}/{m.Name}", out _), m.FullName));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Call_MalformedAndRandomRequests_ClearStatusNothingWrittenHubServing(string name)
    {
        var method = ContractMethods().Single(m => $"{m.Service.Name}/{m.Name}" == name);
        var random = new RandomRequests(Seed(name));
        using var channel = hub.CreateChannel(CallerOf(method));
        var invoker = channel.CreateCallInvoker();
        var rowsBefore = HubTables.CountRows(hub);
        var errorsBefore = Errors().Count;
        var outcomes = new List<string>();

        for (var i = 0; i < CallsOfEachKind; i++)
        {
            var bytes = random.Malformed(method.InputType);
            var status = await CallAsync(invoker, method, bytes);
            outcomes.Add($"malformed {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 24)))}: {Describe(status)}");
            if (!Parses(method.InputType, bytes))
            {
                Assert.True(
                    status.Code == StatusCode.InvalidArgument && ReasonOf(status) == "EH2002",
                    $"{name} answered bytes that are not a {method.InputType.Name} with {Describe(status)}, not INVALID_ARGUMENT EH2002");
            }
            else
            {
                AssertClear(method, status);
            }

            var message = random.WellFormed(method.InputType);
            status = await CallAsync(invoker, method, message.ToByteArray());
            outcomes.Add($"random {Truncate(message.ToString() ?? string.Empty)}: {Describe(status)}");
            AssertClear(method, status);
        }

        output.WriteLine(string.Join(Environment.NewLine, outcomes));
        Assert.Equal(rowsBefore, HubTables.CountRows(hub));
        Assert.Equal(errorsBefore, Errors().Count);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        var checkpoint = await new AuditService.AuditServiceClient(channel).GetCheckpointAsync(new GetCheckpointRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.StartsWith("hub.test.example/disclosure-log\n", checkpoint.SignedNote, StringComparison.Ordinal);
    }

    private static void AssertClear(MethodDescriptor method, CallStatus status)
    {
        if (status.Code == StatusCode.OK)
        {
            return;
        }

        // A subscription that nothing went wrong with stays open until the client's deadline.
        if (status.Code == StatusCode.DeadlineExceeded && method.Name == "Subscribe")
        {
            return;
        }

        Assert.True(
            ClearRefusals.Contains(status.Code) && ErrorIdPattern().IsMatch(status.Detail),
            $"{method.FullName} answered {Describe(status)}: not a clear refusal with an error id");
    }

    private static async Task<CallStatus> CallAsync(CallInvoker invoker, MethodDescriptor method, byte[] body)
    {
        var type = method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var raw = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, RawBytes, RawBytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(method.IsServerStreaming ? 2 : 20));
        try
        {
            if (type == MethodType.Unary)
            {
                await invoker.AsyncUnaryCall(raw, null, options, body);
                return new CallStatus(StatusCode.OK, string.Empty, null);
            }

            using var call = invoker.AsyncServerStreamingCall(raw, null, options, body);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }

            return new CallStatus(StatusCode.OK, string.Empty, null);
        }
        catch (RpcException ex)
        {
            return new CallStatus(ex.StatusCode, ex.Status.Detail, ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }
    }

    private static bool Parses(MessageDescriptor descriptor, byte[] bytes)
    {
        try
        {
            descriptor.Parser.ParseFrom(bytes);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    private static string? ReasonOf(CallStatus status) => status.Reason;

    private static string Describe(CallStatus status) => $"{status.Code} {status.Reason} \"{Truncate(status.Detail)}\"";

    private static string Truncate(string text) => text.Length <= 160 ? text : text[..160] + "...";

    // The partner whose token carries the method's operation scope, so the call reaches the service.
    private X509Certificate2 CallerOf(MethodDescriptor method) => (method.Service.Name, method.Name) switch
    {
        ("NoticeService", _) => hub.Pki.Dji,
        ("SignalService", _) => hub.Pki.Police,
        ("OfficialReportService", "SubmitOfficialReport") => hub.Pki.Aivd,
        ("CaseService", "SubmitReintegrationData") => hub.Pki.Dji,
        ("AuditService", _) => hub.Pki.PrivacyOfficer,
        _ => hub.Pki.Rotterdam,
    };

    private static int Seed(string name) => name.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));

    private static IEnumerable<MethodDescriptor> ContractMethods() =>
        typeof(NoticeService).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .Where(f => f.Package == "exchangehub.v1")
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods)
            .OrderBy(m => m.FullName, StringComparer.Ordinal);

    private List<RecordingLoggerProvider.LogRecord> Errors() => [.. hub.Logs.Records.Where(r => r.Level >= LogLevel.Error)];

    [GeneratedRegex("^EH[0-9]{4}: ")]
    private static partial Regex ErrorIdPattern();

    private sealed record CallStatus(StatusCode Code, string Detail, string? Reason);

    /// <summary>
    /// A hub for these tests alone, holding one notice (to Rotterdam and the IDV), so that the log, the proofs and the
    /// inbox have something in them. Its acknowledgements are due only after an hour, so no alarm writes while the
    /// tests count rows.
    /// </summary>
    public sealed class IsolatedHub : HubTestServer
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            using var dji = CreateChannel(Pki.Dji);
            await new NoticeService.NoticeServiceClient(dji).SubmitEndOfDetentionNoticeAsync(HubMessages.Notice(DateTimeOffset.UtcNow.AddDays(30)), deadline: DateTime.UtcNow.AddSeconds(30));
        }

        protected override void Configure(IDictionary<string, string?> settings)
        {
            ArgumentNullException.ThrowIfNull(settings);
            settings["ExchangeHub:Messages:AcknowledgeWithin"] = "01:00:00";
        }
    }
}
