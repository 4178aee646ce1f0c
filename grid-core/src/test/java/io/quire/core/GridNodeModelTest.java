package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import io.quire.store.ram.CaffeinePageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thousands of random allocate/write/update/read/free operations, with restarts, under a RAM budget of a few pages so
 * that paging happens all the time; every read is checked against a plain in-memory model. A failure names its seed;
 * {@code -Dquire.model.seed=N} replays one seed.
 */
class GridNodeModelTest {
  private static final PageSize PAGE = new PageSize(512);
  private static final long FOUR_PAGES = 4L * (PAGE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES);

  @TempDir
  Path dir;

  static LongStream seeds() {
    Long one = Long.getLong("quire.model.seed");
    return one != null ? LongStream.of(one) : LongStream.range(1, 1 + Long.getLong("quire.model.seeds", 6));
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomOperations_underConstantPaging_matchTheModel(long seed) {
    Random random = new Random(seed);
    String replay = "seed " + seed + " (replay: mvn -pl grid-core test -Dtest=GridNodeModelTest "
        + "-Dquire.model.seed=" + seed + ")";
    GridConfig config = GridConfig.defaults(dir).withPageSize(PAGE).withRamBudgetBytes(FOUR_PAGES)
        .withSpanningUnitPages(8);
    Map<GlobalAddress, byte[]> model = new HashMap<>();
    List<AddressRange> live = new ArrayList<>();
    List<AddressRange> freed = new ArrayList<>();
    GridNode node = GridNode.open(config);
    try {
      for (int op = 0; op < 2_500; op++) {
        int dice = random.nextInt(100);
        String at = replay + ", operation " + op;
        if (live.isEmpty() || dice < 8) {
          AddressRange range = node.memory().allocate(1 + random.nextInt(4),
              random.nextBoolean() ? Durability.VOLATILE : Durability.PERSISTENT);
          for (AddressRange other : live) {
            assertThat(range.start().compareTo(other.end()) >= 0 || other.start().compareTo(range.end()) >= 0)
                .as(at + ": %s overlaps %s", range, other).isTrue();
          }
          live.add(range);
        } else if (dice < 40) {
          GlobalAddress address = randomAddress(random, live);
          int offset = address.offsetInPage(PAGE);
          byte[] bytes = new byte[random.nextInt(PAGE.bytes() - offset + 1)];
          random.nextBytes(bytes);
          node.memory().write(address, bytes);
          byte[] expected = model.computeIfAbsent(address.pageBase(PAGE), a -> new byte[PAGE.bytes()]);
          System.arraycopy(bytes, 0, expected, offset, bytes.length);
        } else if (dice < 55) {
          GlobalAddress address = randomAddress(random, live).pageBase(PAGE);
          int index = random.nextInt(PAGE.bytes());
          node.memory().update(address, current -> {
            current[index]++;
            return current;
          });
          model.computeIfAbsent(address, a -> new byte[PAGE.bytes()])[index]++;
        } else if (dice < 93) {
          GlobalAddress address = randomAddress(random, live);
          Page page = node.memory().read(address);
          byte[] expected = model.getOrDefault(address.pageBase(PAGE), new byte[PAGE.bytes()]);
          assertThat(page.toByteArray(PAGE.bytes())).as(at + ": page %s", address.pageBase(PAGE))
              .isEqualTo(expected);
        } else if (dice < 97) {
          AddressRange range = live.remove(random.nextInt(live.size()));
          node.memory().free(range.start());
          for (long i = 0; i < range.pages(); i++) {
            model.remove(range.page(i));
          }
          freed.add(range);
        } else if (!freed.isEmpty() && dice < 98) {
          AddressRange gone = freed.get(random.nextInt(freed.size()));
          GridNode current = node;
          assertThatThrownBy(() -> current.memory().read(gone.start())).as(at)
              .isInstanceOf(UnallocatedAddressException.class);
        } else {
          node.close();
          node = GridNode.open(config);
        }
        assertThat(node.stats().ramBytes()).as(at + ": RAM tier over budget").isLessThanOrEqualTo(FOUR_PAGES);
      }
      assertThat(node.stats().ranges()).as(replay).isEqualTo(live.size());
      assertThat(node.stats().pageOuts() + node.stats().pageIns()).as(replay + ": paging happened").isPositive();
    } finally {
      node.close();
    }
    // Reopened, every page of every live range still reads as the model says.
    try (GridNode reopened = GridNode.open(config)) {
      for (AddressRange range : live) {
        for (long i = 0; i < range.pages(); i++) {
          byte[] expected = model.getOrDefault(range.page(i), new byte[PAGE.bytes()]);
          assertThat(reopened.memory().read(range.page(i)).toByteArray(PAGE.bytes())).as(replay)
              .isEqualTo(expected);
        }
      }
    }
  }

  private static GlobalAddress randomAddress(Random random, List<AddressRange> live) {
    AddressRange range = live.get(random.nextInt(live.size()));
    return range.page(random.nextInt((int) range.pages())).plus(random.nextInt(PAGE.bytes()));
  }
}
