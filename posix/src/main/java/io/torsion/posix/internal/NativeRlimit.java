package io.torsion.posix.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.util.Locale;

/**
 * The C library's rlimit calls through JNA; loaded once, failing into a reason instead of throwing.
 */
public final class NativeRlimit {
  private final LibC libc;
  private final int resource;
  private final boolean macos;
  private final String unavailable;

  private NativeRlimit(LibC libc, int resource, boolean macos, String unavailable) {
    this.libc = libc;
    this.resource = resource;
    this.macos = macos;
    this.unavailable = unavailable;
  }

  /** Loads the C library's calls for this operating system, or the reason they cannot be. */
  public static NativeRlimit load() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    int resource;
    boolean macos = os.startsWith("mac") || os.startsWith("darwin");
    if (os.startsWith("linux")) {
      resource = 7; // RLIMIT_NOFILE on Linux
    } else if (macos || os.contains("bsd")) {
      resource = 8; // RLIMIT_NOFILE on macOS and the BSDs
    } else {
      return new NativeRlimit(
          null, 0, false, "no RLIMIT_NOFILE on " + System.getProperty("os.name"));
    }
    try {
      return new NativeRlimit(Native.load("c", LibC.class), resource, macos, null);
    } catch (LinkageError | RuntimeException e) {
      return new NativeRlimit(null, 0, false, "JNA could not load the C library: " + e);
    }
  }

  /** Returns true on macOS, whose soft limit is capped at OPEN_MAX. */
  public boolean macos() {
    return macos;
  }

  /** Returns why the limits cannot be read here, or null. */
  public String unavailableReason() {
    return unavailable;
  }

  /** Returns {soft, hard}, or null when they cannot be read here. */
  public long[] get() {
    if (libc == null) {
      return null;
    }
    RLimit limit = new RLimit();
    if (libc.getrlimit(resource, limit) != 0) {
      return null;
    }
    return new long[] {limit.rlim_cur, limit.rlim_max};
  }

  /** Sets the soft limit, keeping the hard one; throws with why when it cannot. */
  public void setSoft(long soft) {
    if (libc == null) {
      throw new IllegalStateException(unavailable);
    }
    RLimit limit = new RLimit();
    if (libc.getrlimit(resource, limit) != 0) {
      throw new IllegalStateException("getrlimit failed, errno " + Native.getLastError());
    }
    limit.rlim_cur = soft;
    if (libc.setrlimit(resource, limit) != 0) {
      throw new IllegalStateException(
          "setrlimit(soft=" + soft + ") failed, errno " + Native.getLastError());
    }
  }

  /** The two libc functions used (public: JNA implements it). */
  public interface LibC extends Library {
    int getrlimit(int resource, RLimit limit);

    int setrlimit(int resource, RLimit limit);
  }

  /** {@code struct rlimit}: two {@code rlim_t}, 64-bit on every supported platform. */
  @Structure.FieldOrder({"rlim_cur", "rlim_max"})
  public static final class RLimit extends Structure {
    /** The soft limit. */
    public long rlim_cur;

    /** The hard limit. */
    public long rlim_max;

    /** Creates an empty structure for the C library to fill. */
    public RLimit() {}
  }
}
