package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on. It records what the processor did, and the
 * cache applies it once the processor returns: nothing reaches the page while the processor runs.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** What the processor's calls amount to. */
  enum Operation { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  private final K key;
  private final boolean existed;
  private final Through<K, V> loader;
  private V value;
  private Operation operation = Operation.NONE;

  /**
   * @param current the live value, or null if the key has none
   * @param loader read-through for {@link #getValue()} on an absent key, or null
   */
  ProcessorEntry(K key, V current, Through<K, V> loader) {
    this.key = key;
    this.value = current;
    this.existed = current != null;
    this.loader = loader;
  }

  Operation operation() {
    return operation;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (operation == Operation.NONE) {
      if (value != null) {
        operation = Operation.ACCESS;
      } else if (loader != null) {
        value = loader.load(key);
        if (value != null) {
          operation = Operation.LOAD;
        }
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    value = null;
    // Removing what this processor created or loaded undoes it; any other remove reaches the writer, as in the RI.
    operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
  }

  @Override
  public void setValue(V newValue) {
    requireNonNull(newValue, "value");
    value = newValue;
    operation = existed ? Operation.UPDATE : Operation.CREATE;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a mutable entry cannot be unwrapped to " + clazz.getName());
  }
}
