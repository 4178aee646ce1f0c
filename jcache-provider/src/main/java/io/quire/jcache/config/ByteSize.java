package io.quire.jcache.config;

/** Byte counts as the XSD's {@code byteSize} type writes them: digits and an optional B, KiB, MiB or GiB. */
final class ByteSize {
  private ByteSize() {}

  /** The byte count of an XSD-valid {@code value}, failing on {@code r} if it does not fit in a long. */
  static long parse(String value, ElementReader r) {
    int shift = 0;
    String digits = value;
    if (value.endsWith("KiB")) {
      shift = 10;
    } else if (value.endsWith("MiB")) {
      shift = 20;
    } else if (value.endsWith("GiB")) {
      shift = 30;
    }
    if (shift > 0) {
      digits = value.substring(0, value.length() - 3);
    } else if (value.endsWith("B")) {
      digits = value.substring(0, value.length() - 1);
    }
    try {
      long n = Long.parseLong(digits);
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw r.fail("ram-budget", "too large");
    }
  }
}
