package io.quire.core.coherence;

import java.util.HashMap;
import java.util.Map;

/** The registered operations of a grid, by id. Immutable; every node must be built with the same set. */
public final class OperationRegistry {
  private final Map<Integer, RegisteredOperation> byId;

  private OperationRegistry(Map<Integer, RegisteredOperation> byId) {
    this.byId = Map.copyOf(byId);
  }

  /** A registry of {@code operations}; ids must be distinct. */
  public static OperationRegistry of(RegisteredOperation... operations) {
    Map<Integer, RegisteredOperation> byId = new HashMap<>();
    for (RegisteredOperation op : operations) {
      RegisteredOperation clash = byId.putIfAbsent(op.id(), op);
      if (clash != null) {
        throw new IllegalArgumentException("operations " + clash + " and " + op + " share id " + op.id());
      }
    }
    return new OperationRegistry(byId);
  }

  /** The operation with {@code id}, or null. */
  public RegisteredOperation get(int id) {
    return byId.get(id);
  }
}
