/**
 * For transport authors: the {@link io.torsion.spi.ReactorProvider} service that {@link
 * io.torsion.Reactor#create()} discovers with {@link java.util.ServiceLoader}, how a provider says
 * whether it can run ({@link io.torsion.spi.Availability}) and for which {@link
 * io.torsion.spi.Platform}, and the {@link io.torsion.spi.TimerQueue} every reactor (and the test
 * clock) schedules with. Applications do not need this package.
 */
package io.torsion.spi;
