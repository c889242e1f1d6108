// This file is part of ExchangeHub.

namespace ExchangeHub.Server.Hosting;

/// <summary>
/// Every log event the host writes, with a stable id. Ranges follow <see cref="Core.Errors.HubErrors"/>:
/// 1xxx authentication, 2xxx validation, 4xxx the disclosure log, 6xxx limits on calls, 9xxx the host itself.
/// </summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 1101, EventName = "ClientCertificateRejected", Level = LogLevel.Warning,
        Message = "TLS handshake refused from {RemoteEndPoint}: {Rejection}, {Detail}")]
    public static partial void ClientCertificateRejected(ILogger logger, string? remoteEndPoint, Core.Pki.CertificateRejection rejection, string detail);

    [LoggerMessage(EventId = 1102, EventName = "PartnerAuthenticated", Level = LogLevel.Debug,
        Message = "Partner {Oin} ({PartnerName}) authenticated on connection {ConnectionId}")]
    public static partial void PartnerAuthenticated(ILogger logger, string oin, string partnerName, string connectionId);

    [LoggerMessage(EventId = 1103, EventName = "PartnerAuthenticationFailed", Level = LogLevel.Warning,
        Message = "Request {Path} from {RemoteEndPoint} not authenticated: {Reason}")]
    public static partial void PartnerAuthenticationFailed(ILogger logger, string path, string? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 1151, EventName = "PrivacyOfficerPageRefused", Level = LogLevel.Warning,
        Message = "Privacy officer's page {Path} refused to {Partner}: not a privacy officer")]
    public static partial void PrivacyOfficerPageRefused(ILogger logger, string path, string partner);

    [LoggerMessage(EventId = 1201, EventName = "TokenIssued", Level = LogLevel.Information,
        Message = "Access token issued to {Oin} ({PartnerName}) with scopes {Scopes}")]
    public static partial void TokenIssued(ILogger logger, string oin, string partnerName, string scopes);

    [LoggerMessage(EventId = 1202, EventName = "TokenRequestRefused", Level = LogLevel.Warning,
        Message = "Token request from client {ClientId} refused: {Reason}")]
    public static partial void TokenRequestRefused(ILogger logger, string? clientId, string reason);

    [LoggerMessage(EventId = 1203, EventName = "AccessTokenRefused", Level = LogLevel.Warning,
        Message = "{Method} from {Oin}: access token refused: {Reason}")]
    public static partial void AccessTokenRefused(ILogger logger, string method, string oin, string reason);

    [LoggerMessage(EventId = 1204, EventName = "TokenSigningKeyRotated", Level = LogLevel.Information,
        Message = "Token signing keys rotated: {Count} key(s) in force, signing with {Thumbprint}")]
    public static partial void TokenSigningKeyRotated(ILogger logger, int count, string thumbprint);

    [LoggerMessage(EventId = 2001, EventName = "RequestInvalid", Level = LogLevel.Information,
        Message = "{Method} from {Oin} rejected as invalid: {Violations}")]
    public static partial void RequestInvalid(ILogger logger, string method, string oin, IEnumerable<Core.Validation.FieldViolation> violations);

    [LoggerMessage(EventId = 2002, EventName = "RequestMalformed", Level = LogLevel.Information,
        Message = "{Method} from {Oin} refused: the request is not a well-formed message: {Problem}")]
    public static partial void RequestMalformed(ILogger logger, string method, string oin, string problem);

    [LoggerMessage(EventId = 6001, EventName = "RequestTooLarge", Level = LogLevel.Warning,
        Message = "{Method} from {Oin} refused: a request message of {Size} bytes, over the limit of {Max}")]
    public static partial void RequestTooLarge(ILogger logger, string method, string oin, string size, int max);

    [LoggerMessage(EventId = 6002, EventName = "TooManyConcurrentCalls", Level = LogLevel.Warning,
        Message = "{Method} from {Oin} refused: the partner already has {Limit} calls in progress")]
    public static partial void TooManyConcurrentCalls(ILogger logger, string method, string oin, int limit);

    [LoggerMessage(EventId = 6003, EventName = "CallRateExceeded", Level = LogLevel.Warning,
        Message = "{Method} from {Oin} refused: over the partner's rate of {Calls} calls per {Period}")]
    public static partial void CallRateExceeded(ILogger logger, string method, string oin, int calls, TimeSpan period);

    [LoggerMessage(EventId = 6004, EventName = "RequestMessageLate", Level = LogLevel.Warning,
        Message = "{Method} from {Oin} refused: the request message did not arrive within {Deadline}")]
    public static partial void RequestMessageLate(ILogger logger, string method, string oin, TimeSpan deadline);

    [LoggerMessage(EventId = 4151, EventName = "LogSelfVerified", Level = LogLevel.Information,
        Message = "The hub verified its own disclosure log: OK up to the signed checkpoint of size {CheckpointSize} ({LeavesRead} leaves read)")]
    public static partial void LogSelfVerified(ILogger logger, long checkpointSize, long leavesRead);

    [LoggerMessage(EventId = 4152, EventName = "LogSelfVerificationFailed", Level = LogLevel.Error,
        Message = "The hub's own verification of its disclosure log FAILED: {Finding} at position {Position}: {Detail}")]
    public static partial void LogSelfVerificationFailed(ILogger logger, string finding, long position, string detail);

    [LoggerMessage(EventId = 9001, EventName = "DevPkiWritten", Level = LogLevel.Warning,
        Message = "Development PKI: wrote {Path}. Not for production use.")]
    public static partial void DevPkiWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 9002, EventName = "DatabaseReady", Level = LogLevel.Information,
        Message = "Database {Path} ready at schema version {Version}")]
    public static partial void DatabaseReady(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 9003, EventName = "HubStopping", Level = LogLevel.Information,
        Message = "Hub stopping: finishing calls in flight for up to {Timeout}")]
    public static partial void HubStopping(ILogger logger, TimeSpan timeout);
}
