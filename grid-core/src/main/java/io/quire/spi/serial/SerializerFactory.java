package io.quire.spi.serial;

/**
 * Creates {@link ValueSerializer}s. An implementation is chosen per grid (every node must use the same one with the
 * same settings, since the bytes it writes are shared through pages).
 */
public interface SerializerFactory {

  /**
   * Creates a serializer for {@code settings}.
   *
   * @param loader resolves the class names in {@link SerializerSettings#registered()}
   * @throws NullPointerException if an argument is null
   * @throws SerializationException if a registered class cannot be loaded or registered
   */
  ValueSerializer create(SerializerSettings settings, ClassLoader loader);
}
