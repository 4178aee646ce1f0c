package io.quire.spi.transport;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Makes network transports for cluster nodes, so that a layer above grid-core (the JCache provider) can start a
 * {@link io.quire.core.ClusterNode} over whatever transport is on the classpath without a compile dependency on it.
 * Implementations are found by {@link ServiceLoader} through {@code META-INF/services/io.quire.spi.transport
 * .TransportFactory} and picked by {@link #name()}; they must have a public no-argument constructor and be safe for
 * concurrent use.
 */
public interface TransportFactory {

  /** The name a configuration selects this transport by, in lower case (e.g. {@code jgroups}). */
  String name();

  /**
   * A new, unstarted transport for {@code node}.
   *
   * @param runtime times the transport's requests; owned by the caller, who closes it after the transport
   * @throws io.quire.core.GridConfigurationException if the settings are not valid for this transport
   */
  Transport create(NodeId node, TransportSettings settings, GridRuntime runtime);

  /** The factory named {@code name} among those {@code loader} can see, if any. */
  static Optional<TransportFactory> find(String name, ClassLoader loader) {
    for (TransportFactory factory : ServiceLoader.load(TransportFactory.class, loader)) {
      if (factory.name().equals(name)) {
        return Optional.of(factory);
      }
    }
    return Optional.empty();
  }
}
