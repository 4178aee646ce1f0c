package io.quire.spring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The {@code quire.*} properties of the Quire starter.
 *
 * <p>Where the manager's node and caches come from, first match wins: {@code quire.config}; Boot's
 * {@code spring.cache.jcache.config}; a descriptor generated from {@code quire.node.*} and
 * {@code quire.serializer.allow} when any of them is set; {@code classpath:quire.xml} when it exists; otherwise the
 * provider's default manager (one node, temporary data). The node settings exist only in descriptors (the provider
 * has no programmatic node API), so {@code quire.node.*} together with a descriptor is refused rather than ignored.
 */
@ConfigurationProperties("quire")
public class QuireProperties {

  /**
   * Location of the Quire cache descriptor (quire-cache-1.0.xsd), such as classpath:quire.xml or
   * file:/etc/quire.xml. Takes precedence over spring.cache.jcache.config.
   */
  private Resource config;

  /** Caches to create at startup when neither the descriptor nor another customizer has created them. */
  private List<String> cacheNames = new ArrayList<>();

  /**
   * Whether the caches of quire.cache-names, and those of a generated descriptor, collect JCache statistics (Boot's
   * cache metrics read them).
   */
  private boolean statistics;

  private final Node node = new Node();

  private final Serializer serializer = new Serializer();

  public Resource getConfig() {
    return config;
  }

  public void setConfig(Resource config) {
    this.config = config;
  }

  public List<String> getCacheNames() {
    return cacheNames;
  }

  public void setCacheNames(List<String> cacheNames) {
    this.cacheNames = cacheNames;
  }

  public boolean isStatistics() {
    return statistics;
  }

  public void setStatistics(boolean statistics) {
    this.statistics = statistics;
  }

  public Node getNode() {
    return node;
  }

  public Serializer getSerializer() {
    return serializer;
  }

  /** Whether a descriptor must be generated from these properties (no descriptor of the user's is named). */
  boolean describesNode() {
    return node.isSet() || !serializer.getAllow().isEmpty();
  }

  /**
   * The grid node's settings: the attributes of the descriptor's {@code <node>} element, used only when no
   * descriptor is given (they are written into a generated one). Unset values take the descriptor's defaults.
   */
  public static class Node {

    /** Node name, used in logs and in the default data directory. Default: "node". */
    private String name;

    /** Cluster name; nodes join only peers with the same name. Default: "quire". */
    private String cluster;

    /** Failure-group path such as site-a/rack-1; replicas are spread across groups. Default: "default". */
    private String group;

    /** Most bytes of pages the node keeps in RAM before paging out to disk. Default: 64MB. */
    private DataSize ramBudget;

    /** Replication factor k, copies kept of each durable page, 1 to 16. Default: 2. */
    private Integer replication;

    /**
     * The node's data directory, one per node. Default: ${java.io.tmpdir}/quire/{cluster}/{name}, which two
     * applications on one machine would share: set it.
     */
    private Path dataDirectory;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getCluster() {
      return cluster;
    }

    public void setCluster(String cluster) {
      this.cluster = cluster;
    }

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }

    public DataSize getRamBudget() {
      return ramBudget;
    }

    public void setRamBudget(DataSize ramBudget) {
      this.ramBudget = ramBudget;
    }

    public Integer getReplication() {
      return replication;
    }

    public void setReplication(Integer replication) {
      this.replication = replication;
    }

    public Path getDataDirectory() {
      return dataDirectory;
    }

    public void setDataDirectory(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
    }

    boolean isSet() {
      return name != null || cluster != null || group != null || ramBudget != null || replication != null
          || dataDirectory != null;
    }
  }

  /** Serialiser settings for the caches of a generated descriptor. */
  public static class Serializer {

    /**
     * Classes, beyond the JDK's value types, that cache keys and values may hold: exact binary names or package
     * patterns such as com.example.*. Written into the generated descriptor's catch-all template.
     */
    private List<String> allow = new ArrayList<>();

    public List<String> getAllow() {
      return allow;
    }

    public void setAllow(List<String> allow) {
      this.allow = allow;
    }
  }
}
