package io.quire.spi.store;

/** A call on a store after {@link PageStore#close()}. */
public final class StoreClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String store) {
    super(store + " is closed");
  }
}
