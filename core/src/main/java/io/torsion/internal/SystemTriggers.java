package io.torsion.internal;

import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Reactor;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The system event triggers of a reactor, by event and phase (Twisted's {@code
 * addSystemEventTrigger}). Threads: the main loop's only.
 */
final class SystemTriggers {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private final Map<SystemEvent, Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>>>
      triggers = new EnumMap<>(SystemEvent.class);

  void add(TriggerPhase phase, SystemEvent event, Supplier<? extends Deferred<?>> trigger) {
    triggers
        .computeIfAbsent(event, e -> new EnumMap<>(TriggerPhase.class))
        .computeIfAbsent(phase, p -> new ArrayList<>())
        .add(trigger);
  }

  /**
   * Calls the triggers of {@code event} and {@code phase} (a copy of the list: triggers may add
   * triggers); returns the Deferreds they returned, logging the failures those end with.
   */
  List<Deferred<?>> call(SystemEvent event, TriggerPhase phase) {
    Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>> byPhase = triggers.get(event);
    List<Supplier<? extends Deferred<?>>> list = byPhase == null ? null : byPhase.get(phase);
    List<Deferred<?>> pending = new ArrayList<>();
    for (Supplier<? extends Deferred<?>> trigger :
        list == null ? List.<Supplier<? extends Deferred<?>>>of() : new ArrayList<>(list)) {
      Deferred<?> result;
      try {
        result = trigger.get();
      } catch (Throwable error) {
        Failure.rethrowIfFatal(error);
        LOG.log(Level.WARNING, phase + " " + event + " trigger threw; going on", error);
        continue;
      }
      if (result != null) {
        pending.add(result);
      }
    }
    return pending;
  }
}
