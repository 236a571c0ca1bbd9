package io.torsion.protocols.redis;

import io.torsion.Deferred;
import io.torsion.DeferredList;
import io.torsion.Reactor;
import io.torsion.TimeoutError;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Redis client on a Torsion reactor, in the manner of Twisted's txredisapi: every command returns
 * a Deferred that fires, on the reactor thread, with its reply; commands are pipelined on one
 * connection (sent as they are made, their replies matched in order); pub/sub runs on a second
 * connection, opened by the first {@link #subscribe}; both reconnect with back-off for as long as
 * the client is open.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create(reactor, "redis://127.0.0.1:6379");
 * Deferred<String> greeting =
 *     redis.set("greeting", "hello").addCallbackDeferred(ok -> redis.get("greeting"));
 * redis.subscribe("news", message -> board.show("news", message));
 * }</pre>
 *
 * <p>Replies, as {@link #command} gives them: simple and bulk strings as {@code String} (bulk ones
 * decoded as UTF-8; {@link #commandBytes} keeps them {@code byte[]}), integers as {@code Long}, nil
 * as null, arrays and RESP3 sets as {@code List}, RESP3 maps as {@code Map}, doubles, booleans and
 * big numbers as {@code Double}, {@code Boolean} and {@code BigInteger}. What fails a command's
 * Deferred: {@link RedisError} (the server's error reply; the connection goes on), {@link
 * TimeoutError} (no reply within {@link RedisOptions#commandTimeout()}, or no connection within
 * it), {@link RedisConnectionError} (the connection was lost with the command sent, or too many
 * commands wait), {@link RedisProtocolError} (the server sent what is not RESP). Limits and their
 * defaults are in {@link RedisOptions}.
 *
 * <p>Every method is called on the reactor thread (the client is one of its protocols' kin: no
 * locks), and every Deferred fires there.
 */
public final class RedisClient {
  private static final System.Logger LOG = System.getLogger(RedisClient.class.getName());

  private final Reactor reactor;
  private final RedisAddress address;
  private final RedisOptions options;
  private final Link commands;
  private Link subscriber; // opened by the first subscribe
  private final Map<String, Topic> channels = new LinkedHashMap<>();
  private final Map<String, Topic> patterns = new LinkedHashMap<>();
  private boolean closed;

  private RedisClient(Reactor reactor, RedisAddress address, RedisOptions options) {
    this.reactor = reactor;
    this.address = address;
    this.options = options;
    this.commands =
        new Link(
            reactor,
            address,
            options,
            false,
            new Link.Events() {
              @Override
              public void up() {}

              @Override
              public void pushed(Object value) {
                LOG.log(Level.DEBUG, () -> "a push from " + address + ": " + Resp.text(value));
              }
            });
  }

  /** Returns a client of the server at {@code uri} with the default options; see below. */
  public static RedisClient create(Reactor reactor, String uri) {
    return create(reactor, uri, RedisOptions.defaults());
  }

  /**
   * Returns a client of the server at {@code uri} ({@code redis://[[user]:password@]host[:port][/
   * database]}, {@code rediss://} for TLS, port 6379 by default), and starts connecting. Commands
   * made before the connection is up are sent once it is.
   *
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   * @throws IllegalStateException off the reactor thread
   */
  public static RedisClient create(Reactor reactor, String uri, RedisOptions options) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(options, "options");
    RedisAddress address = RedisAddress.parse(Objects.requireNonNull(uri, "uri"));
    onReactorThread(reactor, "RedisClient.create");
    RedisClient client = new RedisClient(reactor, address, options);
    client.commands.connect();
    return client;
  }

  /**
   * Sends a command ({@code "HSET", "board", key, value}): strings go as UTF-8, {@code byte[]} as
   * they are, numbers as their digits. The Deferred fires with the reply, bulk strings as text.
   */
  public Deferred<Object> command(Object... args) {
    return send(false, args);
  }

  /** Sends a command as {@link #command} does; the reply's bulk strings stay {@code byte[]}. */
  public Deferred<Object> commandBytes(Object... args) {
    return send(true, args);
  }

  private Deferred<Object> send(boolean raw, Object... args) {
    onReactorThread(reactor, "RedisClient.command");
    ByteBuffer bytes = Resp.command(args);
    return commands.submit(bytes, args[0].toString().toUpperCase(Locale.ROOT), raw);
  }

  /** {@code GET key}: the value, or null when there is none. */
  public Deferred<String> get(String key) {
    return command("GET", key).addCallback(value -> (String) value);
  }

  /** {@code SET key value}. */
  public Deferred<Void> set(String key, String value) {
    return command("SET", key, value).addCallback(ok -> null);
  }

  /** {@code DEL key...}: how many of them there were. */
  public Deferred<Long> del(String... keys) {
    Object[] args = new Object[keys.length + 1];
    args[0] = "DEL";
    System.arraycopy(keys, 0, args, 1, keys.length);
    return command(args).addCallback(count -> (Long) count);
  }

  /** {@code INCR key}: the new value. */
  public Deferred<Long> incr(String key) {
    return command("INCR", key).addCallback(count -> (Long) count);
  }

  /** {@code PUBLISH channel message}: how many subscribers got it. */
  public Deferred<Long> publish(String channel, String message) {
    return command("PUBLISH", channel, message).addCallback(count -> (Long) count);
  }

  /**
   * Calls {@code listener} with each message (as UTF-8 text) published on {@code channel}. The
   * Deferred fires once the server has confirmed the subscription, or fails with {@link
   * TimeoutError} if it has not within the command timeout (the listener is then withdrawn).
   */
  public Deferred<Subscription> subscribe(String channel, Consumer<String> listener) {
    Objects.requireNonNull(listener, "listener");
    return listen(channels, "SUBSCRIBE", channel, (from, message) -> listener.accept(message));
  }

  /**
   * Calls {@code listener} with the channel and message of each message published on a channel that
   * matches {@code pattern} ({@code PSUBSCRIBE}'s glob: {@code board.*}).
   */
  public Deferred<Subscription> psubscribe(String pattern, BiConsumer<String, String> listener) {
    Objects.requireNonNull(listener, "listener");
    return listen(patterns, "PSUBSCRIBE", pattern, listener);
  }

  private Deferred<Subscription> listen(
      Map<String, Topic> topics, String verb, String name, BiConsumer<String, String> listener) {
    onReactorThread(reactor, "RedisClient.subscribe");
    Objects.requireNonNull(name, "channel");
    if (closed) {
      return Deferred.fail(new RedisConnectionError("the Redis client is closed"));
    }
    Topic topic = topics.get(name);
    boolean fresh = topic == null;
    if (fresh) {
      topic = new Topic(topics, verb, name);
      topics.put(name, topic);
    }
    Listener added = new Listener(topic, listener);
    topic.listeners.add(added);
    if (topic.confirmed) {
      return Deferred.succeed(added);
    }
    Deferred<Subscription> confirmed = new Deferred<>();
    topic.waiting.add(new Waiter(added, confirmed));
    reactor.callLater(
        options.commandTimeout(),
        () -> {
          if (!confirmed.called()) {
            added.unsubscribe();
            confirmed.errback(
                new TimeoutError(verb + " " + name + ": not confirmed by " + address + " in time"));
          }
        });
    Link link = subscriberLink();
    if (fresh && !link.write(Resp.command(verb, name))) {
      link.connect(); // once it is up, every topic is subscribed
    }
    return confirmed;
  }

  private Link subscriberLink() {
    if (subscriber == null) {
      subscriber =
          new Link(
              reactor,
              address,
              options,
              true,
              new Link.Events() {
                @Override
                public void up() {
                  resubscribe();
                }

                @Override
                public void pushed(Object value) {
                  delivered(value);
                }
              });
    }
    return subscriber;
  }

  /** A subscriber connection is up: subscribe to every channel and pattern (again). */
  private void resubscribe() {
    for (Map<String, Topic> topics : List.of(channels, patterns)) {
      if (topics.isEmpty()) {
        continue;
      }
      List<Object> args = new ArrayList<>();
      args.add(topics == channels ? "SUBSCRIBE" : "PSUBSCRIBE");
      for (Topic topic : topics.values()) {
        topic.confirmed = false;
        args.add(topic.name);
      }
      subscriber.write(Resp.command(args.toArray()));
    }
  }

  /** A reply on the subscriber connection: a confirmation or a message. */
  private void delivered(Object value) {
    if (!(value instanceof List<?> parts) || parts.isEmpty()) {
      LOG.log(Level.DEBUG, () -> "an unexpected reply on the subscriber connection: " + value);
      return;
    }
    Object text = Resp.text(parts);
    List<?> fields = (List<?>) text;
    String kind = String.valueOf(fields.get(0)).toLowerCase(Locale.ROOT);
    switch (kind) {
      case "subscribe", "psubscribe" -> {
        Topic topic = (kind.equals("subscribe") ? channels : patterns).get(fields.get(1));
        if (topic != null) {
          topic.confirm();
        }
      }
      case "message" -> {
        if (fields.size() == 3) {
          deliver(channels.get(fields.get(1)), (String) fields.get(1), fields.get(2));
        }
      }
      case "pmessage" -> {
        if (fields.size() == 4) {
          deliver(patterns.get(fields.get(1)), (String) fields.get(2), fields.get(3));
        }
      }
      default -> {} // unsubscribe confirmations, a pong
    }
  }

  private void deliver(Topic topic, String channel, Object message) {
    if (topic == null) {
      return; // unsubscribed meanwhile
    }
    for (Listener listener : List.copyOf(topic.listeners)) {
      try {
        listener.call.accept(channel, String.valueOf(message));
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, "a Redis subscriber of " + channel + " threw; it stays subscribed", e);
      }
    }
  }

  /** Returns true while the command connection is up. */
  public boolean connected() {
    return commands.up();
  }

  /**
   * Closes the client: commands not yet answered fail with {@link RedisConnectionError}, the
   * connections close, and nothing reconnects. The Deferred fires once they have closed.
   */
  public Deferred<Void> close() {
    onReactorThread(reactor, "RedisClient.close");
    closed = true;
    List<Deferred<Void>> closing = new ArrayList<>();
    closing.add(commands.close());
    if (subscriber != null) {
      closing.add(subscriber.close());
    }
    channels.clear();
    patterns.clear();
    return DeferredList.of(closing).addCallback(all -> null);
  }

  @Override
  public String toString() {
    return "RedisClient[" + address + (commands.up() ? ", connected" : ", not connected") + "]";
  }

  private static void onReactorThread(Reactor reactor, String method) {
    if (reactor.isReactorThread()) {
      return;
    }
    try {
      // Before run(), the thread that sets a reactor up owns it, as for every reactor call.
      reactor.callLater(Duration.ZERO, () -> {}).cancel();
    } catch (IllegalStateException elsewhere) {
      throw new IllegalStateException(
          method
              + " must be called on the reactor thread, not on '"
              + Thread.currentThread().getName()
              + "'; hop with Reactor.callFromThread",
          elsewhere);
    }
  }

  /** A channel or pattern and its listeners. */
  private final class Topic {
    final Map<String, Topic> topics;
    final String verb;
    final String name;
    final List<Listener> listeners = new ArrayList<>();
    final List<Waiter> waiting = new ArrayList<>();
    boolean confirmed;

    Topic(Map<String, Topic> topics, String verb, String name) {
      this.topics = topics;
      this.verb = verb;
      this.name = name;
    }

    void confirm() {
      confirmed = true;
      List<Waiter> now = List.copyOf(waiting);
      waiting.clear();
      for (Waiter waiter : now) {
        if (!waiter.confirmed.called()) {
          waiter.confirmed.callback(waiter.listener);
        }
      }
    }
  }

  private record Waiter(Listener listener, Deferred<Subscription> confirmed) {}

  /** One listener of a topic. */
  private final class Listener implements Subscription {
    final Topic topic;
    final BiConsumer<String, String> call;

    Listener(Topic topic, BiConsumer<String, String> call) {
      this.topic = topic;
      this.call = call;
    }

    @Override
    public String channel() {
      return topic.name;
    }

    @Override
    public Deferred<Void> unsubscribe() {
      if (!topic.listeners.remove(this) || !topic.listeners.isEmpty()) {
        return Deferred.succeed(null);
      }
      if (topic.topics.get(topic.name) == topic) {
        topic.topics.remove(topic.name);
        if (subscriber != null) {
          subscriber.write(
              Resp.command(
                  topic.verb.equals("SUBSCRIBE") ? "UNSUBSCRIBE" : "PUNSUBSCRIBE", topic.name));
        }
      }
      return Deferred.succeed(null);
    }

    @Override
    public String toString() {
      return "Subscription[" + topic.verb + " " + topic.name + "]";
    }
  }
}
