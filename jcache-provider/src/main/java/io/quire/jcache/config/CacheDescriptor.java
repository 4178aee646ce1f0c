package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

import io.quire.core.page.Durability;
import java.util.List;
import java.util.Optional;

/**
 * The {@code <cache>} element, and the settings a {@link CacheTemplate} gives a cache it matches. Class names stay
 * strings: resolving them needs the CacheManager's class loader, which {@link DescriptorClasses#resolve} takes.
 *
 * @param name the cache name
 * @param keyType key class name
 * @param valueType value class name
 * @param durability volatile or persistent pages
 * @param expiry the expiry policy
 * @param storeByValue JCache store-by-value
 * @param statistics whether statistics are collected
 * @param management whether the management bean is registered
 * @param readThrough read-through to the loader; requires {@code loaderFactory}
 * @param writeThrough write-through to the writer; requires {@code writerFactory}
 * @param loaderFactory class name of a {@code Factory<CacheLoader>}
 * @param writerFactory class name of a {@code Factory<CacheWriter>}
 * @param listeners listener configurations, in document order
 * @param serializerAllow class-name globs the serialiser may deserialise for this cache
 * @param location where the element was declared
 */
public record CacheDescriptor(
    String name,
    String keyType,
    String valueType,
    Durability durability,
    ExpiryDescriptor expiry,
    boolean storeByValue,
    boolean statistics,
    boolean management,
    boolean readThrough,
    boolean writeThrough,
    Optional<String> loaderFactory,
    Optional<String> writerFactory,
    List<ListenerDescriptor> listeners,
    List<String> serializerAllow,
    Location location)
    implements Locatable {

  /** @throws IllegalArgumentException if read- or write-through lacks its factory, or the name is blank */
  public CacheDescriptor {
    requireNonNull(name, "name");
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    requireNonNull(durability, "durability");
    requireNonNull(expiry, "expiry");
    requireNonNull(loaderFactory, "loaderFactory");
    requireNonNull(writerFactory, "writerFactory");
    requireNonNull(location, "location");
    listeners = List.copyOf(listeners);
    serializerAllow = List.copyOf(serializerAllow);
    if (name.isBlank()) {
      throw new IllegalArgumentException("cache name is blank");
    }
    String problem = throughProblem(readThrough, loaderFactory, writeThrough, writerFactory);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Why the read/write-through flags do not fit the factories, or null; shared with the parser's located errors. */
  static String throughProblem(boolean readThrough, Optional<String> loader, boolean writeThrough,
      Optional<String> writer) {
    if (readThrough && loader.isEmpty()) {
      return "read-through=\"true\" needs a loader-factory";
    }
    if (writeThrough && writer.isEmpty()) {
      return "write-through=\"true\" needs a writer-factory";
    }
    return null;
  }

  /** Defaults for a cache called {@code name}: Object keys and values, volatile, eternal, store-by-value. */
  public static CacheDescriptor defaults(String name) {
    return new CacheDescriptor(name, Object.class.getName(), Object.class.getName(), Durability.VOLATILE,
        ExpiryDescriptor.ETERNAL, true, false, false, false, false, Optional.empty(), Optional.empty(), List.of(),
        List.of(), Location.PROGRAMMATIC);
  }

  /** These settings under another name (how a template becomes a cache); the location stays the template's. */
  public CacheDescriptor withName(String newName) {
    return new CacheDescriptor(newName, keyType, valueType, durability, expiry, storeByValue, statistics, management,
        readThrough, writeThrough, loaderFactory, writerFactory, listeners, serializerAllow, location);
  }
}
