package io.torsion.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules that keep Torsion's layers apart, checked on the compiled classes of every
 * module.
 */
class ArchitectureTest {
  private static final String[] CORE = {
    "io.torsion", "io.torsion.spi..", "io.torsion.tls", "io.torsion.internal.."
  };
  private static JavaClasses classes;

  @BeforeAll
  static void importEverything() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.torsion");
  }

  @Test
  void everyModuleWasImported() {
    assertPresent(
        "io.torsion.Reactor",
        "io.torsion.testing.Clock",
        "io.torsion.transport.netty.NettyTransport",
        "io.torsion.transport.nio.NioReactorProvider",
        "io.torsion.transport.epoll.EpollReactorProvider",
        "io.torsion.transport.iouring.IoUringReactorProvider",
        "io.torsion.transport.kqueue.KQueueReactorProvider",
        "io.torsion.transport.windows.IocpReactorProvider",
        "io.torsion.posix.FileDescriptorLimit",
        "io.torsion.protocols.echo.Echo",
        "io.torsion.protocols.line.LineReceiver",
        "io.torsion.protocols.unification.PortUnification",
        "io.torsion.examples.Demo");
  }

  @Test
  void coreDependsOnTheJdkOnly() {
    classes()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            Stream.concat(
                    Stream.of(
                        "java..",
                        "javax.net.ssl..",
                        "javax.crypto..",
                        "javax.security.auth.x500.."),
                    Stream.of(CORE))
                .toArray(String[]::new))
        .check(classes);
  }

  @Test
  void nothingOutsideTheTransportsTouchesNettyOrJna() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.torsion.transport..", "io.torsion.tls.openssl..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .because("Netty is a transport's, and the OpenSSL TLS engine's (netty-tcnative), only")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackages("io.torsion.transport..", "io.torsion.posix..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.sun.jna..")
        .check(classes);
  }

  @Test
  void noPublicSignatureOfTheApiExposesNettyJnaOrInternals() {
    classes()
        .that()
        .resideInAnyPackage(
            "io.torsion",
            "io.torsion.spi..",
            "io.torsion.tls",
            "io.torsion.protocols..",
            "io.torsion.micrometer..",
            "io.torsion.testing..")
        .and()
        .arePublic()
        .should(exposeNoneOf("io.netty.", "com.sun.jna.", "io.torsion.internal."))
        .check(classes);
  }

  @Test
  void protocolsDependOnTheCoreApiOnly() {
    classes()
        .that()
        .resideInAPackage("io.torsion.protocols..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.torsion",
            "io.torsion.tls",
            "io.torsion.endpoints",
            "io.torsion.protocols..")
        .check(classes);
  }

  @Test
  void theMetricsModuleUsesTheApiAndMicrometerOnly() {
    classes()
        .that()
        .resideInAPackage("io.torsion.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.torsion",
            "io.torsion.protocols..",
            "io.torsion.micrometer..",
            "io.micrometer..")
        .check(classes);
  }

  @Test
  void transportsDoNotDependOnProtocolsTestingOrExamples() {
    noClasses()
        .that()
        .resideInAPackage("io.torsion.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.torsion.protocols..", "io.torsion.testing..", "io.torsion.examples..")
        .check(classes);
  }

  @Test
  void onlyTheExamplesUseTheExamplesAndTheTestingKitStaysOutOfProduction() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.torsion.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.examples..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.torsion.transport..", "io.torsion.protocols..", "io.torsion.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.testing..")
        .check(classes);
  }

  @Test
  void everyInternalPackageIsCovered() {
    classes()
        .that()
        .resideInAPackage("..internal..")
        .should()
        .resideInAnyPackage(
            "io.torsion.internal..",
            "io.torsion.transport.netty.internal..",
            "io.torsion.posix.internal..",
            "io.torsion.protocols.http.internal..",
            "io.torsion.protocols.websocket.internal..")
        .because("each internal package has a rule below keeping other modules out of it")
        .check(classes);
  }

  @Test
  void internalPackagesAreUsedOnlyWithinTheirOwnModule() {
    // The runtime is core's alone: transports, protocols, test doubles and examples see the API and
    // the SPI only (the module descriptor does not export it either).
    noClasses()
        .that()
        .resideOutsideOfPackages(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.internal..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.torsion.transport.netty..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.transport.netty.internal..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.torsion.posix..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.posix.internal..")
        .check(classes);
    noClasses() // what the HTTP server and client share
        .that()
        .resideOutsideOfPackage("io.torsion.protocols.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.protocols.http.internal..")
        .check(classes);
    noClasses() // WebSocket framing, shared by its server and client
        .that()
        .resideOutsideOfPackage("io.torsion.protocols.websocket..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.torsion.protocols.websocket.internal..")
        .check(classes);
  }

  /**
   * No package cycles, with deliberate exceptions of one kind: {@code Reactor.create()} calls the
   * selector in {@code io.torsion.internal}, which uses the API it creates, and may be given the
   * provider to use (as {@code java.nio.channels.Selector.open()} calls its own SPI); and TLS
   * options make their engines through the TLS engine SPI ({@code io.torsion.spi.Tls*}), whose
   * providers are found the same way; and {@code Inline.run} starts its body on a strand of the
   * reactor ({@code io.torsion.internal.Strand}), which only the reactor can hand its loop to. And
   * one of another kind: the HTTP message parser and body that the server and the client share
   * ({@code io.torsion.protocols.http.internal}) speak the module's message types ({@code
   * HttpHeaders}, {@code HttpError}, {@code BodyReceiver}, {@code RequestBody}, {@code BodyStream},
   * {@code ResponseBody}), which live with the server's API in {@code io.torsion.protocols.http}.
   */
  private static final java.util.Set<String> HTTP_MESSAGE_TYPES =
      java.util.Set.of(
          "HttpHeaders", "HttpError", "BodyReceiver", "RequestBody", "BodyStream", "ResponseBody");

  @Test
  void packagesAreFreeOfCycles() {
    slices()
        .assignedFrom(byPackage())
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            DescribedPredicate.describe(
                "io.torsion.Reactor", (JavaClass c) -> c.getName().equals("io.torsion.Reactor")),
            DescribedPredicate.describe(
                "the transport selector or a provider",
                (JavaClass c) ->
                    c.getName().startsWith("io.torsion.internal.TransportSelector")
                        || c.getName().equals("io.torsion.spi.ReactorProvider")))
        .ignoreDependency(
            DescribedPredicate.describe(
                "io.torsion.Inline", (JavaClass c) -> c.getName().startsWith("io.torsion.Inline")),
            DescribedPredicate.describe(
                "the reactor's strands",
                (JavaClass c) ->
                    c.getName().equals("io.torsion.internal.Strand")
                        || c.getName().equals("io.torsion.internal.DefaultReactor")))
        .ignoreDependency(
            DescribedPredicate.describe(
                "TLS options and engines",
                (JavaClass c) -> c.getPackageName().equals("io.torsion.tls")),
            DescribedPredicate.describe(
                "the TLS engine SPI",
                (JavaClass c) ->
                    c.getPackageName().equals("io.torsion.spi")
                        && (c.getSimpleName().startsWith("Tls")
                            || c.getSimpleName().equals("Availability"))))
        .ignoreDependency(
            DescribedPredicate.describe(
                "HTTP's shared parser and body",
                (JavaClass c) -> c.getPackageName().equals("io.torsion.protocols.http.internal")),
            DescribedPredicate.describe(
                "HTTP's message types",
                (JavaClass c) ->
                    c.getPackageName().equals("io.torsion.protocols.http")
                        && HTTP_MESSAGE_TYPES.contains(c.getSimpleName())))
        .check(classes);
  }

  private static SliceAssignment byPackage() {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        return SliceIdentifier.of(javaClass.getPackageName());
      }

      @Override
      public String getDescription() {
        return "one slice per package";
      }
    };
  }

  private static ArchCondition<JavaClass> exposeNoneOf(String... prefixes) {
    return new ArchCondition<>(
        "expose no type from " + String.join(", ", prefixes) + " in a public signature") {
      @Override
      public void check(JavaClass owner, ConditionEvents events) {
        for (JavaCodeUnit unit : owner.getCodeUnits()) {
          if (!unit.getModifiers().contains(JavaModifier.PUBLIC)
              && !unit.getModifiers().contains(JavaModifier.PROTECTED)) {
            continue;
          }
          Set<JavaClass> involved = new HashSet<>(unit.getRawParameterTypes());
          involved.add(unit.getRawReturnType());
          involved.addAll(unit.getExceptionTypes());
          report(owner, unit.getFullName(), involved, events, prefixes);
        }
        for (JavaField field : owner.getFields()) {
          if (field.getModifiers().contains(JavaModifier.PUBLIC)
              || field.getModifiers().contains(JavaModifier.PROTECTED)) {
            report(owner, field.getFullName(), Set.of(field.getRawType()), events, prefixes);
          }
        }
      }
    };
  }

  private static void report(
      JavaClass owner,
      String member,
      Set<JavaClass> types,
      ConditionEvents events,
      String... prefixes) {
    for (JavaClass type : types) {
      for (String prefix : prefixes) {
        if (type.getName().startsWith(prefix)) {
          events.add(SimpleConditionEvent.violated(owner, member + " exposes " + type.getName()));
        }
      }
    }
  }

  private static void assertPresent(String... names) {
    for (String name : names) {
      if (!classes.contain(name)) {
        throw new AssertionError("not imported, so no rule checks it: " + name);
      }
    }
  }
}
