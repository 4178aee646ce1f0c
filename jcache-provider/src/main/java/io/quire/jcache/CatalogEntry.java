package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;

/**
 * One cache in a {@link CacheCatalog}.
 *
 * @param name the cache's name
 * @param rangeStart the first page of the cache's range (its store descriptor)
 * @param keyType the configured key type's class name
 * @param valueType the configured value type's class name
 * @param durability the durability of the cache's pages
 */
record CatalogEntry(String name, GlobalAddress rangeStart, String keyType, String valueType, Durability durability) {

  CatalogEntry {
    requireNonNull(name, "name");
    requireNonNull(rangeStart, "rangeStart");
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    requireNonNull(durability, "durability");
  }
}
