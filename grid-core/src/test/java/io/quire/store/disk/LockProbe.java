package io.quire.store.disk;

import io.quire.core.address.PageSize;
import io.quire.spi.store.StoreFileLockedException;
import java.nio.file.Path;

/** Run in a child JVM by the tests: opens the store directory in args[0]; exit 3 when it is locked, 0 when opened. */
public final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) {
    try (DiskPageStore store = DiskPageStore.open(Path.of(args[0]), PageSize.DEFAULT)) {
      System.exit(0);
    } catch (StoreFileLockedException e) {
      System.exit(3);
    }
  }
}
