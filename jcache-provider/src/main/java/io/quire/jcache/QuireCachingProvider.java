package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.address.PageSize;
import io.quire.jcache.config.DescriptorException;
import io.quire.jcache.config.DescriptorParser;
import io.quire.jcache.config.NodeDescriptor;
import io.quire.jcache.config.QuireDescriptor;
import io.quire.spi.transport.TransportFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * Quire's JCache provider, found by {@code Caching.getCachingProvider()} through {@code META-INF/services}.
 *
 * <p>URIs: {@code classpath:...}, {@code file:...} and {@code jar:...} name an XML descriptor (see
 * {@code quire-cache-1.0.xsd}) that configures the node and its caches; the {@linkplain #getDefaultURI() default
 * URI}, and any other URI, give a manager with default settings on a single in-JVM node whose data lives in a
 * temporary directory for as long as a manager uses it. There is one manager per (URI, ClassLoader); managers configured for the same node (the same data
 * directory, or the default) share one grid node, so a Spring context and Hibernate asking for the same descriptor
 * never start two.
 *
 * <p>Lock discipline: every method that reads or changes {@code managers} or {@code grids} synchronizes on this.
 */
public final class QuireCachingProvider implements CachingProvider {
  /** The URI of the default manager: default settings, no descriptor. */
  public static final URI DEFAULT_URI = URI.create("urn:io.quire:default");

  /**
   * System property: when set to N (at least 2), managers without a descriptor run on node 1 of an N-node cluster in
   * this JVM (in-JVM transport, {@code k} = 2) instead of a single node. Meant for tests, such as the TCK's clustered
   * pass, and for trying a cluster without a network.
   */
  public static final String IN_JVM_CLUSTER_PROPERTY = "quire.default.cluster-nodes";

  private static final String JGROUPS = "jgroups";

  private final Map<ClassLoader, Map<URI, QuireCacheManager>> managers = new WeakHashMap<>();
  private final Map<String, SharedGrid> grids = new HashMap<>();

