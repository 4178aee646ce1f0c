package io.quire.core.address;

import io.quire.core.GridException;

/** An allocation that does not fit in what is left of the generator's region. */
public final class AddressSpaceExhaustedException extends GridException {
  private static final long serialVersionUID = 1L;

  AddressSpaceExhaustedException(long pages, GlobalAddress next, GlobalAddress regionEnd) {
    super("cannot allocate " + pages + " pages at " + next + ": the region ends at " + regionEnd);
  }
}
