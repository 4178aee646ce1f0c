package io.quire.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTest {
  private static final NodeId ONE = new NodeId(1);
  private static final NodeId TWO = new NodeId(2);
  private static final NodeId HIGH = new NodeId(-1);

  @Test
  void members_areSortedByUnsignedIdAndImmutable() {
    List<NodeId> given = new ArrayList<>(List.of(HIGH, TWO, ONE));
    View view = new View(3, given);
    given.clear();

    assertThat(view.members()).containsExactly(ONE, TWO, HIGH);
    assertThatThrownBy(() -> view.members().add(ONE)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(view).isEqualTo(new View(3, List.of(ONE, TWO, HIGH)));
  }

  @Test
  void contains_findsMembersOnly() {
    View view = new View(1, List.of(HIGH, ONE));

    assertThat(view.contains(HIGH)).isTrue();
    assertThat(view.contains(ONE)).isTrue();
    assertThat(view.contains(TWO)).isFalse();
    assertThat(View.empty().contains(ONE)).isFalse();
  }

  @Test
  void duplicateMember_isRejected() {
    assertThatThrownBy(() -> new View(1, List.of(ONE, ONE))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }
}
