package io.quire.core;

import io.quire.core.address.GlobalAddress;

/**
 * A snapshot of what one node holds.
 *
 * @param ramPages pages resident in the RAM tier
 * @param ramBytes bytes the RAM tier is charged for them
 * @param ramBudgetBytes the RAM tier's budget
 * @param diskPages pages in the disk file
 * @param pageIns pages read back from disk since start
 * @param pageOuts dirty pages written to disk by eviction since start
 * @param ranges allocated ranges in the directory
 * @param directoryDepth levels of directory pages from the root to a leaf
 * @param nextFreeAddress the first data address the generator has not handed out
 */
public record GridStats(long ramPages, long ramBytes, long ramBudgetBytes, long diskPages, long pageIns,
    long pageOuts, long ranges, int directoryDepth, GlobalAddress nextFreeAddress) {}
