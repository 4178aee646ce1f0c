package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.spi.serial.SerializationException;
import io.quire.spi.serial.ValueSerializer;
import java.util.Arrays;
import javax.cache.CacheException;

/**
 * Turns one cache's keys and values into bytes and back, checking the configured types. Keys are compared by these
 * bytes, so two keys are the same key exactly when they serialise alike.
 */
final class Codec<K, V> {
  private final ValueSerializer serializer;
  private final ClassLoader loader;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final String cacheName;
  private final ReferenceTable references;

  /** @param references the value objects of a store-by-reference cache, or null to store values by value */
  Codec(ValueSerializer serializer, ClassLoader loader, Class<K> keyType, Class<V> valueType, String cacheName,
      ReferenceTable references) {
    this.serializer = serializer;
    this.loader = loader;
    this.keyType = keyType;
    this.valueType = valueType;
    this.cacheName = cacheName;
    this.references = references;
  }

  /** Checks a key's type; {@link ClassCastException} is JCache's answer to a key of the wrong type. */
  K checkKey(Object key) {
    requireNonNull(key, "key");
    if (!keyType.isInstance(key)) {
      throw new ClassCastException("cache '" + cacheName + "' takes keys of type " + keyType.getName()
          + ", not " + key.getClass().getName());
    }
    return keyType.cast(key);
  }

  V checkValue(Object value) {
    requireNonNull(value, "value");
    if (!valueType.isInstance(value)) {
      throw new ClassCastException("cache '" + cacheName + "' takes values of type " + valueType.getName()
          + ", not " + value.getClass().getName());
    }
    return valueType.cast(value);
  }

  byte[] key(Object key) {
    return encode(checkKey(key), "key");
  }

  byte[] value(Object value) {
    V checked = checkValue(value);
    return references != null ? references.add(checked) : encode(checked, "value");
  }

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] bytes) {
    return (K) decode(bytes, "key");
  }

  /**
   * The value stored as {@code bytes}.
   *
   * @throws StaleReferenceException for a store-by-reference cache, when the entry read without the page's privilege
   *     has been overwritten or removed since: the caller reads the entry again
   */
  @SuppressWarnings("unchecked")
  V decodeValue(byte[] bytes) {
    if (references != null) {
      Object value = references.get(bytes);
      if (value == null) {
        throw new StaleReferenceException();
      }
      return (V) value;
    }
    return (V) decode(bytes, "value");
  }

  /**
   * The value stored as the {@code length} bytes at {@code offset} of {@code bytes}, read where they lie.
   *
   * @throws StaleReferenceException as {@link #decodeValue(byte[])}
   */
  @SuppressWarnings("unchecked")
  V decodeValue(byte[] bytes, int offset, int length) {
    if (references != null) {
      return decodeValue(Arrays.copyOfRange(bytes, offset, offset + length));
    }
    try {
      return (V) serializer.deserialize(bytes, offset, length, loader);
    } catch (SerializationException e) {
      throw new CacheException("cache '" + cacheName + "' cannot read a stored value: " + e.getMessage(), e);
    }
  }

  /** A lock-free read found an entry whose object was released by a later change; the entry must be read again. */
  static final class StaleReferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleReferenceException() {
      super(null, null, false, false);
    }
  }

  private byte[] encode(Object o, String what) {
    try {
      return serializer.serialize(o);
    } catch (SerializationException e) {
      throw new CacheException("cache '" + cacheName + "' cannot store " + what + " of type "
          + o.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  private Object decode(byte[] bytes, String what) {
    try {
      return serializer.deserialize(bytes, loader);
    } catch (SerializationException e) {
      throw new CacheException("cache '" + cacheName + "' cannot read a stored " + what + ": " + e.getMessage(), e);
    }
  }
}
