package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins the key hash, which is part of the stored format: a change would put every stored key in the wrong bucket. The
 * expected values are those of the reference XXH64 (seed 0), as computed by lz4-java's {@code XXHashFactory}.
 */
class KeyHashTest {

  private static long hash(String text) {
    return KeyHash.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sequence(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  @Test
  void of_knownStrings_matchTheReferenceXxh64() {
    assertThat(hash("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(hash("message digest")).isEqualTo(0x066ED728FCEEB3BEL);
    assertThat(hash("abcdefghijklmnopqrstuvwxyz")).isEqualTo(0xCFE1F278FA89835CL);
    assertThat(hash("The quick brown fox jumps over the lazy dog")).isEqualTo(0x0B242D361FDA71BCL);
  }

  /** Every tail path (bytes, an int, longs, the 32-byte stripes) at the lengths where one gives way to another. */
  @Test
  void of_everyInputLengthClass_matchesTheReferenceXxh64() {
    assertThat(KeyHash.of(sequence(1))).isEqualTo(0xE934A84ADB052768L);
    assertThat(KeyHash.of(sequence(3))).isEqualTo(0xE5C7BB4533BC65DDL);
    assertThat(KeyHash.of(sequence(4))).isEqualTo(0xFFCED8604453CC1EL);
    assertThat(KeyHash.of(sequence(7))).isEqualTo(0x14CC643F630C72D2L);
    assertThat(KeyHash.of(sequence(8))).isEqualTo(0x884A173614B81B8DL);
    assertThat(KeyHash.of(sequence(15))).isEqualTo(0xA948F5F0F6ABAC2DL);
    assertThat(KeyHash.of(sequence(16))).isEqualTo(0x44B6EF2FB84169F7L);
    assertThat(KeyHash.of(sequence(31))).isEqualTo(0xC346D2B59B4D8EE1L);
    assertThat(KeyHash.of(sequence(32))).isEqualTo(0xCBF59C5116FF32B4L);
    assertThat(KeyHash.of(sequence(33))).isEqualTo(0x0C535D1ACAFB8EADL);
    assertThat(KeyHash.of(sequence(63))).isEqualTo(0xE26AA9E2A95F8E4FL);
    assertThat(KeyHash.of(sequence(64))).isEqualTo(0xF7C67301DB6713F0L);
    assertThat(KeyHash.of(sequence(100))).isEqualTo(0x6AC1E58032166597L);
  }
}
