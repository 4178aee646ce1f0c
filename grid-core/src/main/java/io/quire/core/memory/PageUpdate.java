package io.quire.core.memory;

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
}
