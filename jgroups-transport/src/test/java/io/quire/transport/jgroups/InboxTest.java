package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
  // Written by whichever thread the inbox lets deliver (one at a time), read by the test after `drained` completes.
  private final List<String> events = new ArrayList<>();
  private final List<String> threads = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CompletableFuture<Void> blocking = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
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
        threads.add(Thread.currentThread().getName());
      }
      if (text.equals("end")) {
        ended.complete(null);
      }
      if (text.equals("block")) {
        // Holds this deliverer until the test lets go: what arrives meanwhile must queue behind it.
        blocking.complete(null);
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
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

  /* ---- who delivers ---- */

  /** Waits until no thread delivers (the inbox thread lets go just after the task that completed a marker). */
  private void awaitIdle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inbox.delivering() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(inbox.delivering()).as("the inbox thread still delivers after 10 s").isFalse();
  }

  @Test
  void frameFromTheWire_isDeliveredOnTheThreadThatBroughtIt_whenNobodyElseDelivers() throws Exception {
    inbox.view(view(0, self, other));
    inbox.frameFromSelf(self, frame(1, "done"));
    drained.get(10, TimeUnit.SECONDS);
    awaitIdle();

    inbox.frame(other, frame(1, "hello"));

    assertThat(events).containsExactly("view 1", "2:hello");
    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void frameToSelf_isDeliveredOnTheInboxThread_neverTheSenders() throws Exception {
    inbox.view(view(0, self));
    inbox.frameFromSelf(self, frame(1, "me"));
    inbox.frameFromSelf(self, frame(1, "done"));
    drained.get(10, TimeUnit.SECONDS);
    awaitIdle();

    assertThat(events).containsExactly("view 1", "1:me");
    assertThat(threads).containsExactly("quire-jgroups-" + SELF);
  }

  @Test
  void frameArrivingWhileAnotherThreadDelivers_queuesBehind_andThatThreadDeliversIt() throws Exception {
    inbox.view(view(0, self, other));
    inbox.frameFromSelf(self, frame(1, "done"));
    drained.get(10, TimeUnit.SECONDS);
    awaitIdle();
    Thread wire = new Thread(() -> inbox.frame(other, frame(1, "block")), "wire-1");
    wire.start();
    blocking.get(10, TimeUnit.SECONDS);

    inbox.frame(other, frame(1, "next"));
    List<String> whileBlocked = List.copyOf(events.subList(0, 2));
    release.countDown();
    wire.join(10_000);

    assertThat(whileBlocked).containsExactly("view 1", "2:block");
    assertThat(events).containsExactly("view 1", "2:block", "2:next");
    assertThat(threads).containsExactly("wire-1", "wire-1");
  }

  @Test
  void aLongQueue_isHandedToTheInboxThread_afterTheInlineLimit() throws Exception {
    inbox.view(view(0, self, other));
    inbox.frameFromSelf(self, frame(1, "done"));
    drained.get(10, TimeUnit.SECONDS);
    awaitIdle();
    Thread wire = new Thread(() -> inbox.frame(other, frame(1, "block")), "wire-1");
    wire.start();
    blocking.get(10, TimeUnit.SECONDS);
    int queued = Inbox.MAX_INLINE + 5;
    for (int i = 0; i < queued; i++) {
      inbox.frame(other, frame(1, "f" + i));
    }

    release.countDown();
    wire.join(10_000);
    inbox.frameFromSelf(self, frame(1, "end"));
    ended.get(10, TimeUnit.SECONDS);

    assertThat(wire.isAlive()).isFalse();
    assertThat(events).hasSize(1 + 1 + queued + 1).endsWith("2:f" + (queued - 1), "1:end");
    assertThat(threads.subList(0, Inbox.MAX_INLINE)).containsOnly("wire-1");
    assertThat(threads.get(Inbox.MAX_INLINE)).isEqualTo("quire-jgroups-" + SELF);
  }
}
