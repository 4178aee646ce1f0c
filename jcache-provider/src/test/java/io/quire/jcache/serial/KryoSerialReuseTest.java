package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.jcache.serial.evil.Gadget;
import io.quire.jcache.serial.fixtures.Point;
import io.quire.spi.serial.SerializationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a thread keeps between calls (its Kryo, the output buffer, the names of classes read by name) never leaks from
 * one value into the next.
 */
class KryoSerialReuseTest {
  private final KryoValueSerializer fixtures = Serializers.fixtures();

  @Test
  void serialize_afterALargeValueAndAFailure_givesTheSameBytesAsAFreshSerializer() {
    byte[] expected = Serializers.fixtures().serialize(new Point(1, 2, "p"));
    byte[] large = new byte[100_000];
    large[99_999] = 7;
    assertThat((byte[]) fixtures.deserialize(fixtures.serialize(large), LOADER)).isEqualTo(large);
    assertThat(fixtures.serialize(new Point(1, 2, "p"))).isEqualTo(expected);
    assertThatThrownBy(() -> fixtures.serialize(new ArrayList<>(List.of("half written", new Gadget()))))
        .isInstanceOf(SerializationException.class);
    assertThat(fixtures.serialize(new Point(1, 2, "p"))).isEqualTo(expected);
    assertThat(fixtures.serialize("x")).isEqualTo(Serializers.strict().serialize("x"));
  }

  @Test
  void deserialize_aRefusedNameAfterAllowedOnes_isStillRefused() {
    byte[] point = fixtures.serialize(new Point(3, 4, "q"));
    byte[] gadget = Serializers.permissive().serialize(new Gadget());
    for (int i = 0; i < 3; i++) {
      assertThat(fixtures.deserialize(point, LOADER)).isEqualTo(new Point(3, 4, "q"));
      assertThatThrownBy(() -> fixtures.deserialize(gadget, LOADER))
          .isInstanceOf(SerializationException.class).hasMessageContaining("not registered or allow-listed");
    }
  }

  @Test
  void deserialize_aNameReadUnderOneLoader_isResolvedAgainUnderAnother() {
    byte[] point = fixtures.serialize(new Point(5, 6, "r"));
    ClassLoader other = new ClassLoader(LOADER) {};
    assertThat(fixtures.deserialize(point, LOADER)).isEqualTo(new Point(5, 6, "r"));
    assertThat(fixtures.deserialize(point, other)).isEqualTo(new Point(5, 6, "r"));
    assertThat(fixtures.deserialize(point, LOADER)).isEqualTo(new Point(5, 6, "r"));
  }
}
