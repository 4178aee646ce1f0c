package io.quire.spring;

import static java.util.Objects.requireNonNull;

import io.quire.jcache.QuireCacheManager;
import io.quire.jcache.ReplicationStatus;
import io.quire.jcache.config.NodeDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.cache.CacheManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of a JCache manager on Quire ({@code /actuator/health/quire}): UP while the manager is open, DOWN once it
 * is closed, with the manager's URI, its caches and their count, the node settings of its descriptor, the members of
 * the node's view, {@code k} and whether it is satisfied ({@code replication}: satisfied, pending or unknown).
 *
 * <p>Pending replication leaves the status UP, by design: it is the normal, transient state after any view change (a
 * member joins, leaves or fails) while the grid rebuilds its copies, and every operation still works; DOWN or
 * OUT_OF_SERVICE would make load balancers and orchestrators pull or restart healthy nodes exactly when the cluster
 * needs them. Alert on {@code replication} staying pending instead. A view smaller than {@code k} is reported too
 * ({@code replicationNote}), as on a single node with the default {@code k} = 2.
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
      ReplicationStatus replication = quire.replicationStatus();
      health.withDetail("node", node.effectiveName())
          .withDetail("cluster", node.cluster())
          .withDetail("group", node.group())
          .withDetail("transport", node.transport().name().toLowerCase(Locale.ROOT))
          .withDetail("members", replication.members())
          .withDetail("k", replication.k())
          .withDetail("replication", replication.state().name().toLowerCase(Locale.ROOT));
      if (replication.limitedByMembers()) {
        health.withDetail("replicationNote", replication.toString());
      }
    }
    return health.build();
  }
}
