package io.torsion;

/**
 * When a system-event trigger runs relative to the event's own work. For {@link
 * SystemEvent#SHUTDOWN}: {@code BEFORE} triggers run while everything still works (and the shutdown
 * waits for the Deferreds they return), {@code DURING} triggers run as ports and connections close,
 * {@code AFTER} triggers run last.
 */
public enum TriggerPhase {
  /** Before the event's work; returned Deferreds are awaited, within the shutdown timeout. */
  BEFORE,
  /** Alongside the event's work; returned Deferreds are awaited, within the shutdown timeout. */
  DURING,
  /** After the event's work. */
  AFTER
}
