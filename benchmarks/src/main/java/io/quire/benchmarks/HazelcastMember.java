package io.quire.benchmarks;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded Hazelcast members of the benchmarks: {@link #start} is {@link JCacheBench}'s {@code hazelcast} provider,
 * one member alone on 127.0.0.1, with every way of finding others switched off (multicast, TCP/IP members, auto-detection), no phone-home,
 * no metrics collection, Jet off, and a cluster name of its own so that concurrent runs never join each other. The
 * rest is Hazelcast's defaults (271 partitions, operation threads by core count), which is what an application that
 * embeds a member gets. {@link #startClustered} is the same member joining one other over TCP/IP ({@link TwoNodeBench}).
 *
 * <p>{@link HazelcastCachingProvider} delegates to its client provider unless the system property
 * {@value #PROVIDER_TYPE} says {@code member}, so {@link #start} sets it; the provider then takes this instance from
 * {@link #managerProperties()} instead of starting one from a config file. The member is shut down by
 * {@link #shutdown}, after the provider is closed.
 */
final class HazelcastMember {
  static final String PROVIDER_TYPE = "hazelcast.jcache.provider.type";
  // JUL keeps loggers weakly: hold it, or the level set below is lost with the logger.
  private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");

  private final HazelcastInstance instance;

  private HazelcastMember(HazelcastInstance instance) {
    this.instance = instance;
  }

  /** Starts the member; call before {@code Caching.getCachingProvider} names Hazelcast's provider. */
  static HazelcastMember start() {
    String name = "quire-bench-" + UUID.randomUUID();
    Config config = config(name, name);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
    return new HazelcastMember(Hazelcast.newHazelcastInstance(config));
  }

  /**
   * Starts a member of cluster {@code clusterName} on 127.0.0.1:{@code port} (no port auto-increment) that joins the
   * members on {@code memberPorts} of 127.0.0.1 over TCP/IP, the only discovery it has ({@link TwoNodeBench}: one
   * member in each of two JVMs). Every cache it creates keeps Hazelcast's default of one synchronous backup.
   */
  static HazelcastMember startClustered(String clusterName, String instanceName, int port, List<Integer> memberPorts) {
    Config config = config(clusterName, instanceName);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    TcpIpConfig tcpIp = network.getJoin().getTcpIpConfig().setEnabled(true);
    for (int memberPort : memberPorts) {
      tcpIp.addMember("127.0.0.1:" + memberPort);
    }
    return new HazelcastMember(Hazelcast.newHazelcastInstance(config));
  }

  private static Config config(String clusterName, String instanceName) {
    System.setProperty(PROVIDER_TYPE, "member");
    HAZELCAST_LOGGER.setLevel(Level.WARNING); // its INFO start-up banner and partition tables are not benchmark output

    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName(instanceName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the tear-down shuts it down
    config.getMetricsConfig().setEnabled(false);
    config.getJetConfig().setEnabled(false);

    NetworkConfig network = config.getNetworkConfig();
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    return config;
  }

  /** What {@code CachingProvider.getCacheManager(uri, loader, properties)} needs to use this member. */
  Properties managerProperties() {
    return HazelcastCachingProvider.propertiesByInstanceItself(instance);
  }

  /** How many members the member sees: 1, or the benchmark is not measuring a single member. */
  int clusterSize() {
    return instance.getCluster().getMembers().size();
  }

  /** The member itself, for what the JCache API cannot ask (partition owners, cluster safety). */
  HazelcastInstance instance() {
    return instance;
  }

  void shutdown() {
    instance.shutdown();
  }
}
