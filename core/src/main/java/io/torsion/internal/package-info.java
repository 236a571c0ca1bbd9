/**
 * The runtime: the one implementation of {@link io.torsion.Reactor} behind every transport. Not
 * API: the module does not export it, an architecture test keeps every other module out, and it may
 * change in any release.
 *
 * <p>Its parts, each with one job, and the thread that owns its state:
 *
 * <ul>
 *   <li>{@code TransportSelector}: which provider {@code Reactor.create()} uses, and why.
 *   <li>{@code DefaultReactor}: the life cycle (run, stop, triggers, shutdown within its timeout),
 *       thread ownership, listening and connecting, name resolution off the loop. Its state flag is
 *       volatile and changes under a lock; ports and the live count are safe from any thread.
 *   <li>{@code Loop}: one event-loop thread over the transport's poller: its timers, its
 *       connections (a list threaded through them), the buffer being lent; owned by its thread.
 *   <li>{@code Connection}: the {@link io.torsion.Transport} a protocol sees and the state machine
 *       over one socket (connecting, open, closing, closed; only forward): pausing, producers,
 *       reads that follow writes, the write buffer limit, contained callbacks. Its loop's thread.
 *   <li>{@code Port}: a listening port; the main loop's thread.
 *   <li>{@code OutputBudget} and {@code ReactorCounters}: what all connections may queue, and the
 *       statistics; atomic, any thread.
 *   <li>{@code WorkerPool}, {@code SystemTriggers}, {@code FactoryUsers}, {@code ChildProcesses}
 *       with {@code ProcessDriver}, {@code StopOnSignal}, {@code Contained}: the blocking-work pool
 *       (any thread, locked), shutdown triggers and factory counts (the main loop's), child
 *       processes, signals, and containing what user code throws.
 * </ul>
 */
package io.torsion.internal;
