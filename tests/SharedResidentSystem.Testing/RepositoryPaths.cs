namespace SharedResidentSystem.Testing;

/// <summary>Finds files of this repository from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharedResidentSystem.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("SharedResidentSystem.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string TenantsDirectory => Path.Combine(Root, "config", "tenants");

    /// <summary>The prefix of each test process's own temporary folder (followed by its process id).</summary>
    public const string RunDirectoryPrefix = "srs-tests-";

    private static readonly Lazy<string> RunPath = new(() =>
    {
        SweepEarlierRuns();
        var path = Path.Combine(Path.GetTempPath(), RunDirectoryPrefix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        return path;
    });

    /// <summary>
    /// This test process's temporary folder: everything a test makes on disk goes under it. Each
    /// fixture removes what it made; what a killed run left behind is removed by the next run
    /// (and by ./test.sh at its end).
    /// </summary>
    public static string RunDirectory => RunPath.Value;

    /// <summary>A fresh empty folder under this run's temporary folder.</summary>
    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(RunDirectory, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a folder a test made, if it is still there (best effort: a folder in use stays for the sweep).</summary>
    public static void Remove(string? path)
    {
        if (path is null || !Directory.Exists(path))
        {
            return;
        }
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next sweep.
        }
    }

    /// <summary>
    /// The folders of test processes that no longer run: a PostgreSQL cluster still running in
    /// one is stopped (its postmaster signalled), then the folder goes.
    /// </summary>
    private static void SweepEarlierRuns()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), RunDirectoryPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(dir)[RunDirectoryPrefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId || IsRunning(pid))
            {
                continue;
            }
            foreach (var postmaster in Directory.EnumerateFiles(dir, "postmaster.pid", SearchOption.AllDirectories))
            {
                if (int.TryParse(File.ReadLines(postmaster).FirstOrDefault(), out var server) && IsRunning(server))
                {
                    // SIGQUIT: PostgreSQL's immediate shutdown, which ends its backends too.
                    using var kill = System.Diagnostics.Process.Start("kill", ["-QUIT", server.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    kill?.WaitForExit();
                    for (var i = 0; i < 50 && IsRunning(server); i++)
                    {
                        Thread.Sleep(100);
                    }
                }
            }
            Remove(dir);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
