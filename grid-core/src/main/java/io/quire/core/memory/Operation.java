package io.quire.core.memory;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;

/**
 * One call of the memory API as a value, dispatched by its op-code to its handler.
 *
 * @param <R> what the operation returns
 */
public sealed interface Operation<R> {

  /** The op-code that selects the handler. */
  OpCode code();

  /** Allocate a range. */
  record Allocate(long pages, Durability durability) implements Operation<AddressRange> {
    public Allocate {
      requireNonNull(durability, "durability");
    }

    @Override
    public OpCode code() {
      return OpCode.ALLOCATE;
    }
  }

  /** Read the page holding an address. */
  record Read(GlobalAddress address) implements Operation<Page> {
    public Read {
      requireNonNull(address, "address");
    }

    @Override
    public OpCode code() {
      return OpCode.READ;
    }
  }

  /**
   * Write bytes at an address. The array is not copied: the memory API builds this record from the caller's array
   * and the handler copies what it keeps, so the record never outlives the call.
   */
  record Write(GlobalAddress address, byte[] bytes) implements Operation<Page> {
    public Write {
      requireNonNull(address, "address");
      requireNonNull(bytes, "bytes");
    }

    @Override
    public OpCode code() {
      return OpCode.WRITE;
    }
  }

  /** Atomically read-modify-write the page holding an address. */
  record Update(GlobalAddress address, PageUpdate update) implements Operation<Page> {
    public Update {
      requireNonNull(address, "address");
      requireNonNull(update, "update");
    }

    @Override
    public OpCode code() {
      return OpCode.UPDATE;
    }
  }

  /** Take a page's lock. */
  record Lock(GlobalAddress address) implements Operation<Void> {
    public Lock {
      requireNonNull(address, "address");
    }

    @Override
    public OpCode code() {
      return OpCode.LOCK;
    }
  }

  /** Release a page's lock. */
  record Unlock(GlobalAddress address) implements Operation<Void> {
    public Unlock {
      requireNonNull(address, "address");
    }

    @Override
    public OpCode code() {
      return OpCode.UNLOCK;
    }
  }

  /** Free a range by its start address. */
  record Free(GlobalAddress rangeStart) implements Operation<Void> {
    public Free {
      requireNonNull(rangeStart, "rangeStart");
    }

    @Override
    public OpCode code() {
      return OpCode.FREE;
    }
  }
}
