// This file is part of ExchangeHub.

namespace ExchangeHub.Tests.Support;

/// <summary>What tests need to run a program of the solution as a separate process (to kill it with SIGKILL).</summary>
public static class ChildProcesses
{
    /// <summary>The dotnet host running this test (the SDK names it in DOTNET_HOST_PATH), so the child runs on the same runtime.</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>
    /// The built assembly of a project of the solution, in the configuration and target framework this test was
    /// built in (<c>&lt;project&gt;/bin/&lt;configuration&gt;/&lt;tfm&gt;/</c>); the test project builds it through a project reference.
    /// </summary>
    public static string BuiltAssembly(string projectDirectory, string assemblyFileName)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryPaths.Root, projectDirectory, "bin", output.Parent!.Name, output.Name, assemblyFileName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyFileName} is not built at {path}; build ExchangeHub.sln (or this test project) first", path);
    }
}
