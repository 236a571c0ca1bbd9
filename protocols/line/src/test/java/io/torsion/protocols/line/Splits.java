package io.torsion.protocols.line;

import io.torsion.Protocol;
import io.torsion.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Feeds one input to fresh protocols in every way it can arrive: whole, byte by byte, split
 * anywhere.
 */
final class Splits {
  private Splits() {}

  /**
   * Returns the events recorded for each way of feeding {@code input}; {@code events} maps a fresh
   * recorder list to a protocol that records into it.
   */
  static List<List<String>> everyWay(byte[] input, Function<List<String>, Protocol> protocol) {
    List<List<String>> results = new ArrayList<>();
    results.add(run(protocol, transport -> transport.receive(input)));
    results.add(run(protocol, transport -> transport.receiveByteByByte(input)));
    for (int split = 0; split <= input.length; split++) {
      int at = split;
      results.add(run(protocol, transport -> transport.receiveSplit(input, at)));
    }
    return results;
  }

  private static List<String> run(
      Function<List<String>, Protocol> protocol, Consumer<StringTransport> feed) {
    List<String> events = new ArrayList<>();
    StringTransport transport = new StringTransport();
    transport.connect(protocol.apply(events));
    feed.accept(transport);
    if (transport.disconnecting()) {
      events.add("closed: " + transport.closeReason());
    }
    return events;
  }
}
