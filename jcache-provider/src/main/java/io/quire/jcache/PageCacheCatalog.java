package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.page.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.CacheException;

/**
 * The cache catalog of a cluster, in pages of the grid that every node reaches at the same addresses: the first
 * {@value #BUCKETS} pages of the cluster region ({@link AddressSpaceLayout#clusterPage}). A cache name belongs to
 * bucket {@code floorMod(name.hashCode(), BUCKETS)} ({@code String.hashCode} is specified, so every JVM agrees); a
 * bucket is one page in the {@link CatalogPage} format. The pages are persistent and kept on {@code k} nodes like any
 * other, so the catalog is as durable as the caches it names.
 *
 * <p>Concurrency: the page's owner serialises changes. {@link #recordIfAbsent} and {@link #forget} are one atomic
 * {@link Memory#update} of the name's bucket page each, which reads the page, checks and writes it under the page's
 * write privilege: a compare-and-set, so of two nodes recording one name at once exactly one wins. Reads go through
 * the node's coherent read copy. No state is kept here.
 */
final class PageCacheCatalog implements CacheCatalog {
  /** Bucket pages: with 4 KiB pages and short names, room for well over a thousand caches. */
  static final int BUCKETS = 32;

  private final Memory memory;
  private final AddressSpaceLayout layout;
  private final PageSize pageSize;

  PageCacheCatalog(Memory memory, PageSize pageSize) {
    this.memory = requireNonNull(memory, "memory");
    this.pageSize = requireNonNull(pageSize, "pageSize");
    this.layout = new AddressSpaceLayout(pageSize);
  }

  static int bucketOf(String name, int buckets) {
    return Math.floorMod(name.hashCode(), buckets);
  }

  /** The address of bucket {@code bucket}'s page. */
  GlobalAddress pageOf(int bucket) {
    return layout.clusterPage(bucket);
  }

  @Override
  public Optional<CatalogEntry> find(String name) {
    requireNonNull(name, "name");
    return entries(bucketOf(name, BUCKETS)).stream().filter(e -> e.name().equals(name)).findFirst();
  }

  @Override
  public CatalogEntry recordIfAbsent(CatalogEntry entry) {
    requireNonNull(entry, "entry");
    int bucket = bucketOf(entry.name(), BUCKETS);
    GlobalAddress address = pageOf(bucket);
    // The function may run more than once (on another attempt); each run sets these anew. Exceptions are carried out
    // rather than thrown inside the update, which runs on the node's engine thread.
    RuntimeException[] failure = new RuntimeException[1];
    Page page = memory.update(address, bytes -> {
      failure[0] = null;
      try {
        List<CatalogEntry> entries = new ArrayList<>(CatalogPage.decode(address, bucket, BUCKETS, bytes));
        if (entries.stream().anyMatch(e -> e.name().equals(entry.name()))) {
          return bytes;
        }
        entries.add(entry);
        byte[] updated = CatalogPage.encode(bucket, entries, pageSize.bytes());
        if (updated == null) {
          failure[0] = new CacheException("cannot record cache '" + entry.name() + "': catalog page " + address
              + " (bucket " + bucket + ") is full with " + (entries.size() - 1) + " caches; destroy caches no "
              + "longer used or choose names that hash elsewhere");
          return bytes;
        }
        return updated;
      } catch (RuntimeException e) {
        failure[0] = e;
        return bytes;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    return CatalogPage.decode(address, bucket, BUCKETS, page.toByteArray()).stream()
        .filter(e -> e.name().equals(entry.name())).findFirst()
        .orElseThrow(() -> new IllegalStateException("catalog page " + address + " lost '" + entry.name() + "'"));
  }

  @Override
  public void forget(String name, GlobalAddress rangeStart) {
    requireNonNull(name, "name");
    requireNonNull(rangeStart, "rangeStart");
    int bucket = bucketOf(name, BUCKETS);
    GlobalAddress address = pageOf(bucket);
    RuntimeException[] failure = new RuntimeException[1];
    memory.update(address, bytes -> {
      failure[0] = null;
      try {
        List<CatalogEntry> entries = new ArrayList<>(CatalogPage.decode(address, bucket, BUCKETS, bytes));
        if (!entries.removeIf(e -> e.name().equals(name) && e.rangeStart().equals(rangeStart))) {
          return bytes;
        }
        return CatalogPage.encode(bucket, entries, pageSize.bytes());
      } catch (RuntimeException e) {
        failure[0] = e;
        return bytes;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  @Override
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      entries(bucket).forEach(e -> names.add(e.name()));
    }
    return names;
  }

  private List<CatalogEntry> entries(int bucket) {
    GlobalAddress address = pageOf(bucket);
    return CatalogPage.decode(address, bucket, BUCKETS, memory.read(address).toByteArray());
  }

  @Override
  public String toString() {
    return "cache catalog in cluster pages " + pageOf(0) + ".." + pageOf(BUCKETS - 1);
  }
}
