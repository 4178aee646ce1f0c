package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.message.Bytes;
import io.quire.core.message.CoherenceMessage;
import io.quire.core.message.CoherenceMessage.Applied;
import io.quire.core.message.PageOp;
import io.quire.core.page.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The owner's side of the coherence protocol ({@code docs/design/coherence.md}, "Write" and "Local write at the
 * owner"): it applies writes, invalidates read copies and updates replicas before a version commits, grants read
 * copies, and hands ownership over.
 *
 * <p>Runs on its engine's thread and works on the engine's state directly, under the engine's discipline: no locks.
 */
final class OwnerRole {
  private static final Logger LOG = Logger.getLogger(CoherenceEngine.class.getName());

  private final CoherenceEngine engine;

  OwnerRole(CoherenceEngine engine) {
    this.engine = engine;
  }

  /** What a completed write tells whoever asked for it. */
  @FunctionalInterface
  interface WriteOutcome {
    void done(long version, Bytes result);
  }

  void applyAsOwner(PageState st, PageOp op, long requestId, WriteOutcome done) {
    byte[] current = engine.ownedPage(st).toByteArray(engine.pageBytes());
    byte[] next;
    Bytes result = Bytes.EMPTY;
    if (op instanceof PageOp.WriteBytes write) {
      if (write.bytes().length() == 0) {
        done.done(st.version, Bytes.EMPTY);
        return;
      }
      write.bytes().copyTo(current, write.offset());
      next = current;
    } else {
      PageOp.Registered registered = (PageOp.Registered) op;
      RegisteredOperation operation = engine.operations.get(registered.operationId());
      if (operation == null) {
        LOG.warning(() -> engine.self + ": no registered operation " + registered.operationId() + " for page "
            + st.page + "; the write is refused");
        done.done(-1, Bytes.EMPTY);
        return;
      }
      RegisteredOperation.Outcome outcome = operation.apply(current, registered.arguments().toByteArray());
      result = Bytes.copyOf(outcome.result());
      next = outcome.newContent();
      if (next == null) {
        done.done(st.version, result);
        return;
      }
    }
    Bytes finalResult = result;
    commitWrite(st, next, requestId == 0 ? null : new Applied(requestId, finalResult),
        page -> done.done(page.version(), finalResult));
  }

  /** Starts the write of a new version: invalidate every copy, update every replica, then install it. */
  void commitWrite(PageState st, byte[] content, Applied applied,
      java.util.function.Consumer<Page> committed) {
    // The durability travels with the page (grants and promotions carry its volatile bit), so only the responsible
    // node needs to know it from the range.
    boolean isVolatile = engine.ownedPage(st).isVolatile();
    Page next = Page.adopt(st.page, st.version + 1, true, isVolatile, content);
    st.see(next.version());
    OwnerAction action = new OwnerAction(OwnerAction.Kind.WRITE, next, applied, () -> {
      engine.pager.write(next);
      st.version = next.version();
      st.copyset.clear();
      committed.accept(next);
    });
    action.awaitingInvalidation.addAll(st.copyset);
    action.awaitingReplicas.addAll(st.replicas);
    begin(st, action);
  }

  void begin(PageState st, OwnerAction action) {
    st.pending = action;
    transmit(st, action);
    finishIfAcknowledged(st);
  }

  void transmit(PageState st, OwnerAction action) {
    for (NodeId copy : action.awaitingInvalidation) {
      engine.sendTo(copy, new CoherenceMessage.Invalidate(st.page, action.next.version(), engine.self));
    }
    for (NodeId replica : action.awaitingReplicas) {
      engine.sendTo(replica, new CoherenceMessage.ReplicaUpdate(engine.self, action.next,
          action.applied == null ? List.of() : List.of(action.applied)));
    }
    if (!action.complete()) {
      action.retransmit = engine.later(() -> {
        if (st.pending == action) {
          transmit(st, action);
        }
      });
    }
  }

  void finishIfAcknowledged(PageState st) {
    OwnerAction action = st.pending;
    if (action == null || !action.complete()) {
      return;
    }
    if (action.kind == OwnerAction.Kind.HANDOFF && engine.reconfiguring) {
      // This node reported itself as the owner; giving the page away before the decision would orphan it.
      return;
    }
    if (engine.settings.leases() && engine.reconfiguring) {
      // The view change may have dropped a cut-off reader from the invalidations this write waited for; it may serve
      // its old copy until its lease runs out, which the decision waits for. Commit after the decision.
      return;
    }
    if (action.retransmit != null) {
      action.retransmit.cancel();
    }
    st.pending = null;
    action.onDone.run();
    // Requests that arrived during the action run now, in arrival order, until one starts another action.
    while (st.pending == null && !st.parked.isEmpty()) {
      st.parked.poll().run();
    }
  }

  /** Hands ownership of {@code st}'s page to {@code to}: invalidate every copy, then grant. */
  void handOff(PageState st, NodeId to, long requestId) {
    Page current = engine.ownedPage(st);
    Page next = Page.adopt(st.page, st.version + 1, false, current.isVolatile(), current.toByteArray());
    st.see(next.version());
    OwnerAction action = new OwnerAction(OwnerAction.Kind.HANDOFF, next, null,
        () -> grant(st, to, requestId, next));
    action.awaitingInvalidation.addAll(st.copyset);
    begin(st, action);
  }

