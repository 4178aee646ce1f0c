package io.quire.core.memory;

/**
 * The update of {@link PageUpdate#replaceWith}: the handlers that know it store its content without copying the
 * current page first; anything else (a cluster engine) just applies it.
 */
final class PageReplacement implements PageUpdate {
  private final byte[] content;

  PageReplacement(byte[] content) {
    this.content = content;
  }

  /** The new content; owned by the memory once the update is handed over. */
  byte[] content() {
    return content;
  }

  @Override
  public byte[] apply(byte[] current) {
    return content;
  }
}
