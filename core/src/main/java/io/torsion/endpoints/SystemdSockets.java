package io.torsion.endpoints;

import io.torsion.CannotListenError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The sockets systemd passed this process (socket activation, {@code sd_listen_fds(3)}): {@code
 * LISTEN_FDS} descriptors from fd 3 on, meant for this process if {@code LISTEN_PID} is its pid,
 * named by {@code LISTEN_FDNAMES} (colon-separated) when the unit names them.
 */
final class SystemdSockets {
  static final int FIRST = 3;

  private SystemdSockets() {}

  /** Returns the descriptor at {@code index}, or the one called {@code name}. */
  static int descriptor(Map<String, String> env, long pid, Integer index, String name)
      throws CannotListenError {
    String listenPid = env.get("LISTEN_PID");
    if (listenPid == null || !listenPid.strip().equals(Long.toString(pid))) {
      throw new CannotListenError(
          "no socket from systemd: "
              + (listenPid == null
                  ? "LISTEN_PID is not set (not started by socket activation)"
                  : "LISTEN_PID is " + listenPid + ", not this process (" + pid + ")"),
          null);
    }
    int count;
    try {
      count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "").strip());
    } catch (NumberFormatException e) {
      throw new CannotListenError(
          "no socket from systemd: LISTEN_FDS is '" + env.get("LISTEN_FDS") + "'", e);
    }
    if (name != null) {
      String names = env.get("LISTEN_FDNAMES");
      List<String> all = names == null ? List.of() : Arrays.asList(names.split(":", -1));
      int at = all.indexOf(name);
      if (at < 0 || at >= count) {
        throw new CannotListenError(
            "no socket from systemd called '" + name + "' (LISTEN_FDNAMES: " + names + ")", null);
      }
      return FIRST + at;
    }
    if (index >= count) {
      throw new CannotListenError(
          "no socket from systemd at index " + index + ": LISTEN_FDS is " + count, null);
    }
    return FIRST + index;
  }
}
