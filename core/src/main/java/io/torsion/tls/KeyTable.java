package io.torsion.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager behind {@link TlsServerOptions} and a client's certificate: picks the identity
 * for the host name a client asks for (SNI: exact names, then {@code *.} wildcards of one label,
 * then the default), and swaps to reloaded identities atomically. A handshake under way keeps the
 * generation it chose from, so a reload never pairs one identity's chain with another's key.
 */
final class KeyTable extends X509ExtendedKeyManager {
  private static final String DEFAULT = "default";

  /** One generation of identities: the default and those chosen by host name. */
  record Generation(int number, Identity fallback, Map<String, Identity> byName) {
    Identity find(String alias) {
      String name = alias.substring(alias.indexOf(':') + 1);
      return name.equals(DEFAULT) ? fallback : byName.get(name);
    }

    String aliasOf(String name) {
      return number + ":" + name;
    }
  }

  private final AtomicReference<Generation> current = new AtomicReference<>();
  private volatile Generation previous;

  KeyTable(Identity fallback, Map<String, Identity> byName) {
    current.set(new Generation(0, fallback, normalised(byName)));
  }

  private static Map<String, Identity> normalised(Map<String, Identity> byName) {
    Map<String, Identity> names = new LinkedHashMap<>();
    byName.forEach((name, identity) -> names.put(name.toLowerCase(Locale.ROOT), identity));
    return Map.copyOf(names);
  }

  Generation current() {
    return current.get();
  }

  /** Installs reloaded identities for the handshakes that start from now on. */
  void install(Identity fallback, Map<String, Identity> byName) {
    Generation old = current.get();
    previous = old;
    current.set(new Generation(old.number() + 1, fallback, normalised(byName)));
  }

  /** Returns the identities of the current generation: the default first. */
  List<Identity> identities() {
    Generation now = current.get();
    List<Identity> all = new ArrayList<>();
    all.add(now.fallback());
    all.addAll(now.byName().values());
    return all;
  }

  private Identity lookup(String alias) {
    if (alias == null || alias.indexOf(':') < 0) {
      return null;
    }
    int number;
    try {
      number = Integer.parseInt(alias.substring(0, alias.indexOf(':')));
    } catch (NumberFormatException e) {
      return null;
    }
    Generation now = current.get();
    if (now.number() == number) {
      return now.find(alias);
    }
    Generation before = previous;
    return before != null && before.number() == number ? before.find(alias) : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Generation now = current.get();
    String requested = requestedName(engine == null ? null : engine.getHandshakeSession());
    String name = requested == null ? null : match(now, requested);
    if (name != null && fits(now.byName().get(name), keyType)) {
      return now.aliasOf(name);
    }
    return fits(now.fallback(), keyType) ? now.aliasOf(DEFAULT) : null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    Generation now = current.get();
    for (String keyType : keyTypes) {
      if (fits(now.fallback(), keyType)) {
        return now.aliasOf(DEFAULT);
      }
    }
    return null;
  }

  /** Returns the table's name that {@code host} selects, or null for the default. */
  private static String match(Generation generation, String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (generation.byName().containsKey(lower)) {
      return lower;
    }
    int dot = lower.indexOf('.');
    if (dot > 0) {
      String wildcard = "*" + lower.substring(dot);
      if (generation.byName().containsKey(wildcard)) {
        return wildcard;
      }
    }
    return null;
  }

  static String requestedName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name.getType() == StandardConstants.SNI_HOST_NAME && name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  private static boolean fits(Identity identity, String keyType) {
    if (identity == null) {
      return false;
    }
    String algorithm = identity.privateKey().getAlgorithm();
    return keyType.equals(algorithm)
        || (keyType.equals("EdDSA") && algorithm.startsWith("Ed"))
        || (keyType.startsWith("EC") && algorithm.equals("EC"));
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Identity identity = lookup(alias);
    return identity == null ? null : identity.certificates().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Identity identity = lookup(alias);
    return identity == null ? null : identity.privateKey();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    Generation now = current.get();
    return fits(now.fallback(), keyType) ? new String[] {now.aliasOf(DEFAULT)} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return chooseEngineClientAlias(keyTypes, issuers, null);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Generation now = current.get();
    List<String> aliases = new ArrayList<>();
    if (fits(now.fallback(), keyType)) {
      aliases.add(now.aliasOf(DEFAULT));
    }
    now.byName()
        .forEach(
            (name, identity) -> {
              if (fits(identity, keyType)) {
                aliases.add(now.aliasOf(name));
              }
            });
    return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return chooseEngineServerAlias(keyType, issuers, null);
  }
}
