// This file is part of ExchangeHub.

using System.Collections.Frozen;
using System.Reflection;
using ExchangeHub.Contracts.V1;
using Google.Protobuf.Reflection;

namespace ExchangeHub.Server.Limits;

/// <summary>
/// Every method of the hub's contract (exchangehub.v1) by its gRPC path, found through the descriptors of every
/// proto file in the contract assembly, so a new service is covered by the limits without anyone listing it.
/// </summary>
internal static class ContractMethods
{
    /// <summary>The package of the hub's contract.</summary>
    public const string Package = "exchangehub.v1";

    /// <summary>The subscription: the one call meant to stay open (no deadline of the hub's).</summary>
    public const string Subscribe = "/exchangehub.v1.InboxService/Subscribe";

    private static readonly FrozenDictionary<string, MethodDescriptor> ByPath = typeof(NoticeService).Assembly.GetTypes()
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
        .Where(p => p?.PropertyType == typeof(FileDescriptor))
        .Select(p => (FileDescriptor)p!.GetValue(null)!)
        .Where(f => f.Package == Package)
        .SelectMany(f => f.Services)
        .SelectMany(s => s.Methods)
        .ToFrozenDictionary(m => $"/{m.Service.FullName}/{m.Name}", StringComparer.Ordinal);

    /// <summary>Every method, by path.</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> All => ByPath;

    /// <summary>The contract method a gRPC request calls, if it calls one.</summary>
    public static MethodDescriptor? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            && ByPath.TryGetValue(context.Request.Path.Value ?? string.Empty, out var method)
            ? method
            : null;
    }
}
