package io.torsion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Waits for several {@link Deferred}s: Twisted's {@code DeferredList} and {@code gatherResults}.
 *
 * <pre>{@code
 * Deferred<List<String>> all = DeferredList.gatherResults(List.of(fetch("a"), fetch("b")));
 * Deferred<List<DeferredList.Outcome<String>>> each =
 *     DeferredList.of(List.of(fetch("a"), fetch("b")), DeferredList.Flag.CONSUME_ERRORS);
 * }</pre>
 *
 * <p>Called on the thread that owns the Deferreds. Without {@link Flag#CONSUME_ERRORS} a failure
 * continues down its own Deferred's chain (and is logged there if nothing handles it); with it, the
 * list takes the failure over.
 */
public final class DeferredList {
  private DeferredList() {}

  /** How a list behaves. */
  public enum Flag {
    /**
     * Fail at the first failure, with {@link FirstError}, instead of waiting for all (Twisted's
     * {@code fireOnOneErrback}; for {@code fireOnOneCallback} see {@link #firstSuccess}).
     */
    FIRE_ON_ONE_ERRBACK,
    /** Take every failure over, so that none is left unhandled on its own Deferred. */
    CONSUME_ERRORS
  }

  /**
   * The outcome of one Deferred in a list.
   *
   * @param success whether it succeeded
   * @param value its value when it succeeded, else null
   * @param failure its failure when it failed, else null
   */
  public record Outcome<T>(boolean success, T value, Failure failure) {}

  /** A list failed at its first failure ({@link Flag#FIRE_ON_ONE_ERRBACK}). */
  public static final class FirstError extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;
    private final int index;

    FirstError(Failure failure, int index) {
      super("Deferred " + index + " of the list failed: " + failure.message(), failure.value());
      this.failure = failure;
      this.index = index;
    }

    /** Returns the failure of the Deferred that failed first. */
    public Failure failure() {
      return failure;
    }

    /** Returns its position in the list. */
    public int index() {
      return index;
    }
  }

  /**
   * A value and the position in its list of the Deferred that gave it.
   *
   * @param index the Deferred's position
   * @param value its value
   */
  public record Indexed<T>(int index, T value) {}

  /**
   * Returns a Deferred that fires with the first success and its index (Twisted's {@code
   * DeferredList(ds, fireOnOneCallback=True)}), leaving the others alone. With {@link
   * Flag#FIRE_ON_ONE_ERRBACK} a failure that comes first fails it with {@link FirstError}; without,
   * it fails with a {@link FailureGroup} once every Deferred failed (where Twisted fires with the
   * list of results: the value type here is the members'). {@link Flag#CONSUME_ERRORS} takes the
   * members' failures over. An empty list never fires, as in Twisted. Cancelling it cancels every
   * member.
   */
  public static <T> Deferred<Indexed<T>> firstSuccess(
      List<? extends Deferred<T>> deferreds, Flag... flags) {
    Objects.requireNonNull(deferreds, "deferreds");
    EnumSet<Flag> mode =
        flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
    return first(deferreds, false, mode);
  }

  /**
   * Returns a Deferred that fires with the first success and its index, cancelling the others
   * (Twisted's {@code race}); if every one fails, it fails with a {@link FailureGroup} of their
   * failures in order. The members' failures are taken over (the losers' {@link CancelledError}s
   * are expected). An empty list never fires, as in Twisted. Cancelling it cancels every member.
   */
  public static <T> Deferred<Indexed<T>> race(List<? extends Deferred<T>> deferreds) {
    Objects.requireNonNull(deferreds, "deferreds");
    return first(deferreds, true, EnumSet.of(Flag.CONSUME_ERRORS));
  }

  private static <T> Deferred<Indexed<T>> first(
      List<? extends Deferred<T>> deferreds, boolean cancelLosers, EnumSet<Flag> mode) {
    List<Deferred<T>> members = List.copyOf(deferreds);
    Deferred<Indexed<T>> winner =
        new Deferred<>(
            self -> {
              for (Deferred<T> d : members) {
                d.cancel();
              }
            });
    List<Failure> failures = new ArrayList<>(Collections.nCopies(members.size(), null));
    int[] failed = {0};
    for (int i = 0; i < members.size(); i++) {
      int index = i;
      members
          .get(i)
          .addCallbacks(
              value -> {
                if (!winner.called()) {
                  if (cancelLosers) {
                    for (int j = 0; j < members.size(); j++) {
                      if (j != index) {
                        members.get(j).cancel();
                      }
                    }
                  }
                  if (!winner.called()) {
                    winner.callback(new Indexed<>(index, value));
                  }
                }
                return value;
              },
              failure -> {
                failures.set(index, failure);
                failed[0]++;
                if (!winner.called()) {
                  if (mode.contains(Flag.FIRE_ON_ONE_ERRBACK)) {
                    winner.errback(new FirstError(failure, index));
                  } else if (failed[0] == members.size()) {
                    winner.errback(new FailureGroup(failures));
                  }
                }
                return mode.contains(Flag.CONSUME_ERRORS) ? null : failure;
              });
    }
    return winner;
  }

  /**
   * Returns a Deferred that fires with every outcome, in the order of {@code deferreds}, once all
   * have fired (or fails with {@link FirstError} at the first failure, with that flag). An empty
   * list fires at once.
   */
  public static <T> Deferred<List<Outcome<T>>> of(
      List<? extends Deferred<T>> deferreds, Flag... flags) {
    Objects.requireNonNull(deferreds, "deferreds");
    EnumSet<Flag> mode =
        flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
    Deferred<List<Outcome<T>>> all =
        new Deferred<>(
            self -> {
              for (Deferred<T> d : deferreds) {
                d.cancel();
              }
            });
    List<Outcome<T>> outcomes = new ArrayList<>(Collections.nCopies(deferreds.size(), null));
    int[] remaining = {deferreds.size()};
    if (deferreds.isEmpty()) {
      all.callback(List.of());
      return all;
    }
    for (int i = 0; i < deferreds.size(); i++) {
      int index = i;
      deferreds
          .get(i)
          .addCallbacks(
              value -> {
                outcomes.set(index, new Outcome<>(true, value, null));
                if (--remaining[0] == 0 && !all.called()) {
                  all.callback(Collections.unmodifiableList(outcomes));
                }
                return value;
              },
              failure -> {
                outcomes.set(index, new Outcome<>(false, null, failure));
                remaining[0]--;
                if (!all.called()) {
                  if (mode.contains(Flag.FIRE_ON_ONE_ERRBACK)) {
                    all.errback(new FirstError(failure, index));
                  } else if (remaining[0] == 0) {
                    all.callback(Collections.unmodifiableList(outcomes));
                  }
                }
                return mode.contains(Flag.CONSUME_ERRORS) ? null : failure;
              });
    }
    return all;
  }

  /**
   * Returns a Deferred that fires with every value, in order, or fails with {@link FirstError} at
   * the first failure (whose Deferreds' failures it consumes). Twisted's {@code gatherResults}.
   */
  public static <T> Deferred<List<T>> gatherResults(List<? extends Deferred<T>> deferreds) {
    return of(deferreds, Flag.FIRE_ON_ONE_ERRBACK, Flag.CONSUME_ERRORS)
        .addCallback(
            outcomes -> {
              List<T> values = new ArrayList<>(outcomes.size());
              for (Outcome<T> outcome : outcomes) {
                values.add(outcome.value());
              }
              return values;
            });
  }
}
