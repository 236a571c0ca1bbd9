package io.torsion.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.Reactor;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Endpoint strings parsed, Twisted's syntax, and the errors that name the bad part. */
class EndpointsSyntaxTest {
  /** A reactor that must not be used: parsing alone is under test. */
  private static final Reactor UNUSED =
      (Reactor)
          Proxy.newProxyInstance(
              Reactor.class.getClassLoader(),
              new Class<?>[] {Reactor.class},
              (proxy, method, args) -> {
                throw new AssertionError("parsing used the reactor: " + method);
              });

  @Test
  void fieldsSplitOnColonsWithBackslashEscapesAndKeywords() {
    EndpointArguments parsed =
        EndpointArguments.parse("UNIX:/tmp/a\\:b.sock:mode=660:note=x\\=y\\\\z");
    assertThat(parsed.prefix()).isEqualTo("unix");
    assertThat(parsed.take("address")).isEqualTo("/tmp/a:b.sock");
    assertThat(parsed.keyword("mode")).isEqualTo("660");
    assertThat(parsed.keyword("note")).isEqualTo("x=y\\z");
    parsed.done();
  }

  @Test
  void positionalAndKeywordFormsMeanTheSame() {
    EndpointArguments byPosition = EndpointArguments.parse("tcp:example.org:80");
    EndpointArguments byName = EndpointArguments.parse("tcp:host=example.org:port=80");
    assertThat(byPosition.require("host")).isEqualTo(byName.require("host"));
    assertThat(byPosition.require("port")).isEqualTo(byName.require("port"));
  }

  @Test
  void goodStringsMakeEndpointsWithoutTouchingTheReactor() {
    assertThat(Endpoints.server(UNUSED, "tcp:8080:interface=127.0.0.1:backlog=128")).isNotNull();
    assertThat(Endpoints.server(UNUSED, "tcp:port=0")).isNotNull();
    assertThat(Endpoints.server(UNUSED, "unix:/run/app.sock:mode=660")).isNotNull();
    assertThat(Endpoints.client(UNUSED, "tcp:host=example.org:port=80:timeout=10")).isNotNull();
    assertThat(Endpoints.client(UNUSED, "unix:path=/run/app.sock")).isNotNull();
    assertThat(Endpoints.client(UNUSED, "tls:host=example.org:port=443")).isNotNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp:80x | port '80x' is not a number",
        "tcp:70000 | port 70000 is outside 0..65535",
        "tcp | it needs port",
        "tcp:80:bogus=1 | 'bogus' is not an argument of tcp:",
        "tcp:80:81 | an argument too many: '81'",
        "tcp:port=80:8080 | comes after key=value",
        "tcp:80:interface=a:interface=b | 'interface' is given twice",
        "tcp:80:port=81 | given both by position and as port=",
        "tcp:80:backlog=none | backlog 'none' is not a number",
        "tls:443:certificate=c:privateKey=k:backlog=9 | backlog is tcp:'s only",
        "sctp:80 | unknown type 'sctp' (known: tcp, unix, tls",
        "port=80 | it must start with a type",
        "unix:/a.sock:mode=999 | mode '999' is not three octal digits",
        "tls:8443 | it needs certificate=FILE and privateKey=FILE",
        "tls:8443:certificate=/nonexistent.pem:privateKey=/nonexistent.pem | cannot read its certificate or key",
        "tcp:80\\\\ | lone backslash",
        "tcp::=1 | has no name before '='",
      })
  void aBadStringNamesItsBadPart(String description, String problem) {
    String given = description.replace("\\\\", "\\");
    assertThatThrownBy(() -> Endpoints.server(UNUSED, given))
        .isInstanceOf(EndpointSyntaxError.class)
        .hasMessageStartingWith("bad endpoint '" + given + "': ")
        .hasMessageContaining(problem);
  }

  @Test
  void systemdSocketsAreFoundByIndexOrNameForThisProcessOnly() throws Exception {
    Map<String, String> env =
        Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "web:admin");
    assertThat(SystemdSockets.descriptor(env, 42, 0, null)).isEqualTo(3);
    assertThat(SystemdSockets.descriptor(env, 42, 1, null)).isEqualTo(4);
    assertThat(SystemdSockets.descriptor(env, 42, null, "admin")).isEqualTo(4);
    assertThatThrownBy(() -> SystemdSockets.descriptor(env, 7, 0, null))
        .isInstanceOf(CannotListenError.class)
        .hasMessageContaining("LISTEN_PID is 42, not this process (7)");
    assertThatThrownBy(() -> SystemdSockets.descriptor(Map.of(), 7, 0, null))
        .hasMessageContaining("LISTEN_PID is not set");
    assertThatThrownBy(() -> SystemdSockets.descriptor(env, 42, 2, null))
        .hasMessageContaining("at index 2: LISTEN_FDS is 2");
    assertThatThrownBy(() -> SystemdSockets.descriptor(env, 42, null, "other"))
        .hasMessageContaining("called 'other'");
    assertThat(Endpoints.server(UNUSED, "systemd:domain=INET:index=0")).isNotNull();
    assertThatThrownBy(() -> Endpoints.server(UNUSED, "systemd:domain=IPX:index=0"))
        .hasMessageContaining("domain 'IPX' is not INET, INET6 or UNIX");
    assertThatThrownBy(() -> Endpoints.server(UNUSED, "systemd:domain=INET"))
        .hasMessageContaining("it needs index=N or name=NAME");
  }

  @Test
  void ipv6AddressesAreShownShort() {
    assertThat(BuiltInEndpoints.compressed("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    assertThat(BuiltInEndpoints.compressed("0:0:0:0:0:0:0:0")).isEqualTo("::");
    assertThat(BuiltInEndpoints.compressed("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(BuiltInEndpoints.compressed("fe80:0:0:0:1:2:3:4%2")).isEqualTo("fe80::1:2:3:4%2");
    assertThat(BuiltInEndpoints.compressed("2001:db8:1:2:3:4:0:5"))
        .isEqualTo("2001:db8:1:2:3:4:0:5");
  }

  @Test
  void aClientStringIsCheckedToo() {
    assertThatThrownBy(() -> Endpoints.client(UNUSED, "tcp:host=example.org"))
        .isInstanceOf(EndpointSyntaxError.class)
        .hasMessageContaining("it needs port");
    assertThatThrownBy(() -> Endpoints.client(UNUSED, "tcp:example.org:80:timeout=soon"))
        .hasMessageContaining("timeout 'soon' is not a number");
  }
}
