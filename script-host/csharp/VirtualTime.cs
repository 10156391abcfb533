// Virtual time for tests (ScriptHost clock 'virtual'). A script compiled against this assembly runs
// unchanged, but its Stopwatch and CancellationTokenSource are these: C# resolves a simple type name
// to a type of the global namespace before the namespaces of `using` directives, so `Stopwatch`
// means this class, not System.Diagnostics.Stopwatch. Time then moves only when the host says so:
// each backend answer advances the execution's clock by the answer's latency, and deadlines
// (CancelAfter, the platform's limit) fire at their virtual instant. The script's own computing takes
// no virtual time, so a budget test gives the same answer on a fast machine and on a loaded one.
// A wait on a token (Task.Delay(Timeout.Infinite, token), Task.WhenAny with it) ends when a deadline
// cancels the token, so it runs on this clock too; a finite Task.Delay would not (compile.ts refuses one).
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

[assembly: InternalsVisibleTo("ScriptHostRunner")]

// One execution's clock: milliseconds since the execution started, the deadlines set in it, and the requests
// still on their way after the script stopped waiting for them (a platform whose SendAsync ignores its token).
internal sealed class VirtualClock
{
    private static readonly AsyncLocal<VirtualClock> current = new AsyncLocal<VirtualClock>();
    private readonly object gate = new object();
    private readonly List<KeyValuePair<double, System.Threading.CancellationTokenSource>> deadlines = new List<KeyValuePair<double, System.Threading.CancellationTokenSource>>();
    private readonly List<KeyValuePair<double, TaskCompletionSource<bool>>> sleepers = new List<KeyValuePair<double, TaskCompletionSource<bool>>>();
    private readonly List<Timer> watchdogs = new List<Timer>();
    private readonly int idleMs;
    private double nowMs;
    private bool closed;

    // idleMs: real time after which a request the script may have stopped waiting for plays the rest of its
    // latency (SleepUntilAsync).
    public VirtualClock(int idleMs)
    {
        this.idleMs = idleMs;
    }

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

    // Spends `ms` waiting for something `token` may cancel: deadlines (and requests' ends, SleepUntilAsync) due on
    // the way fire in order; the wait stops at the first one that cancels `token` (the clock stays at that instant).
    // False when cancelled.
    public bool Spend(double ms, CancellationToken token)
    {
        double target;
        lock (gate) target = nowMs + Math.Max(0, ms);
        return AdvanceTo(target, token);
    }

    // A request that goes on after the script's token fired (the platform ignores it): it ends at `dueMs` on this
    // clock. Virtual time cannot see whether the script still waits for it. A script that raced its own deadline
    // has moved on from where the token fired and answers; its answer ends the execution (Close) and the request
    // with it, unplayed. A script that still waits for it moves nothing else, so after idleMs of real time without
    // that answer the clock plays the rest of the latency (firing the deadlines on the way, the platform's limit
    // among them) and the request ends. Another wait that passes `dueMs` ends it in order too.
    public Task SleepUntilAsync(double dueMs)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (closed) return done.Task; // the execution has answered: the request ends with it, never to the script
            if (dueMs <= nowMs)
            {
                done.SetResult(true);
                return done.Task;
            }
            sleepers.Add(new KeyValuePair<double, TaskCompletionSource<bool>>(dueMs, done));
            watchdogs.Add(new Timer(_ => AdvanceTo(dueMs, CancellationToken.None), null, idleMs, Timeout.Infinite));
        }
        return done.Task;
    }

    // The execution has answered (or failed): nothing left on its clock moves or fires.
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            deadlines.Clear();
            sleepers.Clear();
            foreach (Timer timer in watchdogs) timer.Dispose();
            watchdogs.Clear();
        }
    }

    private bool AdvanceTo(double target, CancellationToken token)
    {
        for (;;)
        {
            if (token.IsCancellationRequested) return false;
            System.Threading.CancellationTokenSource due = null;
            TaskCompletionSource<bool> woken = null;
            lock (gate)
            {
                if (closed) return true;
                int deadline = Earliest(deadlines, target);
                int sleeper = Earliest(sleepers, target);
                if (deadline < 0 && sleeper < 0)
                {
                    nowMs = Math.Max(nowMs, target);
                    return true;
                }
                // A deadline before a request's end at the same instant: the script's own time is up first.
                if (deadline >= 0 && (sleeper < 0 || deadlines[deadline].Key <= sleepers[sleeper].Key))
                {
                    nowMs = Math.Max(nowMs, deadlines[deadline].Key);
                    due = deadlines[deadline].Value;
                    deadlines.RemoveAt(deadline);
                }
                else
                {
                    nowMs = Math.Max(nowMs, sleepers[sleeper].Key);
                    woken = sleepers[sleeper].Value;
                    sleepers.RemoveAt(sleeper);
                }
            }
            if (due != null) Cancel(due);
            if (woken != null) woken.TrySetResult(true);
        }
    }

    private static int Earliest<T>(List<KeyValuePair<double, T>> events, double target)
    {
        int next = -1;
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Key <= target && (next < 0 || events[i].Key < events[next].Key)) next = i;
        }
        return next;
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
