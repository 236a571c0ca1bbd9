package io.torsion;

/**
 * How a UDP port is bound ({@link Reactor#listenUDP(int, String, DatagramProtocol,
 * DatagramOptions)}). The defaults:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>beyond it</th></tr>
 *   <tr><td>{@link #maxDatagramSize()}</td><td>{@value #DEFAULT_MAX_DATAGRAM_SIZE} bytes (as
 *       Twisted's {@code maxPacketSize})</td><td>dropped and counted ({@link
 *       DatagramTransport#oversizedDropped()})</td></tr>
 *   <tr><td>{@link #reuseAddress()}</td><td>false</td><td>(true lets several sockets bind one
 *       multicast port: Twisted's {@code listenMultiple})</td></tr>
 * </table>
 *
 * @param maxDatagramSize the largest datagram delivered, in bytes (1 to 65,535); also the size of
 *     the port's receive buffer
 * @param reuseAddress whether to set {@code SO_REUSEADDR} before binding
 */
public record DatagramOptions(int maxDatagramSize, boolean reuseAddress) {
  /** The default of {@link #maxDatagramSize()}. */
  public static final int DEFAULT_MAX_DATAGRAM_SIZE = 8192;

  /** Checks the values. */
  public DatagramOptions {
    if (maxDatagramSize < 1 || maxDatagramSize > 65_535) {
      throw new IllegalArgumentException(
          "maxDatagramSize must be 1 to 65535, not " + maxDatagramSize);
    }
  }

  /** Returns the defaults of the table above. */
  public static DatagramOptions defaults() {
    return new DatagramOptions(DEFAULT_MAX_DATAGRAM_SIZE, false);
  }

  /** Returns these options with another maximum datagram size. */
  public DatagramOptions withMaxDatagramSize(int bytes) {
    return new DatagramOptions(bytes, reuseAddress);
  }

  /** Returns these options with {@code SO_REUSEADDR} on or off. */
  public DatagramOptions withReuseAddress(boolean on) {
    return new DatagramOptions(maxDatagramSize, on);
  }
}
