package io.quire.jcache.serial;

import static io.quire.jcache.serial.Serializers.LOADER;
import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.quire.spi.serial.SerializerSettings;
import org.junit.jupiter.api.Test;

/** User code run by Kryo may use the same serializer again on the same thread (a cache touched from a value). */
class KryoSerialReentrancyTest {
  static KryoValueSerializer serializer;

  @Test
  void aValueThatSerialisesAnotherValueWhileBeingWrittenRoundTrips() {
    serializer = new KryoValueSerializer(
        SerializerSettings.defaults().withAllowed(Nested.class.getName()), LOADER);
    Nested value = new Nested("outer");
    byte[] bytes = serializer.serialize(value);
    Nested back = (Nested) serializer.deserialize(bytes, LOADER);
    assertThat(back.text).isEqualTo("outer");
    assertThat(back.inner).isEqualTo("inner of outer");
  }

  /** Serialises and reads a String with the same serializer from inside its own write and read. */
  public static final class Nested implements KryoSerializable {
    String text;
    String inner;

    public Nested() {}

    Nested(String text) {
      this.text = text;
    }

    @Override
    public void write(Kryo kryo, Output output) {
      byte[] nested = serializer.serialize("inner of " + text);
      output.writeString(text);
      output.writeInt(nested.length);
      output.writeBytes(nested);
    }

    @Override
    public void read(Kryo kryo, Input input) {
      text = input.readString();
      byte[] nested = input.readBytes(input.readInt());
      inner = (String) serializer.deserialize(nested, LOADER);
    }
  }
}
