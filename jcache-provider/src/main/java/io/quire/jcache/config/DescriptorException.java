package io.quire.jcache.config;

import javax.cache.CacheException;

/**
 * A descriptor the provider cannot use. It is a {@link CacheException} because JCache clients meet it from
 * {@code CachingProvider.getCacheManager}. The message always starts with the document and, when known, the position:
 * {@code systemId:line:column: <element attr="value">: problem}.
 */
public final class DescriptorException extends CacheException {
  private static final long serialVersionUID = 1L;

  /** A problem with the document as a whole (missing resource, unreadable file). */
  public DescriptorException(String systemId, String problem, Throwable cause) {
    super(systemId + ": " + problem, cause);
  }

  /** A problem with the document as a whole (missing resource, unreadable file). */
  public DescriptorException(String systemId, String problem) {
    super(systemId + ": " + problem);
  }

  /** A problem at {@code where}, naming its element. */
  public DescriptorException(Location where, String problem) {
    this(where, where.element(), problem);
  }

  /** A problem at {@code where}, naming the element as {@code element} (typically with just the offending attribute; empty to name none). */
  public DescriptorException(Location where, String element, String problem) {
    super(where + ": " + (element.isEmpty() ? "" : element + ": ") + problem);
  }
}
