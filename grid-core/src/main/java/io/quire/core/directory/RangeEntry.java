package io.quire.core.directory;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.page.Durability;

/**
 * A directory leaf entry: an allocated range and the node responsible for tracking its pages.
 *
 * @param range the allocated pages
 * @param responsible the node that keeps the pages' owner, copysets and versions
 * @param durability what the range promises about crashes
 */
public record RangeEntry(AddressRange range, NodeId responsible, Durability durability) {
  public RangeEntry {
    requireNonNull(range, "range");
    requireNonNull(responsible, "responsible");
    requireNonNull(durability, "durability");
  }
}
