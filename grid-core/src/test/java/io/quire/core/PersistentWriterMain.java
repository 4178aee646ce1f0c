package io.quire.core;

import io.quire.core.address.AddressRange;
import io.quire.core.page.Durability;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The victim of the SIGKILL test, run in its own JVM: writes increasing counters into the pages of a persistent range
 * and prints {@code ACK <page> <value>} only after each write has returned. Stops by itself after a bounded number of
 * writes, in case the parent dies without killing it.
 */
public final class PersistentWriterMain {
  private PersistentWriterMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int pages = Integer.parseInt(args[1]);
    int maxWrites = Integer.parseInt(args[2]);
    GridNode node = GridNode.open(GridConfig.defaults(dir).withRamBudgetBytes(64 * 1024));
    AddressRange range = node.memory().allocate(pages, Durability.PERSISTENT);
    System.out.println("RANGE " + range.start().hi() + " " + range.start().lo());
    for (int value = 1; value <= maxWrites; value++) {
      int page = value % pages;
      node.memory().write(range.page(page), ByteBuffer.allocate(Long.BYTES).putLong(value).array());
      System.out.println("ACK " + page + " " + value);
    }
    System.out.println("DONE");
    // No close(): the parent kills this JVM, and a JVM that was not killed must not make the test pass by closing.
    Runtime.getRuntime().halt(0);
  }
}
