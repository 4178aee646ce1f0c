package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox's ordering rule: a frame sent in a view is delivered after that view. Each test ends with a marker task
 * whose delivery proves that everything enqueued before it ran (the inbox is one thread, FIFO), so nothing waits on
 * time.
 */
class InboxTest {
  private static final NodeId SELF = new NodeId(1);
  private static final NodeId OTHER = new NodeId(2);
  private final Address self = Membership.addressFor(SELF);
  private final Address other = Membership.addressFor(OTHER);
  private final Address stranger = UUID.randomUUID();
  private final List<String> events = new ArrayList<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final Inbox inbox = new Inbox(SELF, new Inbox.Target() {
    @Override
    public void deliverView(Membership membership) {
      events.add("view " + membership.view().viewId());
    }

    @Override
    public void deliverFrame(NodeId from, Frame frame) {
      String text = StandardCharsets.UTF_8.decode(frame.payload()).toString();
      if (text.equals("done")) {
        drained.complete(null);
      } else {
        events.add(from.value() + ":" + text);
      }
    }
  }, 3);

  @AfterEach
  void close() {
    inbox.close();
  }

  private Membership view(long jgroupsId, Address... members) {
    return Membership.of(View.create(members[0], jgroupsId, members));
  }

  private static Frame frame(long viewId, String text) {
    return new Frame(Frame.Type.MESSAGE, viewId, 0, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Waits until everything enqueued so far was handled; returns what was delivered, in order. */
  private List<String> drain(long viewId) throws Exception {
    inbox.frame(self, frame(viewId, "done"));
    drained.get(10, TimeUnit.SECONDS);
    return events;
  }

  @Test
  void frameSentInANewerView_waitsForThatView() throws Exception {
    inbox.view(view(0, self));
    inbox.frame(other, frame(2, "hello"));
    inbox.view(view(1, self, other));

    assertThat(drain(2)).containsExactly("view 1", "view 2", "2:hello");
    assertThat(inbox.heldForView()).isEqualTo(1);
  }

  @Test
  void laterFramesFromTheSameSender_waitBehindAHeldOne() throws Exception {
    inbox.view(view(0, self, other));
    inbox.frame(other, frame(2, "first"));
    inbox.frame(other, frame(1, "second"));
    inbox.frame(self, frame(1, "mine"));
    inbox.view(view(1, self, other));

    assertThat(drain(2)).containsExactly("view 1", "1:mine", "view 2", "2:first", "2:second");
  }

  @Test
  void heldFrameFromANodeOutsideTheView_isDroppedWhenItsViewComes() throws Exception {
    inbox.view(view(0, self));
    inbox.frame(other, frame(2, "too early"));
    inbox.view(view(1, self));

    assertThat(drain(2)).containsExactly("view 1", "view 2");
    assertThat(inbox.fromNonMembers()).isEqualTo(1);
  }

  @Test
  void frameFromAStranger_isDropped() throws Exception {
    inbox.view(view(0, self, stranger));
    inbox.frame(stranger, frame(1, "who am I"));

    assertThat(drain(1)).containsExactly("view 1");
    assertThat(inbox.fromNonMembers()).isEqualTo(1);
  }

  @Test
  void framesBeyondTheHoldLimit_areDropped() throws Exception {
    inbox.view(view(0, self, other));
    for (int i = 0; i < 5; i++) {
      inbox.frame(other, frame(9, "f" + i));
    }
    inbox.view(view(8, self, other));

    assertThat(drain(9)).containsExactly("view 1", "view 9", "2:f0", "2:f1", "2:f2");
    assertThat(inbox.droppedHeld()).isEqualTo(2);
  }

  @Test
  void afterClose_nothingIsDelivered() throws Exception {
    inbox.close();
    inbox.view(view(0, self));
    inbox.frame(self, frame(1, "late"));

    assertThat(events).isEmpty();
  }
}
