package io.quire.store.disk;

import io.quire.spi.store.PageStore;
import io.quire.store.PageStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The page store contract again, with a checkpoint after every change (a one-byte journal threshold). */
class DiskPageStoreCheckpointingTest extends PageStoreContract {
  @TempDir
  Path tmp;

  @Override
  protected PageStore newStore() {
    return DiskPageStore.open(tmp.resolve("store"), PAGE_SIZE, 1);
  }
}
