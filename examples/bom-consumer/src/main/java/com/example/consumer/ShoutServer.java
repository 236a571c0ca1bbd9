package com.example.consumer;

import io.torsion.protocols.line.LineReceiver;
import java.util.Locale;

/** A line protocol that answers every line in capitals: a user's protocol on Torsion's API. */
public final class ShoutServer extends LineReceiver {
  @Override
  public void lineReceived(String line) {
    sendLine(line.toUpperCase(Locale.ROOT));
  }
}
