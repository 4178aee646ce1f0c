package io.quire.jcache.serial;

import io.quire.spi.serial.SerializerSettings;

/** Serializers the tests share. */
final class Serializers {
  static final ClassLoader LOADER = Serializers.class.getClassLoader();

  private Serializers() {}

  /** Built-ins plus the test fixtures package. */
  static KryoValueSerializer fixtures() {
    return new KryoValueSerializer(SerializerSettings.defaults().withAllowed("io.quire.jcache.serial.fixtures.*"),
        LOADER);
  }

  /** Built-ins only. */
  static KryoValueSerializer strict() {
    return new KryoValueSerializer(SerializerSettings.defaults(), LOADER);
  }

  /** Also admits the "evil" package: used to craft bytes a strict serializer must refuse. */
  static KryoValueSerializer permissive() {
    return new KryoValueSerializer(SerializerSettings.defaults()
        .withAllowed("io.quire.jcache.serial.fixtures.*", "io.quire.jcache.serial.evil.*"), LOADER);
  }

  static Object roundTrip(KryoValueSerializer serializer, Object value) {
    return serializer.deserialize(serializer.serialize(value), LOADER);
  }
}
