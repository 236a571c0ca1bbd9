package io.torsion;

import java.util.List;

/**
 * Every Deferred of a group failed ({@link DeferredList#race}, {@link DeferredList#firstSuccess}):
 * the failures, in the order of the group (Twisted's {@code FailureGroup}). Each is also attached
 * as a suppressed exception, so a stack trace shows them all.
 */
public final class FailureGroup extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<Failure> failures;

  /** Creates the group of {@code failures}. */
  public FailureGroup(List<Failure> failures) {
    super(
        failures.size()
            + " of "
            + failures.size()
            + " Deferreds failed"
            + (failures.isEmpty() ? "" : "; the first: " + failures.get(0).message()));
    this.failures = List.copyOf(failures);
    for (Failure failure : this.failures) {
      addSuppressed(failure.value());
    }
  }

  /** Returns the failures, in the order of the group's Deferreds. */
  public List<Failure> failures() {
    return failures;
  }
}
