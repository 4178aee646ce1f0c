package io.quire.core.memory;

import static java.util.Objects.requireNonNull;

/** The function of an atomic read-modify-write of one page. */
@FunctionalInterface
public interface PageUpdate {
  /**
   * The page's new content.
   *
   * @param current a fresh copy of the page's full {@code pageSize} bytes, which the function may modify and return
   * @return at most {@code pageSize} bytes; bytes past the end read as zero
   */
  byte[] apply(byte[] current);

  /**
   * An update whose new content is {@code content} whatever the page holds: the whole page is replaced, and bytes past
   * the end of {@code content} read as zero. Unlike {@code current -> content}, it spares the memory the copy of the
   * current page that a function is handed. The memory takes ownership of {@code content}: do not modify it afterwards.
   */
  static PageUpdate replaceWith(byte[] content) {
    return new PageReplacement(requireNonNull(content, "content"));
  }
}
