// This file is part of ExchangeHub.

namespace ExchangeHub.Tests.Support;

/// <summary>Finds files of the repository (and ../shared beside it) from a test's output directory.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the directory that holds ExchangeHub.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped default disclosure policy.</summary>
    public static string DefaultPolicy => Path.Combine(Root, "src", "ExchangeHub.Server", "policy", "default-policy.yaml");

    /// <summary>The shared folder beside the repository (domain brief, test vectors), read in place.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExchangeHub.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ExchangeHub.sln above {AppContext.BaseDirectory}.");
    }
}
