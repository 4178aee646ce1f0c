package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

/** The wire forms of the cluster event bus: what a node sends decodes to the same, and nothing else decodes. */
class ClusterEventBusCodecTest {
  private static final List<EventBus.EncodedEvent> EVENTS = List.of(
      new EventBus.EncodedEvent(EventType.CREATED, new byte[] {1}, new byte[] {2, 3}, null),
      new EventBus.EncodedEvent(EventType.REMOVED, new byte[] {4}, new byte[] {5}, new byte[] {5}));

  @Test
  void anEventBatch_decodesToTheSameEvents() {
    ClusterEventBus.Batch batch = ClusterEventBus.decodeEvents(ClusterEventBus.encodeEvents("orders", EVENTS));
    assertThat(batch.cacheName()).isEqualTo("orders");
    assertThat(batch.events()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      EventBus.EncodedEvent expected = EVENTS.get(i);
      EventBus.EncodedEvent actual = batch.events().get(i);
      assertThat(actual.type()).isEqualTo(expected.type());
      assertThat(actual.key()).isEqualTo(expected.key());
      assertThat(actual.value()).isEqualTo(expected.value());
      assertThat(actual.oldValue()).isEqualTo(expected.oldValue());
    }
  }

  @Test
  void everyTruncatedOrLengthenedBatch_isRefusedWithAReason() {
    byte[] whole = ClusterEventBus.encodeEvents("orders", EVENTS);
    for (int length = 0; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> ClusterEventBus.decodeEvents(cut)).as("first %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] longer = Arrays.copyOf(whole, whole.length + 1);
    assertThatThrownBy(() -> ClusterEventBus.decodeEvents(longer)).hasMessageContaining("1 trailing bytes");
  }

  @Test
  void anUnknownEventType_isRefused() {
    byte[] bad = ClusterEventBus.encodeEvents("c", List.of(EVENTS.get(0)));
    bad[2 + 1 + 4] = 9;
    assertThatThrownBy(() -> ClusterEventBus.decodeEvents(bad)).hasMessageContaining("unknown event type 9");
  }

  @Test
  void anInterestSet_roundTripsWithItsStamp_andATruncatedOneIsRefused() {
    byte[] whole = ClusterEventBus.encodeInterest(new ClusterEventBus.Interest(42, Set.of("a", "bb")));
    assertThat(ClusterEventBus.decodeInterest(whole).names()).containsExactlyInAnyOrder("a", "bb");
    assertThat(ClusterEventBus.decodeInterest(whole).sequence()).isEqualTo(42);
    assertThatThrownBy(() -> ClusterEventBus.decodeInterest(Arrays.copyOf(whole, whole.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
