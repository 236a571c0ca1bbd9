package io.torsion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Child processes the reactor's way: Twisted's {@code IReactorProcess}. The process's output
 * arrives at a {@link ProcessProtocol} on the reactor thread, in order and complete; input is
 * written without blocking.
 *
 * <pre>{@code
 * StringBuilder listing = new StringBuilder();
 * reactor.spawnProcess(new ProcessProtocol() {
 *     public void outReceived(ByteBuffer data) { listing.append(UTF_8.decode(data)); }
 *     public void processEnded(ProcessEnded reason) { reactor.stop(); }
 * }, List.of("ls", "-l"), null, null);
 * }</pre>
 */
public interface ReactorProcess {
  /**
   * Starts {@code argv} as a child process and connects {@code protocol} to it. Called on a reactor
   * thread; the protocol's callbacks run on it.
   *
   * @param argv the program and its arguments; the program is looked up on the PATH
   * @param environment the child's whole environment, or null to inherit this process's
   * @param workingDirectory the child's working directory, or null for this process's
   * @throws IOException if the process cannot start; the message names the program and why
   */
  ProcessTransport spawnProcess(
      ProcessProtocol protocol,
      List<String> argv,
      Map<String, String> environment,
      Path workingDirectory)
      throws IOException;
}
