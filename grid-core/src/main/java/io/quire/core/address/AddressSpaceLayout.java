package io.quire.core.address;

/**
 * The fixed map of the address space. The system region (upper 64 bits zero) holds the grid's own bookkeeping: the
 * root directory page at address zero, the generators' claim records, and the directory pages. Users' ranges come
 * from the data region above it. Because system pages are found by this fixed rule, finding them needs no directory:
 * that breaks the circle of a directory stored in the space it indexes.
 */
public final class AddressSpaceLayout {
  /** Page index of the data generator's claim record. */
  private static final long DATA_CLAIM_PAGE = 1;
  /** Page index of the directory-page generator's claim record. */
  private static final long DIRECTORY_CLAIM_PAGE = 2;
  /** First page index handed out for directory pages; 3..15 are kept for future bookkeeping. */
  private static final long FIRST_DIRECTORY_PAGE = 16;

  /**
   * The upper half of the cluster region: pages that every node of a cluster reaches at fixed addresses (the JCache
   * provider's cache catalog). No node ever has this id ({@link io.quire.core.NodeDataDirectory} skips it), so the
   * pages' responsible node is the member after it in each view, the lowest id, and they need no allocation and no
   * directory: the same bootstrap as the system region, for the whole cluster instead of one node.
   */
  public static final long CLUSTER_REGION = 1;

  private final PageSize pageSize;

  public AddressSpaceLayout(PageSize pageSize) {
    this.pageSize = pageSize;
  }

  /** The root directory page: a static, well-known address. */
  public GlobalAddress rootDirectoryPage() {
    return GlobalAddress.ZERO;
  }

  /** Where the data generator records its claims. */
  public GlobalAddress dataClaimPage() {
    return GlobalAddress.ZERO.plusPages(DATA_CLAIM_PAGE, pageSize);
  }

  /** Where the directory-page generator records its claims. */
  public GlobalAddress directoryClaimPage() {
    return GlobalAddress.ZERO.plusPages(DIRECTORY_CLAIM_PAGE, pageSize);
  }

  /** The pages handed out to the directory for its own pages. */
  public AddressRange directoryRegion() {
    GlobalAddress start = GlobalAddress.ZERO.plusPages(FIRST_DIRECTORY_PAGE, pageSize);
    long pages = (1L << (64 - pageSize.shift())) - FIRST_DIRECTORY_PAGE;
    return new AddressRange(start, pages, pageSize);
  }

  /** The pages handed out to users: everything above the system region. */
  public AddressRange dataRegion() {
    // 2^63 - 1 pages: far beyond what any cluster stores, and the count still fits a long.
    long pages = Long.MAX_VALUE;
    return new AddressRange(new GlobalAddress(1, 0), pages, pageSize);
  }

  /**
   * The data region of one node of a cluster: the addresses whose upper 64 bits are the node's id, so the node that
   * allocated (and is responsible for) any data address can be read off the address itself.
   */
  public AddressRange dataRegion(io.quire.core.NodeId node) {
    if (node.value() == 0) {
      throw new IllegalArgumentException("node id 0 would put data in the system region");
    }
    if (node.value() == CLUSTER_REGION) {
      throw new IllegalArgumentException("node id " + CLUSTER_REGION + " would put data in the cluster region");
    }
    long pages = (1L << (64 - pageSize.shift())) - 1;
    return new AddressRange(new GlobalAddress(node.value(), 0), pages, pageSize);
  }

  /** Page {@code index} of the cluster region: a well-known address shared by every node of a cluster. */
  public GlobalAddress clusterPage(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("cluster page index must not be negative: " + index);
    }
    return new GlobalAddress(CLUSTER_REGION, 0).plusPages(index, pageSize);
  }

  /** True for addresses of the system region, which users never allocate, read or write. */
  public boolean isSystem(GlobalAddress address) {
    return address.hi() == 0;
  }
}
