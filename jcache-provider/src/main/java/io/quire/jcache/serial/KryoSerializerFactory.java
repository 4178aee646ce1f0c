package io.quire.jcache.serial;

import io.quire.spi.serial.SerializerFactory;
import io.quire.spi.serial.SerializerSettings;
import io.quire.spi.serial.ValueSerializer;

/** Creates {@link KryoValueSerializer}s. */
public final class KryoSerializerFactory implements SerializerFactory {

  @Override
  public ValueSerializer create(SerializerSettings settings, ClassLoader loader) {
    return new KryoValueSerializer(settings, loader);
  }
}
