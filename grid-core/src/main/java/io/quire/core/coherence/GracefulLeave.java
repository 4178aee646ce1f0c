package io.quire.core.coherence;

import io.quire.core.NodeId;
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
 * A coherence engine's graceful leave ({@code docs/design/coherence.md}, "Graceful leave"): hand every owned page to
 * a replica, have every backup copy moved elsewhere, and complete once nothing depends on this node.
 *
 * <p>Runs on its engine's thread and works on the engine's state directly, under the engine's discipline: no locks.
 */
final class GracefulLeave {
  private final CoherenceEngine engine;
  /** The owner each backup copy came from, so a leaving node knows whom to ask to release it. */
  private final Map<GlobalAddress, NodeId> replicaOwners = new HashMap<>();
  /** Backup copies this node still waits to have released. */
  private final Set<GlobalAddress> releasing = new HashSet<>();
  private CompletableFuture<Void> left;
  /** Members that have not yet acknowledged this node's leave notice. */
  private final Set<NodeId> unnoticed = new HashSet<>();

  GracefulLeave(CoherenceEngine engine) {
    this.engine = engine;
  }

  /** Remembers who sent the newest backup copy of {@code page}. */
  void noteReplicaOwner(GlobalAddress page, NodeId owner) {
    replicaOwners.put(page, owner);
  }

  void start(CompletableFuture<Void> done) {
    engine.leaving = true;
    left = done;
    for (NodeId member : engine.view.members()) {
      if (!member.equals(engine.self)) {
        unnoticed.add(member);
      }
    }
    announce();
    for (PageState st : new ArrayList<>(engine.pages.values())) {
      if (st.role == PageState.Role.OWNER) {
        handOverForLeave(st);
      }
    }
    for (GlobalAddress page : new ArrayList<>(engine.replicaPages)) {
      releasing.add(page);
      askRelease(page);
    }
    checkDone();
  }

  /**
   * After a view change during the leave: a hand-off to a node that has gone comes back to this node with the
   * reconfiguration's decision, and must go again.
   */
  void resume() {
    if (!engine.leaving || left == null || left.isDone()) {
      return;
    }
    for (PageState st : new ArrayList<>(engine.pages.values())) {
      // A page busy with another action (a rebuild of its replicas) goes once that is done; handOverForLeave parks.
      if (st.role == PageState.Role.OWNER && (st.pending == null || st.pending.kind != OwnerAction.Kind.HANDOFF)) {
        handOverForLeave(st);
      }
    }
    checkDone();
  }

  private void handOverForLeave(PageState st) {
    if (st.role != PageState.Role.OWNER) {
      return;
    }
    if (st.pending != null) {
      st.parked.addFirst(() -> handOverForLeave(st));
      return;
    }
    if (st.locked) {
      st.lockWaiters.add(() -> handOverForLeave(st));
      return;
    }
    NodeId successor = null;
    for (NodeId replica : st.replicas) {
      if (engine.view.contains(replica) && !replica.equals(engine.self)) {
        successor = replica;
        break;
      }
    }
    if (successor == null) {
      List<NodeId> others = engine.ringAfter(engine.self);
      if (others.isEmpty()) {
        return;
      }
      successor = others.get(0);
    }
    engine.handOff(st, successor, 0);
  }

  private void askRelease(GlobalAddress page) {
    if (!releasing.contains(page)) {
      return;
    }
    NodeId owner = replicaOwners.get(page);
    NodeId target = owner != null && engine.view.contains(owner) ? owner : engine.route(engine.state(page));
    if (target != null) {
      engine.sendTo(target, new CoherenceMessage.ReleaseReplica(page, engine.self));
    }
    engine.later(() -> askRelease(page));
  }

  void onReleaseReplica(CoherenceMessage.ReleaseReplica m) {
    PageState st = engine.state(m.page());
    if (st.role != PageState.Role.OWNER) {
      NodeId target = engine.route(st);
      if (target != null && !target.equals(m.from())) {
        engine.sendTo(target, m);
      }
      return;
    }
    if (st.pending != null) {
      st.parked.add(() -> onReleaseReplica(m));
      return;
    }
    if (!st.replicas.remove(m.from())) {
      engine.sendTo(m.from(), new CoherenceMessage.ReplicaReleased(m.page(), engine.self));
      return;
    }
    int wanted = engine.responsibility.replicasFor(st.page).size();
    List<NodeId> added = engine.placement.fill(engine.self, st.replicas, wanted, engine.view.members(),
        List.of(m.from()));
    engine.replicate(st, added,
        () -> engine.sendTo(m.from(), new CoherenceMessage.ReplicaReleased(m.page(), engine.self)));
  }

  void onReplicaReleased(CoherenceMessage.ReplicaReleased m) {
    if (releasing.remove(m.page())) {
      engine.replicaStore.remove(m.page());
      engine.replicaPages.remove(m.page());
      replicaOwners.remove(m.page());
      checkDone();
    }
  }

  /**
   * Tells every member that this node is leaving, until each has acknowledged or left the view, so that none counts
   * the departure against its quorum.
   */
  private void announce() {
    unnoticed.retainAll(engine.view.members());
    if (unnoticed.isEmpty()) {
      checkDone();
      return;
    }
    for (NodeId member : unnoticed) {
      engine.sendTo(member, new CoherenceMessage.LeaveNotice(engine.self));
    }
    engine.later(this::announce);
  }

  void onNoticeAck(CoherenceMessage.LeaveNoticeAck m) {
    if (unnoticed.remove(m.from())) {
      checkDone();
    }
  }

  void checkDone() {
    if (!engine.leaving || left == null || left.isDone()) {
      return;
    }
    if (engine.view.size() <= 1) {
      // The last member: there is no one to hand pages to, and they stay on this node's disk.
      left.complete(null);
      return;
    }
    unnoticed.retainAll(engine.view.members());
    if (!unnoticed.isEmpty()) {
      return;
    }
    boolean owns = engine.pages.values().stream().anyMatch(st -> st.role == PageState.Role.OWNER);
    if (!owns && engine.grants.isEmpty() && releasing.isEmpty()) {
      left.complete(null);
    }
  }
}
