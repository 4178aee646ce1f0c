package io.quire.spring;

import static java.util.Objects.requireNonNull;

import io.quire.jcache.QuireCacheManager;
import io.quire.jcache.config.NodeDescriptor;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of a JCache manager on Quire ({@code /actuator/health/quire}): UP while the manager is open, DOWN once it
 * is closed, with the manager's URI, its caches and their count, and the node settings of its descriptor (as
 * configured: the provider does not expose cluster membership, so whether {@code k} copies are held now cannot be
 * reported from here).
 */
public final class QuireHealthIndicator implements HealthIndicator {
  private final CacheManager manager;

  /** @param manager the manager to report on */
  public QuireHealthIndicator(CacheManager manager) {
    this.manager = requireNonNull(manager, "manager");
  }

  @Override
  public Health health() {
    Health.Builder health = manager.isClosed() ? Health.down() : Health.up();
    health.withDetail("uri", manager.getURI().toString());
    if (manager.isClosed()) {
      return health.withDetail("closed", true).build();
    }
    List<String> caches = new ArrayList<>();
    manager.getCacheNames().forEach(caches::add);
    health.withDetail("cacheCount", caches.size()).withDetail("caches", caches);
    if (manager instanceof QuireCacheManager quire) {
      NodeDescriptor node = quire.descriptor().node();
      health.withDetail("node", node.effectiveName())
          .withDetail("cluster", node.cluster())
          .withDetail("group", node.group())
          .withDetail("transport", node.transport().name().toLowerCase(java.util.Locale.ROOT))
          .withDetail("replication", node.replication())
          .withDetail("members", quire.gridMetrics().members());
    }
    return health.build();
  }
}
