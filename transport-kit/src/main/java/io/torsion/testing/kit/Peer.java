package io.torsion.testing.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The other end of a connection in kit tests: a plain blocking JDK socket, independent of every
 * transport under test, with a read timeout so that a test never hangs.
 */
public final class Peer implements AutoCloseable {
  /** How long any single read may block. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final Socket socket;
  private final InputStream in;

  private Peer(Socket socket) throws IOException {
    this.socket = socket;
    this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    this.in = socket.getInputStream();
  }

  /** Connects to {@code port} on 127.0.0.1. */
  public static Peer connect(int port) throws IOException {
    return connect(InetAddress.getLoopbackAddress(), port);
  }

  /** Connects to {@code address}:{@code port}. */
  public static Peer connect(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), (int) READ_TIMEOUT.toMillis());
    return new Peer(socket);
  }

  /** Wraps an accepted socket. */
  public static Peer of(Socket socket) throws IOException {
    return new Peer(socket);
  }

  /** Returns the socket. */
  public Socket socket() {
    return socket;
  }

  /** Writes all of {@code data}. */
  public void write(byte[] data) throws IOException {
    socket.getOutputStream().write(data);
    socket.getOutputStream().flush();
  }

  /** Writes {@code text} as UTF-8. */
  public void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads exactly {@code length} bytes. */
  public byte[] read(int length) throws IOException {
    return in.readNBytes(length);
  }

  /** Reads exactly {@code length} bytes, decoded as UTF-8. */
  public String readUtf8(int length) throws IOException {
    return new String(read(length), StandardCharsets.UTF_8);
  }

  /** Reads until end of stream, and returns everything read. */
  public byte[] readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  /**
   * Reads until end of stream or a reset, and returns the number of bytes read; a read that times
   * out fails: the other side never ended the connection.
   */
  public long drainUntilClosed() {
    long total = 0;
    byte[] chunk = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        total += n;
      }
    } catch (SocketTimeoutException silent) {
      throw new AssertionError(
          "the connection was neither closed nor reset within "
              + READ_TIMEOUT
              + " ("
              + total
              + " bytes read)",
          silent);
    } catch (IOException reset) {
      // a reset ends the connection too
    }
    return total;
  }

  /** Shuts down the sending side: the other end reads end of stream. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Closes with a reset (SO_LINGER 0) instead of a clean close. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
