package io.quire.core.page;

/** What an allocated range promises about its pages surviving a crash; it sets each page's volatile bit. */
public enum Durability {
  /**
   * RAM first: pages reach disk only under memory pressure or at a graceful close. A crash may lose recent writes.
   * For caches that trade durability for speed.
   */
  VOLATILE,
  /** Write-through: a page is in the node's disk file when {@code write} returns and survives a crash (SIGKILL). */
  PERSISTENT;

  /** The page volatile bit that goes with this durability. */
  public boolean volatileBit() {
    return this == VOLATILE;
  }
}
