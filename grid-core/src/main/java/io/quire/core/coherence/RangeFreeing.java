package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.message.CoherenceMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Freeing a range across the cluster ({@code docs/design/coherence.md}, "Freeing a range"): the allocating node tells
 * every member to drop every copy of the range's pages (owned, read copies, backups); each member remembers the range
 * so that late grants and replica updates cannot bring a copy back, and refuses further operations on it.
 *
 * <p>Runs on its engine's thread and works on the engine's state directly, under the engine's discipline: no locks.
 */
final class RangeFreeing {
  /** A free this node started and retransmits until every member has acknowledged it. */
  private record Outgoing(CoherenceMessage.FreeRange message, Set<NodeId> acked, CompletableFuture<Void> done) {}

  private final CoherenceEngine engine;
  /** Ranges freed anywhere in the cluster that this node heard of. */
  private final List<AddressRange> freed = new ArrayList<>();
  private final Map<GlobalAddress, Outgoing> outgoing = new HashMap<>();
  /** Acknowledgements this node owes for frees whose pages still have a write in progress here. */
  private final Map<GlobalAddress, Integer> unfinishedDrops = new HashMap<>();

  RangeFreeing(CoherenceEngine engine) {
    this.engine = engine;
  }

  /** True when {@code page} lies in a range this node knows is freed. */
  boolean isFreed(GlobalAddress page) {
    for (AddressRange range : freed) {
      if (range.contains(page)) {
        return true;
      }
    }
    return false;
  }

  /** Frees {@code range} on every member; completes once each has dropped its copies. */
  void free(AddressRange range, CompletableFuture<Void> done) {
    CoherenceMessage.FreeRange message = new CoherenceMessage.FreeRange(range.start(), range.pages(), engine.self);
    Outgoing free = new Outgoing(message, new HashSet<>(), done);
    outgoing.put(range.start(), free);
    forget(range, () -> {
      free.acked().add(engine.self);
      announce(free);
    });
  }

  private void announce(Outgoing free) {
    if (outgoing.get(free.message().start()) != free) {
      return;
    }
    free.acked().retainAll(engine.view.members());
    if (free.acked().containsAll(engine.view.members())) {
      outgoing.remove(free.message().start());
      free.done().complete(null);
      return;
    }
    for (NodeId member : engine.view.members()) {
      if (!free.acked().contains(member)) {
        engine.sendTo(member, free.message());
      }
    }
    engine.later(() -> announce(free));
  }

  void onFreeRange(CoherenceMessage.FreeRange m) {
    AddressRange range = new AddressRange(m.start(), m.pages(), engine.pageSize());
    if (isFreed(m.start()) && !unfinishedDrops.containsKey(m.start())) {
      engine.sendTo(m.from(), new CoherenceMessage.FreeRangeAck(m.start(), engine.self));
      return;
    }
    forget(range, () -> engine.sendTo(m.from(), new CoherenceMessage.FreeRangeAck(m.start(), engine.self)));
  }

  void onAck(CoherenceMessage.FreeRangeAck m) {
    Outgoing free = outgoing.get(m.start());
    if (free != null) {
      free.acked().add(m.from());
      if (free.acked().containsAll(engine.view.members())) {
        announce(free);
      }
    }
  }

  /**
   * Remembers {@code range} as freed and drops this node's copies of its pages; a page with a write in progress is
   * dropped once that write is done. Runs {@code then} when every copy is gone.
   */
  private void forget(AddressRange range, Runnable then) {
    if (!isFreed(range.start())) {
      freed.add(range);
    }
    for (PendingRequest request : new ArrayList<>(engine.requests.values())) {
      if (range.contains(request.page)) {
        engine.requests.remove(request.id);
        if (request.retry != null) {
          request.retry.cancel();
        }
        request.future.completeExceptionally(new RefusedException(request.page, engine.self, "its range was freed"));
      }
    }
    for (GlobalAddress page : new ArrayList<>(engine.replicaPages)) {
      if (range.contains(page)) {
        engine.replicaStore.remove(page);
        engine.replicaPages.remove(page);
        engine.replicaRecent.remove(page);
      }
    }
    engine.owners.keySet().removeIf(range::contains);
    engine.grants.keySet().removeIf(range::contains);
    int[] waiting = {0};
    Runnable finishOne = () -> {
      if (--waiting[0] == 0) {
        unfinishedDrops.remove(range.start());
        then.run();
      }
    };
    List<PageState> inRange = new ArrayList<>();
    for (PageState st : engine.pages.values()) {
      if (range.contains(st.page)) {
        inRange.add(st);
      }
    }
    waiting[0] = inRange.size() + 1;
    unfinishedDrops.put(range.start(), waiting[0]);
    for (PageState st : inRange) {
      drop(st, finishOne);
    }
    finishOne.run();
  }

  private void drop(PageState st, Runnable dropped) {
    if (st.pending != null) {
      // The write in progress finishes first (its replicas and copies are waiting to acknowledge it).
      st.parked.addFirst(() -> drop(st, dropped));
      return;
    }
    engine.pager.remove(st.page);
    engine.pages.remove(st.page);
    st.role = PageState.Role.NONE;
    st.locked = false;
    List<Runnable> parked = new ArrayList<>(st.parked);
    parked.addAll(st.lockWaiters);
    st.parked.clear();
    st.lockWaiters.clear();
    // Requests that waited on the page are answered now: refused, since the page is freed.
    parked.forEach(Runnable::run);
    dropped.run();
  }
}
