package io.torsion;

/**
 * A lock for asynchronous code: Twisted's {@code DeferredLock}, a {@link DeferredSemaphore} with
 * one token. {@link #run} holds it for the whole of an asynchronous task.
 *
 * <pre>{@code
 * DeferredLock lock = new DeferredLock();
 * lock.run(() -> readModifyWrite(key));   // never two at once, even across callbacks
 * }</pre>
 *
 * <p>Called on the reactor thread.
 */
public final class DeferredLock extends DeferredSemaphore {
  /** Creates an unlocked lock. */
  public DeferredLock() {
    super(1);
  }

  /** Returns true while someone holds the lock. */
  public boolean locked() {
    return tokens() == 0;
  }
}
