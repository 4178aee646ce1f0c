package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;

/**
 * Where a bucket points to bytes kept out of line: the range that {@link ValueRanges} allocated for them, how many
 * bytes it holds and their CRC32C. Ranges are never reused, so a ref names one content forever: a reader that holds it
 * either reads exactly that content or finds the range gone.
 *
 * @param start the first page of the range, as returned by allocate
 * @param length how many content bytes the range holds, at least one
 * @param crc the CRC32C of those bytes
 */
record Ref(GlobalAddress start, int length, int crc) {

  /** Bytes of a ref in a bucket page: start, length, crc. */
  static final int BYTES = GlobalAddress.BYTES + Integer.BYTES + Integer.BYTES;

  Ref {
    requireNonNull(start, "start");
    if (length < 1) {
      throw new IllegalArgumentException("an out-of-line range holds at least one byte, not " + length);
    }
  }
}
