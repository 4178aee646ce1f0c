package io.quire.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressGeneratorTest {
  private static final PageSize PAGE = PageSize.DEFAULT;
  private static final AddressRange REGION = new AddressRange(new GlobalAddress(1, 0), 1_000, PAGE);

  /** A claim record that counts durable stores, as the memory layer's persistent page would see them. */
  private static final class CountingRecord implements AddressGenerator.ClaimRecord {
    GlobalAddress stored;
    int stores;

    @Override
    public GlobalAddress load() {
      return stored;
    }

    @Override
    public void store(GlobalAddress claimedEnd) {
      stored = claimedEnd;
      stores++;
    }
  }

  @Test
  void next_handsOutAdjacentDisjointRanges() {
    AddressGenerator generator = new AddressGenerator(new CountingRecord(), REGION, 16);
    AddressRange a = generator.next(3);
    AddressRange b = generator.next(5);
    assertThat(a.start()).isEqualTo(REGION.start());
    assertThat(b.start()).isEqualTo(a.end());
    assertThat(b.pages()).isEqualTo(5);
  }

  @Test
  void next_recordsOneClaimPerSpanningUnitNotPerRange() {
    CountingRecord record = new CountingRecord();
    AddressGenerator generator = new AddressGenerator(record, REGION, 16);
    for (int i = 0; i < 16; i++) {
      generator.next(1);
    }
    assertThat(record.stores).isEqualTo(1);
    generator.next(1);
    assertThat(record.stores).isEqualTo(2);
  }

  @Test
  void next_afterRestart_neverReusesAnAddressHandedOutBefore() {
    CountingRecord record = new CountingRecord();
    AddressGenerator first = new AddressGenerator(record, REGION, 16);
    List<AddressRange> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(first.next(2));
    }
    AddressGenerator restarted = new AddressGenerator(record, REGION, 16);
    AddressRange after = restarted.next(1);
    for (AddressRange range : before) {
      assertThat(after.start()).isGreaterThanOrEqualTo(range.end());
    }
    assertThat(after.start()).isEqualTo(first.claimedEnd());
  }

  @Test
  void next_rangeLargerThanSpanningUnit_claimsEnough() {
    CountingRecord record = new CountingRecord();
    AddressGenerator generator = new AddressGenerator(record, REGION, 4);
    AddressRange big = generator.next(50);
    assertThat(record.stored.compareTo(big.end())).isGreaterThanOrEqualTo(0);
  }

  @Test
  void next_pastRegionEnd_throwsExhausted() {
    AddressGenerator generator = new AddressGenerator(new CountingRecord(), REGION, 64);
    generator.next(999);
    assertThatThrownBy(() -> generator.next(2)).isInstanceOf(AddressSpaceExhaustedException.class)
        .hasMessageContaining("2 pages");
    assertThat(generator.next(1).end()).isEqualTo(REGION.end());
  }

  @Test
  void next_nonPositivePages_throws() {
    AddressGenerator generator = new AddressGenerator(new CountingRecord(), REGION, 64);
    assertThatThrownBy(() -> generator.next(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_recordOutsideRegion_throws() {
    CountingRecord record = new CountingRecord();
    record.stored = new GlobalAddress(7, 0);
    assertThatThrownBy(() -> new AddressGenerator(record, REGION, 64)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside");
  }
}
