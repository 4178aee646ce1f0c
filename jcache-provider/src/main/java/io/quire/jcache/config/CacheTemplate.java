package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

/**
 * The {@code <cache-template>} element: cache settings for on-demand caches whose name matches a {@link Glob}.
 *
 * @param match the glob over cache names, e.g. {@code org.hibernate.*}
 * @param settings the settings; {@code settings.name()} is the template's own name
 */
public record CacheTemplate(String match, CacheDescriptor settings) implements Locatable {

  public CacheTemplate {
    requireNonNull(match, "match");
    requireNonNull(settings, "settings");
    if (match.isEmpty()) {
      throw new IllegalArgumentException("match glob is empty");
    }
  }

  /** The template's name. */
  public String name() {
    return settings.name();
  }

  /** Whether this template applies to a cache called {@code cacheName}. */
  public boolean matches(String cacheName) {
    return Glob.matches(match, cacheName);
  }

  /** The settings for a cache called {@code cacheName}. */
  public CacheDescriptor forCache(String cacheName) {
    return settings.withName(cacheName);
  }

  @Override
  public Location location() {
    return settings.location();
  }
}
