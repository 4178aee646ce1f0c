package io.quire.core.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.directory.Directory;
import io.quire.core.directory.DirectoryPageIo;
import io.quire.spi.transport.View;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which members back up a page: the {@code k-1} after its acting responsible node, never that node itself. */
class DirectoryResponsibilityTest {
  private static final NodeId A = new NodeId(10);
  private static final NodeId B = new NodeId(20);
  private static final NodeId C = new NodeId(30);
  private final AtomicReference<View> view = new AtomicReference<>(new View(1, List.of(A, B, C)));
  private final DirectoryResponsibility responsibility = new DirectoryResponsibility(A, directory(), 2, view::get);

  @Test
  void replicasFor_aMembersPage_areTheMembersAfterIt() {
    assertThat(responsibility.replicasFor(new GlobalAddress(B.value(), 0))).containsExactly(C);
    assertThat(responsibility.replicasFor(new GlobalAddress(C.value(), 0))).containsExactly(A);
  }

  @Test
  void replicasFor_aClusterRegionPage_leaveOutItsActingResponsibleNode() {
    GlobalAddress catalog = new AddressSpaceLayout(PageSize.DEFAULT).clusterPage(0);
    // The lowest id acts for the cluster region; its backup is the next member, not itself.
    assertThat(responsibility.replicasFor(catalog)).containsExactly(B);
  }

  @Test
  void replicasFor_aDepartedNodesPage_leaveOutTheMemberActingForIt() {
    view.set(new View(2, List.of(A, C)));
    assertThat(responsibility.replicasFor(new GlobalAddress(B.value(), 0))).containsExactly(A);
    view.set(new View(3, List.of(A)));
    assertThat(responsibility.replicasFor(new GlobalAddress(B.value(), 0))).isEmpty();
  }

  @Test
  void replicasFor_spreadAcrossGroups_skippingRingNeighboursInTheResponsibleNodesGroup() {
    NodeId d = new NodeId(40);
    NodeId e = new NodeId(50);
    view.set(new View(2, List.of(A, B, C, d, e)));
    // A and B in site-a/rack-1, C in site-a/rack-2, D and E in site-b.
    Topology sites = Topology.of(Map.of(A, "site-a/rack-1", B, "site-a/rack-1", C, "site-a/rack-2", d, "site-b",
        e, "site-b"));
    DirectoryResponsibility k3 = new DirectoryResponsibility(A, directory(), 3, view::get, sites);
    // From A: the ring is B, C, D, E; D is farthest (another site), then C (another rack) beats E (D's site).
    assertThat(k3.replicasFor(new GlobalAddress(A.value(), 0))).containsExactly(d, C);
    // From D: the ring is E, A, B, C; A is the first in another site; then C (another rack than A's) beats E (in D's
    // site) and B (in A's rack).
    assertThat(k3.replicasFor(new GlobalAddress(d.value(), 0))).containsExactly(A, C);
  }

  @Test
  void replicasFor_withoutGroups_areTheRingNeighbours() {
    NodeId d = new NodeId(40);
    view.set(new View(2, List.of(A, B, C, d)));
    DirectoryResponsibility k3 = new DirectoryResponsibility(A, directory(), 3, view::get, Topology.FLAT);
    assertThat(k3.replicasFor(new GlobalAddress(C.value(), 0))).containsExactly(d, A);
  }

  private static Directory directory() {
    Map<GlobalAddress, byte[]> pages = new HashMap<>();
    AtomicLong next = new AtomicLong(1);
    return Directory.open(new DirectoryPageIo() {
      @Override
      public byte[] read(GlobalAddress page) {
        return pages.get(page);
      }

      @Override
      public void write(GlobalAddress page, byte[] bytes) {
        pages.put(page, bytes.clone());
      }

      @Override
      public GlobalAddress allocatePage() {
        return new GlobalAddress(7, next.getAndIncrement() * PageSize.DEFAULT.bytes());
      }

      @Override
      public void freePage(GlobalAddress page) {
        pages.remove(page);
      }
    }, PageSize.DEFAULT);
  }
}
