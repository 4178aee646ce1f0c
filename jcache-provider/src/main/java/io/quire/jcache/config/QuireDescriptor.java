package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole descriptor document: the node, the declared caches (in document order) and the templates.
 *
 * @param source the document's URI, empty when built in code or parsed from a stream
 * @param node the node settings ({@link NodeDescriptor#defaults()} when the document has no {@code <node>})
 * @param caches declared caches by name, in document order
 * @param templates templates in document order; the first match wins
 */
public record QuireDescriptor(
    Optional<URI> source, NodeDescriptor node, Map<String, CacheDescriptor> caches, List<CacheTemplate> templates) {

  /** @throws IllegalArgumentException if a map key differs from its cache's name */
  public QuireDescriptor {
    requireNonNull(source, "source");
    requireNonNull(node, "node");
    // Map.copyOf would lose document order, which users see in listings and logs.
    caches = Collections.unmodifiableMap(new LinkedHashMap<>(caches));
    templates = List.copyOf(templates);
    caches.forEach((name, cache) -> {
      if (!name.equals(cache.name())) {
        throw new IllegalArgumentException("cache '" + cache.name() + "' is filed under '" + name + "'");
      }
    });
  }

  /** No caches, no templates, a default node. */
  public static QuireDescriptor empty() {
    return new QuireDescriptor(Optional.empty(), NodeDescriptor.defaults(), Map.of(), List.of());
  }

  /**
   * The settings for a cache called {@code name}: the declared cache if there is one, else the first template in
   * document order whose glob matches, renamed to {@code name}.
   */
  public Optional<CacheDescriptor> cacheOrTemplate(String name) {
    CacheDescriptor declared = caches.get(name);
    if (declared != null) {
      return Optional.of(declared);
    }
    return templates.stream().filter(t -> t.matches(name)).findFirst().map(t -> t.forCache(name));
  }
}
