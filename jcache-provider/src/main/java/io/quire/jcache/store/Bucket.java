package io.quire.jcache.store;

import java.util.List;

/**
 * One bucket page as read at one instant: never written (absent: an empty leaf), a leaf of entries, split (its
 * entries live in its two children, for good), or an overflowed leaf at the depth limit whose entries lie in a range
 * of their own. Immutable.
 */
final class Bucket {

  /** The kinds of bucket page; the stored kind byte is in {@link BucketPage}. */
  enum Kind { ABSENT, LEAF, SPLIT, OVERFLOW }

  private final Kind kind;
  private final long version;
  private final List<Slot> slots;
  private final Ref overflow;
  private final int overflowCount;

  private Bucket(Kind kind, long version, List<Slot> slots, Ref overflow, int overflowCount) {
    this.kind = kind;
    this.version = version;
    this.slots = slots;
    this.overflow = overflow;
    this.overflowCount = overflowCount;
  }

  static Bucket absent(long version) {
    return new Bucket(Kind.ABSENT, version, List.of(), null, 0);
  }

  static Bucket leaf(long version, List<Slot> slots) {
    return new Bucket(Kind.LEAF, version, List.copyOf(slots), null, 0);
  }

  static Bucket split(long version) {
    return new Bucket(Kind.SPLIT, version, List.of(), null, 0);
  }

  static Bucket overflow(long version, Ref entries, int count) {
    return new Bucket(Kind.OVERFLOW, version, List.of(), entries, count);
  }

  Kind kind() {
    return kind;
  }

  boolean isSplit() {
    return kind == Kind.SPLIT;
  }

  /** The version of the page this was read from: it changes with every write of the page. */
  long version() {
    return version;
  }

  /** The entries of a leaf; empty for the other kinds (an overflowed leaf's entries are in its range). */
  List<Slot> slots() {
    return slots;
  }

  /** The range that holds an overflowed leaf's entries, else null. */
  Ref overflow() {
    return overflow;
  }

  /** How many entries an overflowed leaf's range holds. */
  int overflowCount() {
    return overflowCount;
  }
}
