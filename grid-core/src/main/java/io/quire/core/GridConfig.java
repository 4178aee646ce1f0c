package io.quire.core;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.PageSize;
import java.nio.file.Path;

/**
 * One node's settings. Immutable: each {@code with} method returns a new configuration.
 *
 * @param dataDirectory where the node keeps its identity and disk tier; one directory per node
 * @param pageSize the grid's page size, fixed when the data directory is created
 * @param ramBudgetBytes the most bytes of pages the RAM tier holds before it pages out
 * @param spanningUnitPages how many pages the address generator claims per durable record
 */
public record GridConfig(Path dataDirectory, PageSize pageSize, long ramBudgetBytes, long spanningUnitPages) {

  /** 64 MiB of RAM tier. */
  public static final long DEFAULT_RAM_BUDGET_BYTES = 64L << 20;

  /** 65,536 pages (256 MiB with 4 KiB pages) per claim. */
  public static final long DEFAULT_SPANNING_UNIT_PAGES = 1L << 16;

  public GridConfig {
    requireNonNull(dataDirectory, "dataDirectory");
    requireNonNull(pageSize, "pageSize");
    if (ramBudgetBytes < pageSize.bytes()) {
      throw new IllegalArgumentException("RAM budget of " + ramBudgetBytes + " bytes is smaller than one page ("
          + pageSize.bytes() + " bytes)");
    }
    if (spanningUnitPages < 1) {
      throw new IllegalArgumentException("spanning unit must be at least one page, not " + spanningUnitPages);
    }
  }

  /** Defaults for a node keeping its data in {@code dataDirectory}. */
  public static GridConfig defaults(Path dataDirectory) {
    return new GridConfig(dataDirectory, PageSize.DEFAULT, DEFAULT_RAM_BUDGET_BYTES, DEFAULT_SPANNING_UNIT_PAGES);
  }

  /** This configuration with another page size. */
  public GridConfig withPageSize(PageSize newPageSize) {
    return new GridConfig(dataDirectory, newPageSize, ramBudgetBytes, spanningUnitPages);
  }

  /** This configuration with another RAM tier budget. */
  public GridConfig withRamBudgetBytes(long newRamBudgetBytes) {
    return new GridConfig(dataDirectory, pageSize, newRamBudgetBytes, spanningUnitPages);
  }

  /** This configuration with another spanning unit. */
  public GridConfig withSpanningUnitPages(long newSpanningUnitPages) {
    return new GridConfig(dataDirectory, pageSize, ramBudgetBytes, newSpanningUnitPages);
  }
}