  @Override
  public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    Map<URI, QuireCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
    QuireCacheManager manager = byUri.get(managerUri);
    if (manager != null && !manager.isClosed()) {
      return manager;
    }
    QuireDescriptor descriptor = isDescriptor(managerUri)
        ? new DescriptorParser().parse(managerUri, loader)
        : QuireDescriptor.empty();
    String gridKey = gridKey(managerUri, descriptor);
    SharedGrid shared = grids.get(gridKey);
    if (shared == null) {
      shared = new SharedGrid(openGrid(managerUri, descriptor, loader));
      grids.put(gridKey, shared);
    }
    shared.users++;
    SharedGrid grid = shared;
    QuireCacheManager[] created = new QuireCacheManager[1];
    try {
      created[0] = new QuireCacheManager(this, managerUri, loader, props, descriptor, grid.grid,
          () -> released(loader, managerUri, created[0], gridKey, grid));
    } catch (RuntimeException e) {
      releaseGrid(gridKey, grid);
      throw e;
    }
    byUri.put(managerUri, created[0]);
    return created[0];
  }

  /**
   * Makes a cluster node that the caller runs the grid of every manager this provider opens for a descriptor whose
   * {@code <node>} names {@code dataDirectory}: how the {@code quire node} launcher exposes its node's caches to JCache
   * clients in its JVM. Managers never close the node; the caller closes the returned handle (managers still open
   * then keep using the node until they close) and then leaves or closes the node itself.
   *
   * @throws IllegalStateException if a grid node of this provider already runs for {@code dataDirectory}
   */
  public synchronized AutoCloseable attach(ClusterNode node, Path dataDirectory, PageSize pageSize) {
    String gridKey = dataDirectory.toAbsolutePath().normalize().toString();
    if (grids.containsKey(gridKey)) {
      throw new IllegalStateException("a grid node already runs for data directory " + gridKey);
    }
    SharedGrid shared = new SharedGrid(ClusterGrid.attach(node, pageSize, "node " + node.id() + " at " + gridKey));
    shared.users = 1;
    grids.put(gridKey, shared);
    java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (detached.compareAndSet(false, true)) {
        releaseGrid(gridKey, shared);
      }
    };
  }

  private static boolean isDescriptor(URI uri) {
    String scheme = uri.getScheme();
    return "classpath".equals(scheme) || "file".equals(scheme) || "jar".equals(scheme);
  }

  private static String gridKey(URI uri, QuireDescriptor descriptor) {
    if (!isDescriptor(uri)) {
      return "default";
    }
    return descriptor.node().effectiveDataDirectory().toAbsolutePath().normalize().toString();
  }

  private static Grid openGrid(URI uri, QuireDescriptor descriptor, ClassLoader loader) {
    NodeDescriptor node = descriptor.node();
    if (!isDescriptor(uri)) {
      String clusterNodes = System.getProperty(IN_JVM_CLUSTER_PROPERTY);
      if (clusterNodes != null && !clusterNodes.isBlank()) {
        int size;
        try {
          size = Integer.parseInt(clusterNodes.strip());
        } catch (NumberFormatException e) {
          throw new CacheException("system property " + IN_JVM_CLUSTER_PROPERTY + " must be a number of nodes, not '"
              + clusterNodes + "'");
        }
        return InJvmClusterGrid.open(size, GridConfig.defaults(Path.of(".")).withPageSize(node.pageSize())
            .withRamBudgetBytes(node.ramBudgetBytes()));
      }
      try {
        Path temp = Files.createTempDirectory("quire-default-");
        return SingleNodeGrid.open(GridConfig.defaults(temp).withPageSize(node.pageSize())
            .withRamBudgetBytes(node.ramBudgetBytes()), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a data directory for the default grid node", e);
      }
    }
    if (node.transport() == io.quire.jcache.config.Transport.JGROUPS) {
      return ClusterGrid.open(node, transportFactory(JGROUPS, node, loader));
    }
    return SingleNodeGrid.open(node.toGridConfig(), false);
  }

  /**
   * The transport named {@code name}, as the manager's class loader sees it: a network transport is an optional
   * module ({@code io.quire:jgroups-transport}), so single-node users never carry JGroups.
   */
  private static TransportFactory transportFactory(String name, NodeDescriptor node, ClassLoader loader) {
    Optional<TransportFactory> found = TransportFactory.find(name, loader);
    return found.orElseThrow(() -> new DescriptorException(node.location(), "<node transport=\"" + name + "\">",
        "no " + name + " transport on the classpath; add the io.quire:jgroups-transport module (it registers "
        + TransportFactory.class.getName() + " '" + name + "'), or use transport=\"local\""));
  }

  // Called once by a manager as it closes.
  private synchronized void released(ClassLoader loader, URI uri, QuireCacheManager manager, String gridKey,
      SharedGrid grid) {
    Map<URI, QuireCacheManager> byUri = managers.get(loader);
    if (byUri != null && byUri.get(uri) == manager) {
      byUri.remove(uri);
      if (byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
    releaseGrid(gridKey, grid);
  }

  private synchronized void releaseGrid(String gridKey, SharedGrid grid) {
    if (--grid.users == 0) {
      grids.remove(gridKey, grid);
      grid.grid.close();
    }
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return loader != null ? loader : QuireCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public void close() {
    List<QuireCacheManager> all = new ArrayList<>();
    synchronized (this) {
      managers.values().forEach(byUri -> all.addAll(byUri.values()));
    }
    all.forEach(QuireCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    List<QuireCacheManager> all;
    synchronized (this) {
      Map<URI, QuireCacheManager> byUri = managers.get(loader);
      all = byUri == null ? List.of() : new ArrayList<>(byUri.values());
    }
    all.forEach(QuireCacheManager::close);
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    QuireCacheManager manager;
    synchronized (this) {
      Map<URI, QuireCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.get(managerUri);
    }
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    requireNonNull(optionalFeature, "optionalFeature");
    // Store-by-reference keeps objects in one JVM's heap: offered while default managers run on a single node.
    return optionalFeature == OptionalFeature.STORE_BY_REFERENCE
        && System.getProperty(IN_JVM_CLUSTER_PROPERTY, "").isBlank();
  }

  /** A grid node and the number of open managers on it; guarded by the provider's lock. */
  private static final class SharedGrid {
    final Grid grid;
    int users;

    SharedGrid(Grid grid) {
      this.grid = grid;
    }
  }
}
