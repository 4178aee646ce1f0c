package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-place change of a leaf gives exactly the bytes of the full decode, change and re-encode. */
class LeafEditTest {
  private static final int PAGE = 4096;
  private static final GlobalAddress WHERE = GlobalAddress.of(1 << 20);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void everyChange_inPlace_equalsTheFullWay(long seed) {
    Random random = new Random(seed);
    List<Slot> slots = new ArrayList<>();
    int entries = random.nextInt(12);
    for (int i = 0; i < entries; i++) {
      slots.add(randomSlot(random, bytes("key-" + i)));
    }
    byte[] page = BucketPage.encodeLeaf(slots);
    byte[] key = bytes("key-" + random.nextInt(entries + 2));
    long hash = KeyHash.of(key);
    LeafEdit edit = LeafEdit.locate(page, key, hash);
    int index = indexOf(slots, key);
    if (index >= 0 && slots.get(index).valueOutOfLine()) {
      assertThat(edit).as("a key held out of line is left to the full way").isNull();
      return;
    }
    assertThat(edit).isNotNull();
    assertThat(edit.holdsKey()).isEqualTo(index >= 0);
    StoredEntry current = edit.current(key);
    if (index >= 0) {
      assertThat(current.key()).isEqualTo(key);
      assertThat(current.value()).isEqualTo(slots.get(index).value());
      assertThat(current.expiresAt()).isEqualTo(slots.get(index).expiresAt());
    } else {
      assertThat(current).isNull();
    }

    byte[] value = new byte[random.nextInt(300)];
    random.nextBytes(value);
    long expiresAt = random.nextLong();
    List<Slot> put = new ArrayList<>(slots);
    if (index >= 0) {
      put.set(index, Slot.inline(key, value, expiresAt));
    } else {
      put.add(Slot.inline(key, value, expiresAt));
    }
    byte[] edited = edit.put(key, value, expiresAt, PAGE);
    if (BucketPage.fits(put, PAGE)) {
      assertThat(edited).isEqualTo(BucketPage.encodeLeaf(put));
      assertThat(decode(edited)).hasSize(put.size());
    } else {
      assertThat(edited).isNull();
    }
    if (index >= 0) {
      List<Slot> removed = new ArrayList<>(slots);
      removed.remove(index);
      assertThat(edit.remove()).isEqualTo(BucketPage.encodeLeaf(removed));
      List<Slot> expiry = new ArrayList<>(slots);
      expiry.set(index, slots.get(index).withExpiresAt(expiresAt));
      assertThat(edit.setExpiry(expiresAt)).isEqualTo(BucketPage.encodeLeaf(expiry));
    }
    assertThat(page).as("the page bytes are never written").isEqualTo(BucketPage.encodeLeaf(slots));
  }

  @Test
  void anOutOfLineKeyThatMayBeTheKey_isLeftToTheFullWay() {
    byte[] key = bytes("long-key");
    long hash = KeyHash.of(key);
    Ref ref = new Ref(WHERE, key.length + 5, 1);
    byte[] page = BucketPage.encodeLeaf(List.of(Slot.keyOut(key.length, hash, 5, 0, ref)));
    assertThat(LeafEdit.locate(page, key, hash)).isNull();
    byte[] other = bytes("other-key");
    assertThat(LeafEdit.locate(page, other, KeyHash.of(other)).holdsKey()).isFalse();
  }

  @Test
  void anythingButAWellFormedLeaf_isLeftToTheFullWay() {
    byte[] key = bytes("k");
    long hash = KeyHash.of(key);
    byte[] leaf = BucketPage.encodeLeaf(List.of(Slot.inline(key, bytes("v"), 1)));
    int entry = BucketPage.LEAF_HEADER + BucketPage.RECORD;
    assertThat(LeafEdit.locate(new byte[0], key, hash)).isNull();
    assertThat(LeafEdit.locate(BucketPage.encodeSplit(), key, hash)).isNull();
    assertThat(LeafEdit.locate(Arrays.copyOf(leaf, leaf.length - 1), key, hash)).isNull();
    byte[] trailing = Arrays.copyOf(leaf, leaf.length + 3);
    trailing[trailing.length - 1] = 5;
    assertThat(LeafEdit.locate(trailing, key, hash)).as("bytes after the entries, even after the match").isNull();
    byte[] count = leaf.clone();
    count[3] = 2;
    assertThat(LeafEdit.locate(count, key, hash)).isNull();
    byte[] flags = leaf.clone();
    flags[entry] = 0x40;
    assertThat(LeafEdit.locate(flags, key, hash)).isNull();
    byte[] shorter = leaf.clone();
    ByteBuffer.wrap(shorter).putInt(BucketPage.LEAF_HEADER, ByteBuffer.wrap(leaf).getInt(BucketPage.LEAF_HEADER) - 1);
    assertThat(LeafEdit.locate(shorter, key, hash)).as("a directory length that disagrees with the entry").isNull();
    byte[] refLength = BucketPage.encodeLeaf(List.of(Slot.valueOut(bytes("x"), 300, 0, new Ref(WHERE, 300, 1))));
    ByteBuffer.wrap(refLength).putInt(refLength.length - 8, 299);
    assertThat(LeafEdit.locate(refLength, key, hash)).as("a ref whose length disagrees").isNull();
  }

