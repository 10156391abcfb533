// Virtual time for tests (ScriptHost clock 'virtual'). A script compiled against this assembly runs
// unchanged, but its Stopwatch and CancellationTokenSource are these: C# resolves a simple type name
// to a type of the global namespace before the namespaces of `using` directives, so `Stopwatch`
// means this class, not System.Diagnostics.Stopwatch. Time then moves only when the host says so:
// each backend answer advances the execution's clock by the answer's latency, and deadlines
// (CancelAfter, the platform's limit) fire at their virtual instant. The script's own computing takes
// no virtual time, so a budget test gives the same answer on a fast machine and on a loaded one.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

[assembly: InternalsVisibleTo("ScriptHostRunner")]

// One execution's clock: milliseconds since the execution started, and the deadlines set in it.
internal sealed class VirtualClock
{
    private static readonly AsyncLocal<VirtualClock> current = new AsyncLocal<VirtualClock>();
    private readonly object gate = new object();
    private readonly List<KeyValuePair<double, System.Threading.CancellationTokenSource>> deadlines = new List<KeyValuePair<double, System.Threading.CancellationTokenSource>>();
    private double nowMs;

    // The clock of the execution the calling code belongs to (flows with async calls).
    public static VirtualClock Current
    {
        get
        {
            VirtualClock clock = current.Value;
            if (clock == null) throw new InvalidOperationException("virtual time is used outside an execution of the script host");
            return clock;
        }
    }

    public static void Enter(VirtualClock clock)
    {
        current.Value = clock;
    }

    public double NowMs
    {
        get { lock (gate) return nowMs; }
    }

    // Cancels `source` when the clock reaches `dueMs` (at once when it is already there).
    public void CancelAt(double dueMs, System.Threading.CancellationTokenSource source)
    {
        lock (gate)
        {
            if (dueMs > nowMs)
            {
                deadlines.Add(new KeyValuePair<double, System.Threading.CancellationTokenSource>(dueMs, source));
                return;
            }
        }
        Cancel(source);
    }

    // Spends `ms` waiting for something `token` may cancel: deadlines due on the way fire in order; the wait
    // stops at the first one that cancels `token` (the clock stays at that instant). False when cancelled.
    public bool Spend(double ms, CancellationToken token)
    {
        double target;
        lock (gate) target = nowMs + Math.Max(0, ms);
        for (;;)
        {
            if (token.IsCancellationRequested) return false;
            System.Threading.CancellationTokenSource due = null;
            lock (gate)
            {
                int next = -1;
                for (int i = 0; i < deadlines.Count; i++)
                {
                    if (deadlines[i].Key <= target && (next < 0 || deadlines[i].Key < deadlines[next].Key)) next = i;
                }
                if (next < 0)
                {
                    nowMs = target;
                    return true;
                }
                nowMs = Math.Max(nowMs, deadlines[next].Key);
                due = deadlines[next].Value;
                deadlines.RemoveAt(next);
            }
            Cancel(due);
        }
    }

    private static void Cancel(System.Threading.CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Its scope ended before the deadline: nothing left to cancel.
        }
    }
}

// System.Diagnostics.Stopwatch as script.csx uses it, reading the execution's virtual clock.
public sealed class Stopwatch
{
    private readonly VirtualClock clock;
    private double startedMs;
    private double stoppedMs = -1;

    private Stopwatch(VirtualClock clock)
    {
        this.clock = clock;
        startedMs = clock.NowMs;
    }

    public static Stopwatch StartNew()
    {
        return new Stopwatch(VirtualClock.Current);
    }

    public bool IsRunning { get { return stoppedMs < 0; } }

    public TimeSpan Elapsed { get { return TimeSpan.FromMilliseconds((IsRunning ? clock.NowMs : stoppedMs) - startedMs); } }

    public long ElapsedMilliseconds { get { return (long)Elapsed.TotalMilliseconds; } }

    public void Stop()
    {
        if (IsRunning) stoppedMs = clock.NowMs;
    }

    public void Restart()
    {
        startedMs = clock.NowMs;
        stoppedMs = -1;
    }
}

// System.Threading.CancellationTokenSource as script.csx uses it: CancelAfter counts in virtual time.
public sealed class CancellationTokenSource : IDisposable
{
    private readonly System.Threading.CancellationTokenSource inner;

    public CancellationTokenSource()
        : this(new System.Threading.CancellationTokenSource())
    {
    }

    private CancellationTokenSource(System.Threading.CancellationTokenSource inner)
    {
        this.inner = inner;
    }

    public static CancellationTokenSource CreateLinkedTokenSource(params CancellationToken[] tokens)
    {
        return new CancellationTokenSource(System.Threading.CancellationTokenSource.CreateLinkedTokenSource(tokens));
    }

    public CancellationToken Token { get { return inner.Token; } }

    public bool IsCancellationRequested { get { return inner.IsCancellationRequested; } }

    public void Cancel()
    {
        inner.Cancel();
    }

    public void CancelAfter(TimeSpan delay)
    {
        VirtualClock clock = VirtualClock.Current;
        clock.CancelAt(clock.NowMs + delay.TotalMilliseconds, inner);
    }

    public void CancelAfter(int millisecondsDelay)
    {
        CancelAfter(TimeSpan.FromMilliseconds(millisecondsDelay));
    }

    public void Dispose()
    {
        inner.Dispose();
    }
}
