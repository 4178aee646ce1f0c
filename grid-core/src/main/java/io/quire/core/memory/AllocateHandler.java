package io.quire.core.memory;

import io.quire.core.NodeId;
import io.quire.core.address.AddressGenerator;
import io.quire.core.address.AddressRange;
import io.quire.core.directory.RangeEntry;

/** Allocates a range from the data generator and links it into the directory, naming this node responsible. */
final class AllocateHandler implements OperationHandler<Operation.Allocate, AddressRange> {
  private final LocalPages pages;
  private final AddressGenerator generator;
  private final NodeId self;

  AllocateHandler(LocalPages pages, AddressGenerator generator, NodeId self) {
    this.pages = pages;
    this.generator = generator;
    this.self = self;
  }

  @Override
  public AddressRange handle(Operation.Allocate op) {
    if (op.pages() < 1) {
      throw new IllegalArgumentException("cannot allocate " + op.pages() + " pages: a range holds at least one");
    }
    pages.structure.writeLock().lock();
    try {
      pages.requireOpen();
      AddressRange range = generator.next(op.pages());
      pages.directory.insert(new RangeEntry(range, self, op.durability()));
      return range;
    } finally {
      pages.structure.writeLock().unlock();
    }
  }
}