  @Test
  void aKeyWhoseFingerprintIsDamaged_isLeftToTheFullWay_neverAppendedTwice() {
    byte[] key = bytes("k");
    byte[] leaf = BucketPage.encodeLeaf(List.of(Slot.inline(bytes("a"), bytes("1"), 1), Slot.inline(key, bytes("v"), 1)));
    int record = BucketPage.LEAF_HEADER + BucketPage.RECORD;
    leaf[record] ^= (byte) 0x80;
    assertThat(LeafEdit.locate(leaf, key, KeyHash.of(key))).isNull();
    byte[] other = bytes("a");
    assertThat(LeafEdit.locate(leaf, other, KeyHash.of(other)).holdsKey())
        .as("a change of another key carries the damaged record over; the next full decode reports it").isTrue();
  }

  @Test
  void aVersion1Leaf_isLeftToTheFullWay_whichRewritesItInVersion2() {
    byte[] key = bytes("k");
    List<Slot> slots = List.of(Slot.inline(key, bytes("v"), 1));
    assertThat(LeafEdit.locate(version1Leaf(slots), key, KeyHash.of(key))).isNull();
  }

  /** A leaf as format version 1 wrote it: no directory, the entries after the count. */
  static byte[] version1Leaf(List<Slot> slots) {
    byte[] entries = BucketPage.encodeSlots(slots);
    return ByteBuffer.allocate(BucketPage.LEAF_HEADER + entries.length).put((byte) BucketPage.FORMAT_V1)
        .put((byte) BucketPage.KIND_LEAF).putShort((short) slots.size()).put(entries).array();
  }

  @Test
  void aFullLeaf_refusesAPutThatDoesNotFit() {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; BucketPage.leafBytes(slots) < PAGE - 200; i++) {
      slots.add(Slot.inline(bytes("key-" + i), new byte[100], 0));
    }
    byte[] page = BucketPage.encodeLeaf(slots);
    byte[] key = bytes("new-key");
    assertThat(LeafEdit.locate(page, key, KeyHash.of(key)).put(key, new byte[300], 0, PAGE)).isNull();
    byte[] present = bytes("key-0");
    assertThat(LeafEdit.locate(page, present, KeyHash.of(present)).put(present, new byte[50], 0, PAGE)).isNotNull();
  }

  private static Slot randomSlot(Random random, byte[] key) {
    long expiresAt = random.nextBoolean() ? StoredEntry.NEVER : random.nextLong();
    switch (random.nextInt(5)) {
      case 0:
        return Slot.valueOut(key, 900, expiresAt, new Ref(WHERE, 900, random.nextInt()));
      case 1:
        return Slot.keyOut(2000, random.nextLong(), 900, expiresAt, new Ref(WHERE, 2900, random.nextInt()));
      default:
        byte[] value = new byte[random.nextInt(200)];
        random.nextBytes(value);
        return Slot.inline(key, value, expiresAt);
    }
  }

  private static int indexOf(List<Slot> slots, byte[] key) {
    for (int i = 0; i < slots.size(); i++) {
      if (!slots.get(i).keyOutOfLine() && Arrays.equals(slots.get(i).key(), key)) {
        return i;
      }
    }
    return -1;
  }

  private static List<Slot> decode(byte[] bytes) {
    return BucketPage.decode(WHERE, Page.adopt(WHERE, 1, false, true, bytes), false).slots();
  }
}
