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

  @Test
  void aVersion1LeafIsReadLikeAVersion2One() {
    List<Slot> slots = List.of(Slot.inline(bytes("a"), bytes("1"), 10), Slot.inline(bytes("bb"), bytes("22"), 20),
        Slot.valueOut(bytes("big"), 300, 0, SOMEWHERE));
    byte[] page = LeafEditTest.version1Leaf(slots);
    StoredEntry found = LeafScan.find(page, bytes("bb"), KeyHash.of(bytes("bb")));
    assertThat(found.value()).isEqualTo(bytes("22"));
    assertThat(found.expiresAt()).isEqualTo(20);
    assertThat(LeafScan.find(page, bytes("zz"), KeyHash.of(bytes("zz")))).isNull();
    assertThat(LeafScan.find(page, bytes("big"), KeyHash.of(bytes("big")))).isSameAs(LeafScan.UNDECIDED);
  }

  @Test
  void aHitComparesOnlyTheKeysWhoseFingerprintMatches() {
    // Two entries of the same length: damaging the other entry's key bytes leaves the hit unaffected, since that
    // entry's fingerprint differs (checked below) and its key is never read.
    byte[] key = bytes("key-1");
    byte[] other = bytes("key-2");
    assertThat(BucketPage.fingerprint(KeyHash.of(key))).isNotEqualTo(BucketPage.fingerprint(KeyHash.of(other)));
    byte[] page = leaf(Slot.inline(other, bytes("2"), 0), Slot.inline(key, bytes("1"), 0));
    int otherKeyAt = BucketPage.LEAF_HEADER + 2 * BucketPage.RECORD + 1 + Long.BYTES + Integer.BYTES;
    page[otherKeyAt] = 'K';
    assertThat(LeafScan.find(page, key, KeyHash.of(key)).value()).isEqualTo(bytes("1"));
  }

  @Test
  void aMissDoesNotTrustTheFingerprints_soADamagedOneNeverHidesItsKey() {
    byte[] key = bytes("bb");
    byte[] page = leaf(Slot.inline(bytes("a"), bytes("1"), 10), Slot.inline(key, bytes("22"), 20));
    page[BucketPage.LEAF_HEADER + BucketPage.RECORD] ^= 0x10;
    assertThat(LeafScan.find(page, key, KeyHash.of(key))).isSameAs(LeafScan.UNDECIDED);
    assertThat(LeafScan.find(page, bytes("zz"), KeyHash.of(bytes("zz")))).as("another key's miss is still a miss")
        .isNull();
  }

  @Test
  void aDirectoryLengthPastThePage_isLeftToTheFullDecode() {
    byte[] page = leaf(Slot.inline(bytes("a"), bytes("1"), 10));
    java.nio.ByteBuffer.wrap(page).putInt(BucketPage.LEAF_HEADER,
        BucketPage.record(BucketPage.fingerprint(KeyHash.of(bytes("a"))), page.length));
    assertThat(LeafScan.find(page, bytes("a"), KeyHash.of(bytes("a")))).isSameAs(LeafScan.UNDECIDED);
    assertThat(LeafScan.find(page, bytes("b"), KeyHash.of(bytes("b")))).isSameAs(LeafScan.UNDECIDED);
  }
}
