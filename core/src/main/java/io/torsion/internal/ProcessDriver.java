package io.torsion.internal;

import io.torsion.ProcessDone;
import io.torsion.ProcessEnded;
import io.torsion.ProcessProtocol;
import io.torsion.ProcessTerminated;
import io.torsion.ProcessTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * One child process of an {@link DefaultReactor}: started with {@link ProcessBuilder}, its two
 * output pipes read by two threads that post each chunk to the owning loop (at most {@value
 * #CHUNKS_IN_FLIGHT} chunks per pipe at a time, so a slow protocol slows the child down instead of
 * growing memory), its input written by a third. {@code processEnded} comes only after the exit and
 * both pipes' end of file, so no output is lost.
 */
final class ProcessDriver implements ProcessTransport {
  private static final System.Logger LOG = System.getLogger(ProcessProtocol.class.getName());
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS_IN_FLIGHT = 16;
  private static final byte[] CLOSE = new byte[0];
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private final DefaultReactor reactor;
  private final Loop loop;
  private final ProcessProtocol protocol;
  private final List<String> argv;
  private final LinkedBlockingQueue<byte[]> stdin = new LinkedBlockingQueue<>();
  private Process process;
  private Thread stdinWriter;
  private ProcessEnded reason;
  private boolean exited;
  private boolean outDone;
  private boolean errDone;
  private boolean ended;
  private boolean stdinClosed;

  ProcessDriver(DefaultReactor reactor, Loop loop, ProcessProtocol protocol, List<String> argv) {
    this.reactor = reactor;
    this.loop = loop;
    this.protocol = protocol;
    this.argv = List.copyOf(argv);
  }

  /** Starts the process; on the loop's thread. */
  void start(Map<String, String> environment, Path workingDirectory) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    if (workingDirectory != null) {
      builder.directory(workingDirectory.toFile());
    }
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot start process "
              + argv
              + (workingDirectory == null ? "" : " in " + workingDirectory)
              + ": "
              + e.getMessage(),
          e);
    }
    String name = "torsion-process-" + process.pid();
    startDaemon(name + "-out", () -> pump(process.getInputStream(), true));
    startDaemon(name + "-err", () -> pump(process.getErrorStream(), false));
    process.onExit().thenRun(() -> post(this::exited));
    Contained.run(() -> protocol.makeConnection(this), protocol, "connectionMade");
  }

  private void pump(InputStream in, boolean out) {
    Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
    byte[] buffer = new byte[CHUNK];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n == 0) {
          continue;
        }
        inFlight.acquire();
        byte[] chunk = Arrays.copyOf(buffer, n);
        post(
            () -> {
              try {
                deliver(chunk, out);
              } finally {
                inFlight.release();
              }
            });
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "reading the output of {0}: {1}", argv, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    post(() -> endOfFile(out));
  }

  private void deliver(byte[] chunk, boolean out) {
    ByteBuffer data = ByteBuffer.wrap(chunk);
    if (out) {
      Contained.run(() -> protocol.outReceived(data), protocol, "outReceived");
    } else {
      Contained.run(() -> protocol.errReceived(data), protocol, "errReceived");
    }
  }

  private void endOfFile(boolean out) {
    if (out) {
      outDone = true;
      Contained.run(protocol::outConnectionLost, protocol, "outConnectionLost");
    } else {
      errDone = true;
      Contained.run(protocol::errConnectionLost, protocol, "errConnectionLost");
    }
    maybeEnded();
  }

  private void exited() {
    exited = true;
    reason = reasonFor(process.exitValue());
    Contained.run(() -> protocol.processExited(reason), protocol, "processExited");
    maybeEnded();
  }

  private void maybeEnded() {
    if (exited && outDone && errDone && !ended) {
      ended = true;
      stdin.add(CLOSE); // lets the writer thread end
      reactor.processEnded(this);
      Contained.run(() -> protocol.processEnded(reason), protocol, "processEnded");
    }
  }

  boolean ended() {
    return ended;
  }

  /** Ends the process for shutdown: TERM (gently) or KILL. Safe from any thread. */
  void terminate(boolean forcibly) {
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  private void post(Runnable task) {
    try {
      loop.execute(task);
    } catch (RuntimeException stopped) {
      LOG.log(Level.DEBUG, "output of {0} arrived after its reactor stopped", argv);
    }
  }

  private static void startDaemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  // ---------------------------------------------------------------- ProcessTransport

  @Override
  public void write(ByteBuffer data) {
    requireLoopThread();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    if (stdinClosed || bytes.length == 0) {
      return;
    }
    ensureWriter();
    stdin.add(bytes);
  }

  @Override
  public void closeStdin() {
    requireLoopThread();
    if (!stdinClosed) {
      stdinClosed = true;
      ensureWriter();
      stdin.add(CLOSE);
    }
  }

  private void ensureWriter() {
    if (stdinWriter == null) {
      stdinWriter = new Thread(this::writeStdin, "torsion-process-" + process.pid() + "-in");
      stdinWriter.setDaemon(true);
      stdinWriter.start();
    }
  }

  private void writeStdin() {
    try (OutputStream in = process.getOutputStream()) {
      while (true) {
        byte[] bytes = stdin.take();
        if (bytes == CLOSE) {
          return;
        }
        in.write(bytes);
        in.flush();
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "writing to {0}: {1}", argv, e); // the process closed its input
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void signalProcess(String signal) {
    requireLoopThread();
    if (exited || !process.isAlive()) {
      throw new IllegalStateException(
          "process " + process.pid() + " " + argv + " has exited already");
    }
    String name = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
    switch (name) {
      case "TERM" -> process.destroy();
      case "KILL" -> process.destroyForcibly();
      default -> {
        if (WINDOWS) {
          throw new IllegalArgumentException(
              "signal " + signal + " needs a POSIX system; TERM and KILL work everywhere");
        }
        try {
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        } catch (IOException e) {
          throw new IllegalStateException(
              "could not send " + signal + " to " + process.pid() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  @Override
  public long pid() {
    return process.pid();
  }

  private void requireLoopThread() {
    if (!loop.inLoop()) {
      throw new IllegalStateException(
          "ProcessTransport methods must be called on the reactor thread, not on '"
              + Thread.currentThread().getName()
              + "'; hop with Reactor.callFromThread");
    }
  }

  private static ProcessEnded reasonFor(int status) {
    if (status == 0) {
      return new ProcessDone();
    }
    if (!WINDOWS && status > 128 && status <= 128 + 64) {
      return new ProcessTerminated(status, signalName(status - 128));
    }
    return new ProcessTerminated(status, null);
  }

  private static String signalName(int number) {
    return switch (number) {
      case 1 -> "HUP";
      case 2 -> "INT";
      case 3 -> "QUIT";
      case 6 -> "ABRT";
      case 9 -> "KILL";
      case 13 -> "PIPE";
      case 14 -> "ALRM";
      case 15 -> "TERM";
      default -> "SIG" + number;
    };
  }

  @Override
  public String toString() {
    return "Process["
        + (process == null ? "?" : process.pid())
        + ", "
        + argv
        + (ended ? ", ended" : exited ? ", exited" : "")
        + "]";
  }
}
