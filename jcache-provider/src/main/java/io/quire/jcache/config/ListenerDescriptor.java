package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

/**
 * The {@code <listener>} element. The factory stays a class name until {@link DescriptorClasses#resolve} resolves it
 * with the CacheManager's class loader.
 *
 * @param factory class name of a {@code Factory<CacheEntryListener>}
 * @param oldValueRequired whether events carry the old value
 * @param synchronous whether the cache operation waits for the listener
 * @param location where the element was declared
 */
public record ListenerDescriptor(String factory, boolean oldValueRequired, boolean synchronous, Location location)
    implements Locatable {

  public ListenerDescriptor {
    requireNonNull(factory, "factory");
    requireNonNull(location, "location");
  }
}
