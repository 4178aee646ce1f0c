package io.quire.spi.serial;

/**
 * Turns cache keys and values into bytes and back. Implementations must be safe for concurrent use: one instance
 * serves every thread of a cache.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@code null} arguments are rejected with {@link NullPointerException} (a cache never stores null).</li>
 *   <li>Every other failure is a {@link SerializationException} naming the type at fault when it is known: a class
 *       that is neither registered nor allow-listed (on either side), a value the format cannot represent, or bytes
 *       that are corrupt or truncated. No other exception type escapes, and corrupt input never causes an unbounded
 *       allocation or loop.</li>
 *   <li>Bytes read by {@link #deserialize} must have been produced by a serializer with the same settings; the
 *       format is shared by every node of a grid and is stored in pages, so it never changes incompatibly.</li>
 * </ul>
 */
public interface ValueSerializer {

  /**
   * Serialises a value.
   *
   * @return a new array holding exactly the serialised form
   * @throws NullPointerException if {@code value} is null
   * @throws SerializationException if the value, or an object it holds, cannot be serialised
   */
  byte[] serialize(Object value);

  /**
   * Reads a value from {@code length} bytes of {@code bytes} starting at {@code offset}; all of them must belong to
   * the value. Classes are resolved through {@code loader}, which for JCache is the cache manager's class loader.
   *
   * @throws NullPointerException if {@code bytes} or {@code loader} is null
   * @throws IndexOutOfBoundsException if the range lies outside {@code bytes} (a caller bug, not corrupt data)
   * @throws SerializationException if the bytes are corrupt or truncated, or name a class that is not permitted
   */
  Object deserialize(byte[] bytes, int offset, int length, ClassLoader loader);

  /** Reads a value that occupies the whole of {@code bytes}; see {@link #deserialize(byte[], int, int, ClassLoader)}. */
  default Object deserialize(byte[] bytes, ClassLoader loader) {
    return deserialize(bytes, 0, bytes.length, loader);
  }
}
