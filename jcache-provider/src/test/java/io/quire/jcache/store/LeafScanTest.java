package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeafScanTest {
  private static final Ref SOMEWHERE = new Ref(GlobalAddress.of(1 << 20), 300, 7);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] leaf(Slot... slots) {
    return BucketPage.encodeLeaf(List.of(slots));
  }

  @Test
  void findsAnInlineEntryAndCopiesOnlyIt() {
    byte[] page = leaf(Slot.inline(bytes("a"), bytes("1"), 10), Slot.inline(bytes("bb"), bytes("22"), 20));
    StoredEntry found = LeafScan.find(page, bytes("bb"), KeyHash.of(bytes("bb")));
    assertThat(found.key()).isEqualTo(bytes("bb"));
    assertThat(found.value()).isEqualTo(bytes("22"));
    assertThat(found.expiresAt()).isEqualTo(20);
  }

  @Test
  void aMissOnAWellFormedLeafIsNull() {
    byte[] page = leaf(Slot.inline(bytes("a"), bytes("1"), 10));
    assertThat(LeafScan.find(page, bytes("zz"), KeyHash.of(bytes("zz")))).isNull();
  }

  @Test
  void aMatchHeldOutOfLineIsLeftToTheFullDecode() {
    byte[] page = leaf(Slot.valueOut(bytes("big"), 300, 0, SOMEWHERE));
    assertThat(LeafScan.find(page, bytes("big"), KeyHash.of(bytes("big")))).isSameAs(LeafScan.UNDECIDED);
    assertThat(LeafScan.find(page, bytes("other"), KeyHash.of(bytes("other")))).isNull();
  }

  @Test
  void anythingButALeafIsLeftToTheFullDecode() {
    assertThat(LeafScan.find(new byte[0], bytes("k"), 1)).isSameAs(LeafScan.UNDECIDED);
    assertThat(LeafScan.find(BucketPage.encodeSplit(), bytes("k"), 1)).isSameAs(LeafScan.UNDECIDED);
    byte[] truncated = leaf(Slot.inline(bytes("a"), bytes("1"), 10));
    assertThat(LeafScan.find(java.util.Arrays.copyOf(truncated, truncated.length - 1), bytes("b"), 1))
        .isSameAs(LeafScan.UNDECIDED);
  }
}
