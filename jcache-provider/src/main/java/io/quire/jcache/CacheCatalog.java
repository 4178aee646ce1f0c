package io.quire.jcache;

import io.quire.core.address.GlobalAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Where a grid records which caches it holds: cache name to the first page of the cache's range, and what another
 * node needs to open it (key and value types, durability). A single node keeps it in a file of its data directory
 * ({@link FileCacheCatalog}); a cluster keeps it in pages at well-known addresses that every node reaches ({@link
 * PageCacheCatalog}). Implementations are safe for concurrent use, and a name is recorded at most once: of two
 * concurrent {@link #recordIfAbsent} calls for one name, one wins and both get the winner.
 */
interface CacheCatalog {

  /** The cache recorded under {@code name}, if any. */
  Optional<CatalogEntry> find(String name);

  /**
   * Records {@code entry} unless its name is recorded already.
   *
   * @return what the catalog holds for the name afterwards: {@code entry} itself, or the entry recorded before
   */
  CatalogEntry recordIfAbsent(CatalogEntry entry);

  /** Removes {@code name} if it still names the range at {@code rangeStart} (not a cache re-created since). */
  void forget(String name, GlobalAddress rangeStart);

  /** Every recorded name. */
  Set<String> names();
}
