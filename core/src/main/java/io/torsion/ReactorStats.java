package io.torsion;

/**
 * A snapshot of what a {@link Reactor} is holding and has done since it was created: the source for
 * metrics and for telling a hostile peer from a busy one. Taken by {@link Reactor#stats()}; safe to
 * take from any thread.
 *
 * @param openConnections connections open now, accepted and connected
 * @param bytesRead bytes read from every connection
 * @param bytesWritten bytes protocols wrote to every connection
 * @param pausedForBackpressure times a connection stopped reading because its output was backed up
 *     past the high watermark (reads follow writes)
 * @param outputQueued output queued now over all connections, as charged against the budget (an
 *     upper bound)
 * @param outputBudget {@link ReactorOptions#outputBudget()}
 * @param abortedOverBudget connections aborted because the output budget was spent
 * @param allocationFailures connections aborted because memory for their data could not be had
 * @param queuedWork blocking work ({@code deferToThread}, {@code callInThread}) waiting for a pool
 *     thread now: a pool saturated by slow or abandoned work shows here (0 with a {@link
 *     ReactorOptions#workerExecutor()} of yours)
 * @param busyWorkers pool threads running work now
 * @param connectionsOpened connections opened since the reactor was created, accepted and connected
 * @param acceptErrors accepts that failed on a listening socket (above all EMFILE: out of file
 *     descriptors)
 * @param acceptBackoffs times a listening socket paused accepting after a failure, to retry with
 *     back-off instead of spinning
 */
public record ReactorStats(
    long openConnections,
    long bytesRead,
    long bytesWritten,
    long pausedForBackpressure,
    long outputQueued,
    long outputBudget,
    long abortedOverBudget,
    long allocationFailures,
    long queuedWork,
    long busyWorkers,
    long connectionsOpened,
    long acceptErrors,
    long acceptBackoffs) {}
