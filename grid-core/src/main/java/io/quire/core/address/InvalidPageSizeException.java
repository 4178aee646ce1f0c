package io.quire.core.address;

/** A page size that is not a power of two in the supported range. */
public final class InvalidPageSizeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidPageSizeException(int bytes) {
    super("page size " + bytes + " is not valid: it must be a power of two between " + PageSize.MIN_BYTES
        + " and " + PageSize.MAX_BYTES + " bytes (for example 4096)");
  }
}
