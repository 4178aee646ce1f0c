package io.quire.jcache.serial;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Collection;
import java.util.Map;

/**
 * Serializers that check a decoded element count against the bytes left before Kryo allocates for it (see
 * {@link BoundedInput}); they write exactly what the Kryo serializers they wrap write.
 */
final class LengthChecks {
  private LengthChecks() {}

  static void require(Input input, int count, Class<?> type) {
    // The name is built only when the check fails: this runs for every array and collection read.
    BoundedInput bounded = (BoundedInput) input;
    if (count < 0 || count > bounded.remaining()) {
      bounded.requireElements(count, type.getName());
    }
  }

  /** {@code new ArrayList(size)} and friends preallocate, so the size is checked first. */
  @SuppressWarnings("rawtypes")
  static final class BoundedCollectionSerializer extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      require(input, size, type);
      return super.create(kryo, input, type, size);
    }
  }

  /** As {@link BoundedCollectionSerializer}, for maps. */
  @SuppressWarnings("rawtypes")
  static final class BoundedMapSerializer extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      require(input, size, type);
      return super.create(kryo, input, type, size);
    }
  }

  /**
   * Wraps one of Kryo's array serializers, which all start with {@code varint(length + 1)} (0 meaning null) and then
   * allocate the array: the prefix is peeked and checked, then the wrapped serializer reads from the same position.
   */
  static final class ArrayLengthCheck<T> extends Serializer<T> {
    private final Serializer<T> delegate;

    ArrayLengthCheck(Serializer<T> delegate) {
      super(delegate.getAcceptsNull(), delegate.isImmutable());
      this.delegate = delegate;
    }

    @Override
    public void write(Kryo kryo, Output output, T array) {
      delegate.write(kryo, output, array);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      int start = input.position();
      int length = input.readVarInt(true) - 1;
      input.setPosition(start);
      if (length != -1) { // -1 is a null array, which reads no further
        require(input, length, type);
      }
      return delegate.read(kryo, input, type);
    }

    @Override
    public T copy(Kryo kryo, T original) {
      return delegate.copy(kryo, original);
    }
  }
}
