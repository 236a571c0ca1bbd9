package io.torsion.examples;

import io.torsion.ConnectionClosed;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.protocols.line.LineReceiver;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A chat over lines: every line a user sends goes to everyone else, prefixed with their name;
 * {@code /nick NAME} renames. No locks: every connection's callbacks run on the reactor thread. Try
 * two terminals with {@code nc 127.0.0.1 8002}.
 */
public final class LineChat {
  /** The room: who is in it. */
  static final class Room {
    final Set<User> users = new LinkedHashSet<>();
    private int joined;

    void broadcast(User from, String line) {
      for (User user : users) {
        if (user != from) {
          user.sendLine(line);
        }
      }
    }
  }

  /** One user's connection. */
  static final class User extends LineReceiver {
    private final Room room;
    private String name;

    User(Room room) {
      this.room = room;
    }

    @Override
    public void connectionMade() {
      name = "guest" + ++room.joined;
      room.users.add(this);
      sendLine("welcome, " + name + "; " + room.users.size() + " here. /nick NAME to rename");
      room.broadcast(this, "* " + name + " joined");
    }

    @Override
    public void lineReceived(String line) {
      if (line.startsWith("/nick ") && !line.substring(6).isBlank()) {
        String old = name;
        name = line.substring(6).strip();
        room.broadcast(null, "* " + old + " is now " + name);
      } else if (!line.isEmpty()) {
        room.broadcast(this, name + ": " + line);
      }
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      room.users.remove(this);
      room.broadcast(this, "* " + name + " left");
    }
  }

  private LineChat() {}

  /** Returns the factory of one room's users. */
  static Factory<User> room() {
    Room room = new Room();
    return Factory.of(() -> new User(room));
  }

  /** Serves the chat on 127.0.0.1, port {@code args[0]} (8002 by default). */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8002;
    Reactor reactor = Reactor.create();
    reactor.listenTCP(port, "127.0.0.1", room());
    System.out.println("chat on 127.0.0.1:" + port);
    reactor.run();
  }
}
