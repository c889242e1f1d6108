// This file is part of ExchangeHub.

namespace ExchangeHub.Core.Storage;

/// <summary>Where the hub keeps its data, from configuration section <c>ExchangeHub:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section this binds to.</summary>
    public const string SectionName = "ExchangeHub:Storage";

    /// <summary>
    /// The directory for the embedded SQLite database and other local state. Required; created on first start.
    /// Relative paths are relative to the hub's content root.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The SQLite database file name inside <see cref="DataDirectory"/>. Defaults to <c>hub.db</c>.</summary>
    public string DatabaseFileName { get; set; } = "hub.db";

    /// <summary>The full path of the SQLite database file.</summary>
    public string DatabasePath => Path.Combine(DataDirectory ?? throw new InvalidOperationException("EH9301: ExchangeHub:Storage:DataDirectory is not configured."), DatabaseFileName);
}