  void grant(PageState st, NodeId to, long requestId, Page next) {
    List<NodeId> replicas = new ArrayList<>(st.replicas);
    List<NodeId> rebuild = new ArrayList<>();
    boolean wasReplica = replicas.remove(to);
    if (engine.leaving) {
      // This node is going: the new owner gets other replicas, and copies the page to those that lack it.
      int wanted = engine.responsibility.replicasFor(st.page).size();
      rebuild.addAll(engine.placement.fill(to, replicas, wanted, engine.view.members(), List.of(engine.self)));
    } else if (wasReplica) {
      // The new owner was a replica: this node keeps a backup instead, so k copies still hold the page.
      replicas.add(engine.self);
      engine.keepReplica(next.withDirty(false));
      engine.replicaPages.add(st.page);
    }
    List<Applied> recent = new ArrayList<>();
    st.recent.forEach((id, result) -> recent.add(new Applied(id, result)));
    engine.pager.remove(st.page);
    st.role = PageState.Role.NONE;
    st.ownerHint = to;
    st.copyset.clear();
    st.recent.clear();
    st.version = 0;
    CoherenceMessage.OwnershipGrant grant = new CoherenceMessage.OwnershipGrant(requestId, engine.self, next, replicas,
        recent, rebuild);
    engine.grants.put(st.page, new CoherenceEngine.OutgoingGrant(to, grant));
    sendGrant(st.page, to, grant);
    NodeId responsible = engine.responsible(st.page);
    if (responsible.equals(engine.self)) {
      engine.recordOwner(st.page, to, next.version());
    } else {
      engine.sendTo(responsible, new CoherenceMessage.OwnerChanged(st.page, to, next.version()));
    }
  }

  void sendGrant(GlobalAddress page, NodeId to, CoherenceMessage.OwnershipGrant grant) {
    engine.sendTo(to, grant);
    engine.later(() -> {
      CoherenceEngine.OutgoingGrant outgoing = engine.grants.get(page);
      if (outgoing != null && outgoing.grant() == grant) {
        sendGrant(page, to, grant);
      }
    });
  }

  /**
   * The page a request is about, if this node owns it and may serve it now; otherwise the request is refused (page
   * not allocated), passed on (not the owner) or parked until the write in progress is done ({@code retry}), and
   * the result is null.
   */
  private PageState servable(long requestId, GlobalAddress page, NodeId requester, CoherenceMessage request,
      Runnable retry) {
    if (engine.refuseIfUnallocated(requestId, page, requester)) {
      return null;
    }
    PageState st = engine.state(page);
    if (st.role != PageState.Role.OWNER) {
      engine.passOn(st, requestId, requester, request);
      return null;
    }
    if (st.pending != null) {
      st.parked.add(retry);
      return null;
    }
    return st;
  }

  void onReadRequest(CoherenceMessage.ReadRequest m) {
    PageState st = servable(m.requestId(), m.page(), m.requester(), m, () -> onReadRequest(m));
    if (st == null) {
      return;
    }
    st.copyset.add(m.requester());
    Page copy = engine.ownedPage(st).withDirty(false);
    engine.sendTo(m.requester(), new CoherenceMessage.PageGrant(m.requestId(), engine.self, copy));
  }

  void onWriteRequest(CoherenceMessage.WriteRequest m) {
    PageState st = servable(m.requestId(), m.page(), m.requester(), m, () -> onWriteRequest(m));
    if (st == null) {
      return;
    }
    if (st.locked) {
      st.lockWaiters.add(() -> onWriteRequest(m));
      return;
    }
    Bytes done = st.recent.get(m.requestId());
    if (done != null) {
      engine.sendTo(m.requester(), new CoherenceMessage.WriteDone(m.requestId(), m.page(), st.version, done));
      return;
    }
    if (m.requester().equals(st.lastRemoteWriter)) {
      st.remoteWriteStreak++;
    } else {
      st.lastRemoteWriter = m.requester();
      st.remoteWriteStreak = 1;
    }
    // The hierarchy manager: a writer in the owner's group gets the page after the usual streak, one in another group
    // only after twice as many writes in a row, since moving a page across groups costs more.
    int streakNeeded = engine.placement.topology().distance(engine.self, m.requester()) == 0
        ? engine.settings.migrateAfterStreak() : 2 * engine.settings.migrateAfterStreak();
    if (m.wantsOwnership() || st.remoteWriteStreak >= streakNeeded) {
      st.lastRemoteWriter = null;
      st.remoteWriteStreak = 0;
      handOff(st, m.requester(), m.requestId());
      return;
    }
    applyAsOwner(st, m.op(), m.requestId(), (version, result) -> {
      st.recent.put(m.requestId(), result);
      engine.sendTo(m.requester(), new CoherenceMessage.WriteDone(m.requestId(), m.page(), version, result));
    });
  }

  void onInvalidateAck(CoherenceMessage.InvalidateAck m) {
    PageState st = engine.state(m.page());
    if (st.pending != null && st.pending.next.version() == m.version()) {
      st.pending.awaitingInvalidation.remove(m.from());
      finishIfAcknowledged(st);
    }
  }

  void onReplicaAck(CoherenceMessage.ReplicaAck m) {
    PageState st = engine.state(m.page());
    if (st.pending != null && m.version() >= st.pending.next.version()) {
      st.pending.awaitingReplicas.remove(m.from());
      finishIfAcknowledged(st);
    }
  }

  /**
   * Copies the owner's current version of {@code st}'s page to {@code replicas} before the page serves another
   * request; runs {@code then} once they hold it.
   */
  void replicate(PageState st, List<NodeId> replicas, Runnable then) {
    OwnerAction action = new OwnerAction(OwnerAction.Kind.REPLICATE, engine.ownedPage(st).withDirty(false), null, then);
    action.awaitingReplicas.addAll(replicas);
    begin(st, action);
  }
}
