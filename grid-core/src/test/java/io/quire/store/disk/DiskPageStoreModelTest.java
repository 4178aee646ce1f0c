package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operations against a {@link TreeMap} model, with a checkpoint every few appends, reopens, and simulated
 * crashes (a copy of the directory taken while the store is open, right after a forcing call, is opened and must hold
 * exactly the model). The seed is in every assertion message; set {@code -Dquire.seed=<seed>} to replay a failure.
 */
class DiskPageStoreModelTest {

  private static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  private static final int OPERATIONS = 3_000;
  private static final int ADDRESSES = 48;
  private static final long CHECKPOINT_BYTES = 40 * 1024;

  @TempDir Path tmp;

  @Test
  void randomOperations_matchTheModel_acrossCheckpointsReopensAndCrashes() throws IOException {
    long seed = Long.getLong("quire.seed", new Random().nextLong());
    Random random = new Random(seed);
    String why = "seed " + seed + " (replay with -Dquire.seed=" + seed + ")";
    TreeMap<GlobalAddress, Page> model = new TreeMap<>();
    Path dir = tmp.resolve("store-0");
    DiskPageStore store = DiskPageStore.open(dir, PAGE_SIZE, CHECKPOINT_BYTES);
    boolean lazyPending = false;
    int crashes = 0;
    try {
      for (int op = 0; op < OPERATIONS; op++) {
        String step = why + ", operation " + op;
        int dice = random.nextInt(100);
        // Durable calls cost an fsync (milliseconds) each, so most writes are lazy to keep the test quick.
        if (dice < 6) {
          Page page = randomPage(random, op);
          store.write(page);
          model.put(page.address(), page);
          lazyPending = false;
        } else if (dice < 48) {
          Page page = randomPage(random, op);
          store.writeLazily(page);
          model.put(page.address(), page);
          lazyPending = true;
        } else if (dice < 52) {
          GlobalAddress address = randomAddress(random);
          assertThat(store.remove(address)).as(step + ": remove " + address).isEqualTo(model.remove(address) != null);
        } else if (dice < 56) {
          GlobalAddress address = randomAddress(random);
          boolean removed = store.removeLazily(address);
          assertThat(removed).as(step + ": remove lazily " + address).isEqualTo(model.remove(address) != null);
          lazyPending |= removed;
        } else if (dice < 61) {
          GlobalAddress start = randomAddress(random);
          int pages = 1 + random.nextInt(8);
          AddressRange range = new AddressRange(start, pages, PAGE_SIZE);
          Map<GlobalAddress, Page> inside = model.subMap(start, range.end());
          long expected = inside.size();
          inside.clear();
          assertThat(store.removeRange(range)).as(step + ": remove " + range).isEqualTo(expected);
        } else if (dice < 88) {
          GlobalAddress address = randomAddress(random);
          assertSame(store.read(address), model.get(address), step + ": read " + address);
        } else if (dice < 90) {
          store.flush();
          lazyPending = false;
        } else if (dice < 96) {
          store.close();
          store = DiskPageStore.open(dir, PAGE_SIZE, CHECKPOINT_BYTES);
          assertHolds(store, model, step + ": after reopen");
        } else {
          // A crash now: only forced changes must be in the copy; flush first unless nothing lazy is pending.
          if (lazyPending) {
            store.flush();
            lazyPending = false;
          }
          Path crashed = tmp.resolve("store-" + ++crashes);
          Files.createDirectories(crashed);
          DiskPageStoreTest.copyDirectory(dir, crashed);
          store.close();
          dir = crashed;
          store = DiskPageStore.open(dir, PAGE_SIZE, CHECKPOINT_BYTES);
          assertHolds(store, model, step + ": after crash");
        }
        assertThat(store.pageCount()).as(step + ": page count").isEqualTo(model.size());
      }
      assertThat(store.generation()).as(why + ": checkpoints").isGreaterThan(20);
      store.close();
      store = DiskPageStore.open(dir, PAGE_SIZE, CHECKPOINT_BYTES);
      assertHolds(store, model, why + ": at the end");
    } finally {
      store.close();
    }
  }

  private static GlobalAddress randomAddress(Random random) {
    // A few pages just below and above the 2^64 boundary, where signed comparison would go wrong.
    int n = random.nextInt(ADDRESSES);
    if (n < ADDRESSES - 4) {
      return GlobalAddress.ZERO.plusPages(n, PAGE_SIZE);
    }
    return new GlobalAddress(0, -2L * PAGE_SIZE.bytes()).plusPages(n - (ADDRESSES - 4), PAGE_SIZE);
  }

  private static Page randomPage(Random random, long version) {
    byte[] data = new byte[random.nextInt(4) == 0 ? PAGE_SIZE.bytes() : random.nextInt(600)];
    random.nextBytes(data);
    return Page.of(randomAddress(random), version, false, random.nextBoolean(), data);
  }

  private static void assertHolds(DiskPageStore store, TreeMap<GlobalAddress, Page> model, String step) {
    assertThat(store.pageCount()).as(step + ": page count").isEqualTo(model.size());
    for (int n = 0; n < ADDRESSES; n++) {
      GlobalAddress address = n < ADDRESSES - 4 ? GlobalAddress.ZERO.plusPages(n, PAGE_SIZE)
          : new GlobalAddress(0, -2L * PAGE_SIZE.bytes()).plusPages(n - (ADDRESSES - 4), PAGE_SIZE);
      assertSame(store.read(address), model.get(address), step + ": page " + address);
    }
  }

  private static void assertSame(Page actual, Page expected, String step) {
    if (expected == null) {
      assertThat(actual).as(step).isNull();
      return;
    }
    assertThat(actual).as(step).isNotNull();
    assertThat(actual.sameContentAs(expected)).as(step + ": content").isTrue();
    assertThat(actual.version()).as(step + ": version").isEqualTo(expected.version());
    assertThat(actual.isVolatile()).as(step + ": volatile").isEqualTo(expected.isVolatile());
  }
}
