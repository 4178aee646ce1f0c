/**
 * Kryo-backed value serialisation for caches: {@link io.quire.jcache.serial.KryoValueSerializer} and its factory.
 *
 * <p>Implementation notes. Kryo instances are not thread-safe, so each call borrows one from a {@code Pool} and
 * returns it in {@code finally}; an instance that failed mid-operation is reset and given a fresh generics stack
 * before it goes back, because Kryo may leave that per-operation state behind. Every class goes through
 * {@code AllowListClassResolver}, which is where the allow-list is enforced on both write and read. Reads go through
 * {@code BoundedInput} and the length-checked serializers so that a forged length prefix fails before Kryo allocates
 * for it. The id table lives in {@code BuiltInRegistrations}; {@code docs/design/serialization.md} is the spec.
 */
package io.quire.jcache.serial;
