package io.quire.jcache.config;

/** Something that came from a descriptor element, so that later failures (a missing class) can point at it. */
public interface Locatable {

  /** Where this was declared. */
  Location location();
}
