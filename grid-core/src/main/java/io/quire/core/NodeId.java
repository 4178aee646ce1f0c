package io.quire.core;

/**
 * A grid node's identity: stable across restarts (it is kept in the node's data directory) and unique in a cluster.
 *
 * @param value the 64-bit id
 */
public record NodeId(long value) {

  @Override
  public String toString() {
    return "node-" + Long.toUnsignedString(value, 16);
  }
}
