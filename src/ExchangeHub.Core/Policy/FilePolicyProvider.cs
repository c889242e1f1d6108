// This file is part of ExchangeHub.

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExchangeHub.Core.Policy;

/// <summary>
/// The policy from a file, reloaded without restart. Construction fails on an invalid file, so the hub does not
/// start without a valid policy. A later version replaces the running one only when it is valid and really
/// is a new version (a changed file under an unchanged version is refused, since decisions record the
/// version); otherwise the running policy stays in force and the refusal is logged.
/// </summary>
public sealed partial class FilePolicyProvider : IDisclosurePolicy, IDisposable
{
    private readonly string _path;
    private readonly ICaseConsultationDirectory _caseConsultations;
    private readonly ILogger<FilePolicyProvider> _logger;
    private readonly ITimer? _timer;
    private readonly Lock _reloadGate = new();
    private volatile CompiledPolicy _current;
    private (DateTime Written, long Length) _stamp;

    /// <summary>Loads the policy file; throws <see cref="PolicyValidationException"/> when it is invalid.</summary>
    public FilePolicyProvider(IOptions<PolicyOptions> options, ICaseConsultationDirectory caseConsultations, TimeProvider time, ILogger<FilePolicyProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _path = options.Value.Path ?? throw new InvalidOperationException($"EH9121: {PolicyOptions.SectionName}:Path is required: the hub discloses nothing without a policy.");
        _caseConsultations = caseConsultations;
        _logger = logger;
        _stamp = Stamp();
        _current = PolicyLoader.Load(_path);
        LogLoaded(_logger, _current.Id, _current.Version, _current.Rules.Count, _path);
        var interval = options.Value.ReloadInterval;
        if (interval > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(_ => ReloadIfChanged(), null, interval, interval);
        }
    }

    /// <inheritdoc />
    public CompiledPolicy Current => _current;

    /// <inheritdoc />
    public Decision Decide(DisclosureRequest request) => _current.Decide(request, _caseConsultations);

    /// <summary>Reloads when the file changed since the last look. Returns the problems when the new file was refused.</summary>
    public IReadOnlyList<PolicyProblem> ReloadIfChanged()
    {
        lock (_reloadGate)
        {
            var stamp = Stamp();
            if (stamp == _stamp)
            {
                return [];
            }

            _stamp = stamp;
            byte[] content;
            try
            {
                content = File.ReadAllBytes(_path);
            }
            catch (IOException ex)
            {
                LogReloadRefused(_logger, _path, _current.Version, ex.Message);
                return [new PolicyProblem(Path.GetFileName(_path), 0, "policy", ex.Message)];
            }

            var (next, problems) = PolicyLoader.Check(content, Path.GetFileName(_path));
            if (next is null)
            {
                LogReloadRefused(_logger, _path, _current.Version, string.Join(Environment.NewLine, problems));
                return problems;
            }

            if (next.ContentSha256 == _current.ContentSha256)
            {
                return [];
            }

            if (next.Id == _current.Id && next.Version == _current.Version)
            {
                var problem = new PolicyProblem(Path.GetFileName(_path), 0, "policy.version", $"the file changed but its version is still {next.Version}; give every changed policy a new version, since decisions record it");
                LogReloadRefused(_logger, _path, _current.Version, problem.ToString());
                return [problem];
            }

            var previous = _current;
            _current = next;
            LogReloaded(_logger, previous.Version, next.Id, next.Version, next.Rules.Count);
            return [];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private (DateTime, long) Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [LoggerMessage(EventId = 3101, EventName = "PolicyLoaded", Level = LogLevel.Information, Message = "Policy {PolicyId} version {Version} in force: {RuleCount} rules from {Path}")]
    private static partial void LogLoaded(ILogger logger, string policyId, string version, int ruleCount, string path);

    [LoggerMessage(EventId = 3102, EventName = "PolicyReloaded", Level = LogLevel.Warning, Message = "Policy replaced: version {OldVersion} by {PolicyId} version {Version} ({RuleCount} rules)")]
    private static partial void LogReloaded(ILogger logger, string oldVersion, string policyId, string version, int ruleCount);

    [LoggerMessage(EventId = 3103, EventName = "PolicyReloadRefused", Level = LogLevel.Error, Message = "New policy file {Path} refused; version {Version} stays in force: {Problems}")]
    private static partial void LogReloadRefused(ILogger logger, string path, string version, string problems);
}
