/**
 * The value serialisation SPI: how cache keys and values become page bytes and back. See
 * {@link io.quire.spi.serial.ValueSerializer} for the contract every implementation keeps, and
 * {@code docs/design/serialization.md} for the format and the allow-list rule.
 */
package io.quire.spi.serial;
