package io.torsion.spi;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes SIGINT and SIGTERM stop a running reactor, as Twisted's reactor does, and puts the JVM's
 * own handlers back afterwards. A second signal while stopping goes to the JVM's handler (so a
 * second Ctrl-C still ends a stuck process). Uses {@code sun.misc.Signal} by reflection: it is the
 * only way the JDK offers, and where it is missing, the reactor runs without handlers and says so.
 */
final class StopOnSignal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(io.torsion.Reactor.class.getName());
  private static final String[] SIGNALS = {"INT", "TERM"};
  private static final Object LOCK = new Object();
  private static boolean installed; // one reactor at a time owns the signals

  private final List<Object[]> previous = new ArrayList<>(); // {signal, handler}
  private volatile boolean signalled;

  private StopOnSignal() {}

  /**
   * Installs handlers that run {@code stop} on SIGINT and SIGTERM; returns null when another
   * reactor holds them already or the JDK offers no signal API.
   */
  static StopOnSignal install(Runnable stop) {
    synchronized (LOCK) {
      if (installed) {
        return null;
      }
      StopOnSignal trap = new StopOnSignal();
      try {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Method handle = signalType.getMethod("handle", signalType, handlerType);
        for (String name : SIGNALS) {
          Object signal = signalType.getConstructor(String.class).newInstance(name);
          Object[] slot = {signal, null};
          InvocationHandler onSignal = (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              trap.received(name, stop, slot, handle);
              return null;
            }
            if (method.getName().equals("toString")) {
              return "torsion reactor stop on SIG" + name;
            }
            return method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
          };
          Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
          slot[1] = handle.invoke(null, signal, handler);
          trap.previous.add(slot);
        }
      } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException | SecurityException e) {
        LOG.log(Level.DEBUG, "no signal handlers installed: {0}", e.toString());
        trap.close();
        return null;
      }
      installed = true;
      return trap;
    }
  }

  private void received(String name, Runnable stop, Object[] slot, Method handle) {
    if (!signalled) {
      signalled = true;
      LOG.log(Level.INFO, "SIG{0}: stopping the reactor (a second signal ends the process at once)", name);
      stop.run();
      return;
    }
    try {
      Object original = slot[1];
      Method call = original.getClass().getMethod("handle", slot[0].getClass());
      call.setAccessible(true);
      call.invoke(original, slot[0]);
    } catch (ReflectiveOperationException | RuntimeException e) {
      Runtime.getRuntime().halt(128 + (name.equals("INT") ? 2 : 15));
    }
  }

  /** Returns true if a signal asked the reactor to stop. */
  boolean signalled() {
    return signalled;
  }

  /** Puts the previous handlers back. */
  @Override
  public void close() {
    synchronized (LOCK) {
      try {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
        Method handle = signalType.getMethod("handle", signalType, handlerType);
        for (Object[] slot : previous) {
          if (slot[1] != null) {
            handle.invoke(null, slot[0], slot[1]);
          }
        }
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.log(Level.DEBUG, "could not restore signal handlers: {0}", e.toString());
      }
      previous.clear();
      installed = false;
    }
  }
}
