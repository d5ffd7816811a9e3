using System.Runtime.InteropServices;

namespace SharedResidentSystem.Server.Common;

/// <summary>
/// Heavy work the counter must not feel (EUC's questions and files, 10.1#11): run on a thread of
/// its own at the lowest CPU priority — on Linux the thread's nice value 19, so that under load the
/// scheduler gives the counter's threads the cores first; elsewhere the lowest thread priority.
/// The thread ends with the work (a thread's nice value cannot be raised again without privilege,
/// so no pooled thread is ever lowered).
/// </summary>
public static class LowPriority
{
    private const int PrioProcess = 0;
    private const int Lowest = 19;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Lower();
            try
            {
                done.SetResult(work());
            }
            catch (Exception failure)
            {
                done.SetException(failure);
            }
        })
        { IsBackground = true, Name = "low-priority work" };
        thread.Start();
        return done.Task;
    }

    public static Task RunAsync(Action work) => RunAsync(() =>
    {
        work();
        return true;
    });

    private static void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            // On Linux a thread is a task of its own: PRIO_PROCESS with its id sets its nice value only.
            _ = SetPriority(PrioProcess, GetThreadId(), Lowest);
        }
        else
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
        }
    }

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
