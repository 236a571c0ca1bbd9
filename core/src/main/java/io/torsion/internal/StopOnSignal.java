package io.torsion.internal;

import io.torsion.Reactor;
import java.lang.System.Logger.Level;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes SIGINT and SIGTERM stop a running reactor, as Twisted's reactor does, and puts the JVM's
 * own handlers back afterwards. A second signal while stopping goes to the JVM's handler (so a
 * second Ctrl-C still ends a stuck process). Uses {@code sun.misc.Signal} by reflection: it is the
 * only way the JDK offers, and where it is missing, the reactor runs without handlers and says so
 * at DEBUG.
 */
final class StopOnSignal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());
  private static final String[] SIGNALS = {"INT", "TERM"};
  private static final Object LOCK = new Object();
  private static boolean installed; // one reactor at a time owns the signals

  /** {@code sun.misc.Signal}'s API, looked up once; null where the JDK lacks it. */
  private record SignalApi(
      Constructor<?> signal, Class<?> handlerType, Method install, Method forward) {
    static final SignalApi INSTANCE = find();

    private static SignalApi find() {
      try {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        return new SignalApi(
            signalType.getConstructor(String.class),
            handlerType,
            signalType.getMethod("handle", signalType, handlerType),
            handlerType.getMethod("handle", signalType));
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.log(Level.DEBUG, "no signal API, so no signal handlers: {0}", e.toString());
        return null;
      }
    }
  }

  /** A signal this trap handles, and the handler it replaced. */
  private record Taken(Object signal, Object previous) {}

  private final List<Taken> taken = new ArrayList<>();
  private volatile boolean signalled;

  private StopOnSignal() {}

  /**
   * Installs handlers that run {@code stop} on SIGINT and SIGTERM; returns null when another
   * reactor holds them already or the JDK offers no signal API.
   */
  static StopOnSignal install(Runnable stop) {
    SignalApi api = SignalApi.INSTANCE;
    if (api == null) {
      return null;
    }
    synchronized (LOCK) {
      if (installed) {
        return null;
      }
      StopOnSignal trap = new StopOnSignal();
      try {
        for (String name : SIGNALS) {
          Object signal = api.signal().newInstance(name);
          Taken[] slot = new Taken[1];
          Object handler =
              Proxy.newProxyInstance(
                  api.handlerType().getClassLoader(),
                  new Class<?>[] {api.handlerType()},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "handle" -> {
                          trap.received(name, stop, slot[0]);
                          yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "torsion reactor stop on SIG" + name;
                      });
          slot[0] = new Taken(signal, api.install().invoke(null, signal, handler));
          trap.taken.add(slot[0]);
        }
      } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
        // e.g. a signal the JVM reserves for itself (-Xrs), or one ignored since start-up
        LOG.log(Level.DEBUG, "no signal handlers installed: {0}", e.toString());
        trap.restore(api);
        return null;
      }
      installed = true;
      return trap;
    }
  }

  private void received(String name, Runnable stop, Taken slot) {
    if (!signalled) {
      signalled = true;
      LOG.log(
          Level.INFO,
          "SIG{0}: stopping the reactor (a second signal ends the process at once)",
          name);
      stop.run();
      return;
    }
    try {
      SignalApi.INSTANCE.forward().invoke(slot.previous(), slot.signal()); // the JVM's own: exit
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      Runtime.getRuntime().halt(128 + (name.equals("INT") ? 2 : 15));
    }
  }

  /** Puts the previous handlers back. */
  @Override
  public void close() {
    synchronized (LOCK) {
      restore(SignalApi.INSTANCE);
      installed = false;
    }
  }

  private void restore(SignalApi api) {
    for (Taken slot : taken) {
      if (slot.previous() != null) {
        try {
          api.install().invoke(null, slot.signal(), slot.previous());
        } catch (ReflectiveOperationException | RuntimeException e) {
          LOG.log(
              Level.DEBUG,
              "could not restore the handler of {0}: {1}",
              slot.signal(),
              e.toString());
        }
      }
    }
    taken.clear();
  }
}
