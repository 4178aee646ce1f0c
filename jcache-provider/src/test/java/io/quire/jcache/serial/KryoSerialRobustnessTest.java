package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.esotericsoftware.kryo.io.Output;
import io.quire.jcache.serial.fixtures.Order;
import io.quire.jcache.serial.fixtures.Point;
import io.quire.spi.serial.SerializationException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Corrupt, truncated and forged input. Plain Kryo 5.6.2 throws {@link OutOfMemoryError} on six forged bytes
 * (a varint length of 2^31 - 1 before a byte[], boolean[], String or ArrayList); these tests pin that we do not.
 */
class KryoSerialRobustnessTest {
  private static final long SEED = 0x5EED_0107L;
  private final KryoValueSerializer serializer = Serializers.fixtures();

  /* ---- forged length prefixes ---- */

  @ParameterizedTest(name = "class id {0}")
  @ValueSource(ints = {16, 17, 18, 20, 21, 23, 24, 25, 32})
  void deserialize_hugeArrayOrByteRunLength_failsWithoutAllocating(int classId) {
    assertRefusedQuickly(out -> {
      out.writeVarInt(classId + 2, true); // Kryo writes registration ids + 2 (0 null, 1 by name)
      out.writeVarInt(Integer.MAX_VALUE, true);
    });
  }

  @ParameterizedTest(name = "class id {0}")
  @ValueSource(ints = {48, 49, 50, 51, 53, 54, 56})
  void deserialize_hugeCollectionSize_failsWithoutAllocating(int classId) {
    assertRefusedQuickly(out -> {
      out.writeVarInt(classId + 2, true);
      out.writeVarIntFlag(false, Integer.MAX_VALUE - 8, true);
    });
  }

  @Test
  void deserialize_hugeStringLength_failsWithoutAllocating() {
    assertRefusedQuickly(out -> {
      out.writeVarInt(1 + 2, true); // String
      out.writeVarIntFlag(true, Integer.MAX_VALUE - 8, true);
      out.writeByte(0x41);
    });
  }

  @Test
  void deserialize_hugeClassNameLength_failsWithoutAllocating() {
    assertRefusedQuickly(out -> {
      out.writeVarInt(1, true); // class by name
      out.writeVarInt(0, true); // name id
      out.writeVarIntFlag(true, Integer.MAX_VALUE - 8, true);
    });
  }

  @Test
  void deserialize_deeplyNestedLists_failsAtMaxDepth() {
    assertRefusedQuickly(out -> {
      for (int i = 0; i < 100_000; i++) {
        out.writeVarInt(48 + 2, true); // ArrayList
        out.writeVarIntFlag(false, 1 + 1, true); // one element, of varying class
      }
    });
  }

  private void assertRefusedQuickly(Consumer<Output> forge) {
    Output out = new Output(64, -1);
    forge.accept(out);
    byte[] bytes = out.toBytes();
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThatThrownBy(() -> serializer.deserialize(bytes, LOADER)).isInstanceOf(SerializationException.class);
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThat(after - before).as("heap growth").isLessThan(256L << 20);
  }

  /* ---- truncation and trailing bytes ---- */

  @Test
  void deserialize_everyStrictPrefixOfAValue_throwsSerializationException() {
    for (Object value : samples()) {
      byte[] bytes = serializer.serialize(value);
      for (int length = 0; length < bytes.length; length++) {
        int cut = length;
        assertThatThrownBy(() -> serializer.deserialize(bytes, 0, cut, LOADER))
            .as("%s cut to %d of %d bytes", value, cut, bytes.length)
            .isInstanceOf(SerializationException.class);
      }
    }
  }

  @Test
  void deserialize_trailingBytes_throwsSerializationException() {
    byte[] bytes = serializer.serialize("value");
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> serializer.deserialize(longer, LOADER))
        .isInstanceOf(SerializationException.class).hasMessageContaining("1 bytes are left over");
  }

  /* ---- fuzz ---- */

  /** 10,000 inputs: random bytes, and valid encodings with random bytes flipped. Seed {@value #SEED}. */
  @Test
  @Timeout(10)
  void deserialize_randomAndMutatedBytes_onlyEverThrowsSerializationException() {
    Random random = new Random(SEED);
    List<byte[]> valid = samples().stream().map(serializer::serialize).toList();
    int refused = 0;
    for (int i = 0; i < 10_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(48)];
        random.nextBytes(input);
      } else {
        input = valid.get(random.nextInt(valid.size())).clone();
        for (int flips = 1 + random.nextInt(3); flips > 0 && input.length > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        serializer.deserialize(input, LOADER);
      } catch (SerializationException expected) {
        refused++;
      } catch (RuntimeException | Error e) {
        fail("input %d (seed %d) threw %s: %s", i, SEED, e.getClass().getName(), e.getMessage(), e);
      }
    }
    assertThat(refused).isGreaterThan(5_000);
    // Pooled instances were repaired after each failure: depth and generics state did not leak into this call.
    Object nested = "leaf";
    for (int depth = 0; depth < 100; depth++) {
      nested = new ArrayList<>(List.of(nested));
    }
    assertThat(serializer.deserialize(serializer.serialize(nested), LOADER)).isEqualTo(nested);
  }

  private static List<Object> samples() {
    Map<String, Object> map = new HashMap<>();
    map.put("n", BigInteger.TEN.pow(30));
    map.put("d", Duration.ofSeconds(5));
    map.put("s", "héllo");
    return List.of("plain ascii", "ünïcode", 123_456_789L, new int[] {1, 2, 3}, map,
        new ArrayList<>(List.of(new Point(1, 2, "p"), "x")),
        new Order("o", new ArrayList<>(), new HashMap<>(), Order.Status.OPEN));
  }
}
