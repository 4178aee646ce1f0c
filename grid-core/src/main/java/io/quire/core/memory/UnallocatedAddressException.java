package io.quire.core.memory;

import io.quire.core.GridException;
import io.quire.core.address.GlobalAddress;

/** An address outside every allocated range: never allocated, already freed (use after free), or a system page. */
public final class UnallocatedAddressException extends GridException {
  private static final long serialVersionUID = 1L;

  UnallocatedAddressException(GlobalAddress address, String detail) {
    super("address " + address + " " + detail);
  }

  static UnallocatedAddressException notAllocated(GlobalAddress address) {
    return new UnallocatedAddressException(address, "is not in an allocated range: it was freed (use after free) "
        + "or never allocated; allocate a range first and use addresses inside it");
  }

  static UnallocatedAddressException system(GlobalAddress address) {
    return new UnallocatedAddressException(address, "is in the grid's system region (upper 64 bits zero), which "
        + "holds the directory and is not for data; use an address from allocate()");
  }

  static UnallocatedAddressException notRangeStart(GlobalAddress address) {
    return new UnallocatedAddressException(address, "is not the start of an allocated range; free() takes the "
        + "start address that allocate() returned");
  }
}
