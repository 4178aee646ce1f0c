package io.quire.core.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.spi.transport.View;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumTest {
  private static final NodeId A = new NodeId(1);
  private static final NodeId B = new NodeId(2);
  private static final NodeId C = new NodeId(3);
  private static final NodeId D = new NodeId(4);
  private static final NodeId E = new NodeId(5);

  private static View view(long id, NodeId... members) {
    return new View(id, List.of(members));
  }

  @Test
  void theFirstViewIsPrimary_evenWhenItJoinsARunningCluster() {
    assertThat(new Quorum().admit(view(7, A, B, C))).isTrue();
    assertThat(new Quorum().admit(view(1, C))).isTrue();
  }

  @Test
  void joinsGrowThePrimarySet_oneAtATime() {
    Quorum q = new Quorum();
    assertThat(q.admit(view(1, A))).isTrue();
    assertThat(q.admit(view(2, A, B))).isTrue();
    assertThat(q.admit(view(3, A, B, C))).isTrue();
    assertThat(q.primaryMembers()).containsExactly(A, B, C);
  }

  @Test
  void aSplit_isPrimaryOnlyOnTheMajoritySide_andTheMergeIsPrimaryForBoth() {
    Quorum onA = new Quorum();
    Quorum onC = new Quorum();
    onA.admit(view(3, A, B, C));
    onC.admit(view(3, A, B, C));

    assertThat(onA.admit(view(4, A, B))).isTrue();
    assertThat(onC.admit(view(4, C))).isFalse();
    // The minority judges later views against the view before the split, not its own.
    assertThat(onC.primaryMembers()).containsExactly(A, B, C);

    assertThat(onA.admit(view(6, A, B, C))).isTrue();
    assertThat(onC.admit(view(6, A, B, C))).isTrue();
  }

  @Test
  void aSecondSplitOfTheMajority_isJudgedAgainstTheMajoritysView() {
    Quorum q = new Quorum();
    q.admit(view(1, A, B, C, D, E));
    assertThat(q.admit(view(2, A, B, C))).isTrue();
    // Two of the five are still there, but only one of the three that went on: no quorum.
    assertThat(q.admit(view(3, C, D, E))).isFalse();
    assertThat(q.admit(view(4, A, B))).isTrue();
  }

  @Test
  void anEvenSplit_goesToTheSideHoldingTheLowestId() {
    Quorum left = new Quorum();
    Quorum right = new Quorum();
    left.admit(view(1, A, B, C, D));
    right.admit(view(1, A, B, C, D));
    assertThat(left.admit(view(2, A, B))).isTrue();
    assertThat(right.admit(view(2, C, D))).isFalse();
  }

  @Test
  void announcedLeavers_doNotCountAgainstTheNodesThatStay() {
    Quorum q = new Quorum();
    q.admit(view(1, A, B, C));
    q.departing(B);
    q.departing(C);
    assertThat(q.admit(view(2, A, C))).isTrue();
    assertThat(q.admit(view(3, A))).isTrue();
  }

  @Test
  void anUnannouncedDepartureOfTheLowestIdInAPair_leavesNoQuorum() {
    Quorum q = new Quorum();
    q.admit(view(1, A, B));
    assertThat(q.admit(view(2, B))).isFalse();
  }
}
