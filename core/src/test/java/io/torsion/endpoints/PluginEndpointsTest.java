package io.torsion.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.Reactor;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** A module's own endpoint prefix, found as a service; the built-in prefixes stay built in. */
class PluginEndpointsTest {
  private static final Reactor UNUSED =
      (Reactor)
          Proxy.newProxyInstance(
              Reactor.class.getClassLoader(),
              new Class<?>[] {Reactor.class},
              (proxy, method, args) -> {
                throw new AssertionError("parsing used the reactor: " + method);
              });

  /** A prefix of its own: {@code loopback:PORT}, listening refused with its argument. */
  public static final class Loopback implements EndpointParser {
    @Override
    public String prefix() {
      return "loopback";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      String port = arguments.require("port");
      arguments.done();
      return factory -> {
        throw new CannotListenError("loopback endpoint for port " + port, null);
      };
    }
  }

  /** Tries to take over tcp:. */
  public static final class Usurper implements EndpointParser {
    @Override
    public String prefix() {
      return "tcp";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      throw new AssertionError("a service took over a built-in prefix");
    }
  }

  @Test
  void aServiceAddsItsPrefixButCannotTakeABuiltInOne() {
    ServerEndpoint endpoint = Endpoints.server(UNUSED, "loopback:8080");
    assertThatThrownBy(() -> endpoint.listen(null))
        .isInstanceOf(CannotListenError.class)
        .hasMessage("loopback endpoint for port 8080");
    assertThat(Endpoints.server(UNUSED, "tcp:8080")).isNotNull(); // the built-in one
    assertThatThrownBy(() -> Endpoints.server(UNUSED, "loopback:1:extra=2"))
        .hasMessageContaining("'extra' is not an argument of loopback:");
    assertThatThrownBy(() -> Endpoints.client(UNUSED, "loopback:1"))
        .hasMessageContaining("loopback: has no client endpoints");
  }
}
