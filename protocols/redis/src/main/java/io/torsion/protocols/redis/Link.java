package io.torsion.protocols.redis;

import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.TimeoutError;
import io.torsion.tls.TlsClientOptions;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A connection to one server kept up for as long as the client is open: connects, sets the
 * connection up ({@code HELLO}, {@code AUTH}, {@code SELECT}), sends commands (holding those made
 * while there is no connection, within {@link RedisOptions#maxPending()}), and after a loss or a
 * failed attempt tries again after a back-off that doubles up to {@link
 * RedisOptions#maxReconnectDelay()}. Used on the reactor thread only.
 */
final class Link {
  private static final System.Logger LOG = System.getLogger(Link.class.getName());

  /** What the owner of a link hears. */
  interface Events {
    /** A connection is up and set up (again). */
    void up();

    /** A push arrived (on a subscriber link, every reply once it is set up). */
    void pushed(Object value);
  }

  private final Reactor reactor;
  private final RedisAddress address;
  private final RedisOptions options;
  private final boolean subscriber;
  private final Events events;
  private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
  private RedisConnection connection; // set up and ready, or null
  private RedisConnection settingUp;
  private boolean connecting;
  private boolean closed;
  private int attempts;
  private int pending; // sent and waiting, or in the backlog
  private DelayedCall retry;
  private Throwable lastError;
  private Deferred<Void> whenClosed; // once close() was called

  Link(
      Reactor reactor,
      RedisAddress address,
      RedisOptions options,
      boolean subscriber,
      Events events) {
    this.reactor = reactor;
    this.address = address;
    this.options = options;
    this.subscriber = subscriber;
    this.events = events;
  }

  boolean subscriber() {
    return subscriber;
  }

  String target() {
    return address.toString();
  }

  boolean up() {
    return connection != null;
  }

  /**
   * Sends a command, or holds it until there is a connection; the Deferred fires with its reply.
   */
  Deferred<Object> submit(ByteBuffer bytes, String name, boolean raw) {
    Pending command = new Pending(bytes, name, raw);
    if (closed) {
      command.fail(new RedisConnectionError("the Redis client is closed"));
      return command.result;
    }
    if (pending >= options.maxPending()) {
      command.fail(
          new RedisConnectionError(
              options.maxPending() + " commands already wait for " + target() + ": " + name));
      return command.result;
    }
    pending++;
    command.result.addFinally(() -> pending--);
    command.timer = reactor.callLater(options.commandTimeout(), () -> expired(command));
    if (connection != null) {
      connection.send(command);
    } else {
      backlog.add(command);
      connect();
    }
    return command.result;
  }

  /** Writes a command with no reply of its own on the connection, if there is one. */
  boolean write(ByteBuffer bytes) {
    if (connection == null) {
      return false;
    }
    connection.write(bytes);
    return true;
  }

  private void expired(Pending command) {
    if (command.done()) {
      return;
    }
    Duration timeout = options.commandTimeout();
    if (!command.sent) {
      backlog.remove(command);
      command.fail(
          new TimeoutError(
              command.name
                  + ": no connection to "
                  + target()
                  + " within "
                  + seconds(timeout)
                  + (lastError == null ? "" : " (last attempt: " + lastError.getMessage() + ")")));
      return;
    }
    command.fail(
        new TimeoutError(
            command.name + ": no reply from " + target() + " within " + seconds(timeout)));
    // The server is stuck, or the network: every reply behind this one would be late too.
    if (connection != null) {
      connection.drop(
          new RedisConnectionError(
              "dropped: a reply from " + target() + " took over " + seconds(timeout)));
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /** Opens a connection unless one is open or opening. */
  void connect() {
    if (closed || connecting || connection != null || settingUp != null) {
      return;
    }
    if (retry != null && retry.active()) {
      return; // the back-off decides when
    }
    connecting = true;
    Factory<RedisConnection> factory = Factory.of(() -> new RedisConnection(this, options));
    Deferred<RedisConnection> opened;
    if (address.tls()) {
      TlsClientOptions tls = options.tls() != null ? options.tls() : TlsClientOptions.defaults();
      opened =
          reactor.connectSSL(
              address.host(), address.port(), factory, tls, options.connectTimeout());
    } else {
      opened =
          reactor.connectTCP(address.host(), address.port(), factory, options.connectTimeout());
    }
    opened.addCallbacks(
        made -> {
          connecting = false;
          return null;
        },
        failure -> {
          connecting = false;
          lastError = failure.value();
          LOG.log(
              Level.DEBUG,
              () -> "could not connect to " + target() + ": " + lastError.getMessage());
          scheduleRetry();
          return null;
        });
  }

  /** A connection opened: set it up, then send what waits. */
  void connected(RedisConnection made) {
    if (closed) {
      made.transport().loseConnection();
      return;
    }
    settingUp = made;
    List<Object[]> steps = new ArrayList<>();
    if (options.protocol() == 3) {
      if (address.password() != null) {
        steps.add(
            new Object[] {
              "HELLO",
              "3",
              "AUTH",
              address.user() == null ? "default" : address.user(),
              address.password()
            });
      } else {
        steps.add(new Object[] {"HELLO", "3"});
      }
    } else if (address.password() != null) {
      steps.add(
          address.user() == null
              ? new Object[] {"AUTH", address.password()}
              : new Object[] {"AUTH", address.user(), address.password()});
    }
    if (address.database() != 0) {
      steps.add(new Object[] {"SELECT", address.database()});
    }
    if (steps.isEmpty()) {
      ready(made);
      return;
    }
    for (int i = 0; i < steps.size(); i++) {
      Object[] step = steps.get(i);
      boolean last = i == steps.size() - 1;
      Pending command = new Pending(Resp.command(step), step[0].toString(), false);
      command.timer = reactor.callLater(options.commandTimeout(), () -> expiredSetUp(command));
      made.send(command);
      command.result.addCallbacks(
          reply -> {
            if (last && settingUp == made) {
              ready(made);
            }
            return null;
          },
          failure -> {
            setUpFailed(
                made, step[0] + " failed: " + failure.value().getMessage(), failure.value());
            return null;
          });
    }
  }

  private void expiredSetUp(Pending command) { // fails the set-up, which drops the connection
    if (!command.done()) {
      command.fail(new TimeoutError(command.name + ": no reply from " + target()));
    }
  }

  private void setUpFailed(RedisConnection made, String why, Throwable cause) {
    if (settingUp != made) {
      return;
    }
    settingUp = null;
    lastError =
        new RedisConnectionError(
            "could not set up the connection to " + target() + ": " + why, cause);
    LOG.log(Level.WARNING, lastError.getMessage());
    if (cause instanceof RedisError) {
      // The server said no (a wrong password, an unknown database): waiting will not help them.
      for (Pending command; (command = backlog.poll()) != null; ) {
        command.fail(lastError);
      }
    }
    made.drop((RedisConnectionError) lastError);
  }

  private void ready(RedisConnection made) {
    settingUp = null;
    connection = made;
    made.ready();
    attempts = 0;
    lastError = null;
    for (Pending command; (command = backlog.poll()) != null; ) {
      if (!command.done()) {
        made.send(command);
      }
    }
    events.up();
  }

  /** The connection {@code gone} closed; the commands on it have failed. */
  void lost(RedisConnection gone, RedisConnectionError why) {
    if (gone == settingUp) {
      settingUp = null;
    }
    if (gone != connection && connection != null) {
      return;
    }
    boolean wasUp = gone == connection;
    connection = null;
    if (closed) {
      if (settingUp == null && !whenClosed.called()) {
        whenClosed.callback(null);
      }
      return;
    }
    if (lastError == null || wasUp) {
      lastError = why;
    }
    if (wasUp) {
      LOG.log(Level.WARNING, why.getMessage() + "; reconnecting");
    }
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (closed || (retry != null && retry.active())) {
      return;
    }
    long first = options.reconnectDelay().toNanos();
    long longest = options.maxReconnectDelay().toNanos();
    long delay = first;
    for (int i = 0; i < attempts && delay < longest; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, longest);
    attempts++;
    long jitter = (long) (delay * 0.1 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
    retry = reactor.callLater(Duration.ofNanos(Math.max(1, delay + jitter)), this::connect);
  }

  /** Hands a push to the owner. */
  void pushed(Object value) {
    events.pushed(value);
  }

  /** Stops for good: what waits fails, the connection closes; fires once it has. */
  Deferred<Void> close() {
    if (closed) {
      return whenClosed;
    }
    closed = true;
    whenClosed = new Deferred<>();
    if (retry != null && retry.active()) {
      retry.cancel();
    }
    for (Pending command; (command = backlog.poll()) != null; ) {
      command.fail(new RedisConnectionError("the Redis client was closed"));
    }
    RedisConnectionError closing = new RedisConnectionError("the Redis client was closed");
    if (connection != null) {
      connection.drop(closing);
    }
    if (settingUp != null) {
      settingUp.drop(closing);
    }
    if (connection == null && settingUp == null) {
      whenClosed.callback(null); // an attempt under way closes itself when it connects
    }
    return whenClosed;
  }
}
