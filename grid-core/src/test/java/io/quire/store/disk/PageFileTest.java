package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class PageFileTest {
  private static final PageSize PAGE_SIZE = new PageSize(4096);

  @TempDir
  Path dir;

  /** 300 records at every third page, of lengths from 1 byte to a whole page record, each filled from its index. */
  private static List<Map.Entry<byte[], byte[]>> records() {
    SplittableRandom random = new SplittableRandom(11);
    List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] value = new byte[1 + random.nextInt(PAGE_SIZE.bytes() + PageRecordCodec.RECORD_HEADER_BYTES)];
      Arrays.fill(value, (byte) i);
      records.add(new AbstractMap.SimpleImmutableEntry<>(address(3 * i).toBytes(), value));
    }
    return records;
  }

  private static GlobalAddress address(long page) {
    return GlobalAddress.of(1L << 40).plusPages(page, PAGE_SIZE);
  }

  @ParameterizedTest(name = "{0} records per node")
  @ValueSource(ints = {1, 4, 16})
  void everyRecord_readsBack_andAbsentPagesAreNull_whateverTheNodeSizeTheFileWasBuiltWith(int nodeSize)
      throws IOException {
    Path file = dir.resolve("pages-1.db");
    List<Map.Entry<byte[], byte[]>> records = records();
    assertThat(PageFile.build(file, PAGE_SIZE, records.iterator(), nodeSize)).isEqualTo(records.size());

    try (PageFile pages = PageFile.open(file, PAGE_SIZE)) {
      for (int i = 0; i < records.size(); i++) {
        assertThat(pages.get(address(3 * i))).as("page %d", 3 * i).isEqualTo(records.get(i).getValue());
        assertThat(pages.get(address(3 * i + 1))).as("page %d", 3 * i + 1).isNull();
      }
      assertThat(pages.get(GlobalAddress.ZERO)).isNull();
      assertThat(pages.get(address(3 * 300))).isNull();
      assertThat(pages.addressesIn(address(30), address(60))).containsExactly(address(30), address(33), address(36),
          address(39), address(42), address(45), address(48), address(51), address(54), address(57));
    }
  }
}
