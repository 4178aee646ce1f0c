package io.quire.core.memory;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressGenerator;
import io.quire.core.address.GlobalAddress;
import io.quire.core.directory.DirectoryPageIo;
import io.quire.core.page.Page;
import io.quire.store.Pager;
import java.util.function.Supplier;

/**
 * The grid's own bookkeeping pages (directory pages and the generators' claim records), kept in the same tiers as
 * data and always persistent. Their addresses come from the fixed {@link io.quire.core.address.AddressSpaceLayout},
 * so reaching them needs no directory.
 *
 * <p>Concurrency: each system page has a single writer by construction (the directory serialises its page writes,
 * each generator its claim record), so a read-then-write of the version needs no page lock here.
 */
public final class SystemPages implements DirectoryPageIo {
  private final Pager pager;
  private final Supplier<AddressGenerator> directoryGenerator;

  /**
   * @param directoryGenerator hands out addresses for new directory pages; a supplier because that generator keeps
   *     its own claim record in a system page, so it is built after this object
   */
  public SystemPages(Pager pager, Supplier<AddressGenerator> directoryGenerator) {
    this.pager = requireNonNull(pager, "pager");
    this.directoryGenerator = requireNonNull(directoryGenerator, "directoryGenerator");
  }

  /** The page's own bytes, shared: the directory only reads them and writes new arrays. */
  @Override
  public byte[] read(GlobalAddress page) {
    Page stored = pager.read(page);
    return stored == null ? null : stored.sharedBytes();
  }

  @Override
  public void write(GlobalAddress page, byte[] bytes) {
    Page current = pager.read(page);
    long version = current == null ? 1 : current.version() + 1;
    pager.write(Page.of(page, version, false, false, bytes));
  }

  @Override
  public GlobalAddress allocatePage() {
    return directoryGenerator.get().next(1).start();
  }

  @Override
  public void freePage(GlobalAddress page) {
    pager.remove(page);
  }

  /** A generator's claim record kept in the system page at {@code page}. */
  public AddressGenerator.ClaimRecord claimRecord(GlobalAddress page) {
    return new AddressGenerator.ClaimRecord() {
      @Override
      public GlobalAddress load() {
        byte[] bytes = read(page);
        return bytes == null ? null : GlobalAddress.readFrom(bytes, 0);
      }

      @Override
      public void store(GlobalAddress claimedEnd) {
        write(page, claimedEnd.toBytes());
      }
    };
  }
}
