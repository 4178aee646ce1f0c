package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.message.Bytes;
import io.quire.core.message.CoherenceMessage;
import io.quire.core.page.Page;
import io.quire.spi.transport.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A coherence engine's view change protocol ({@code docs/design/coherence.md}, "Failures"). On every new view each
 * member drops its read copies, forgets the departed nodes and replaces departed replicas of the pages it owns; the
 * view's coordinator (its first member) collects what every member holds and decides the owner of every page whose
 * owner is gone: the holder of the newest copy, at a new version above any version anyone has seen, so that no copy
 * or grant from before can ever be installed. Client operations and requests wait meanwhile. A newer view restarts
 * the protocol.
 *
 * <p>Runs on its engine's thread and works on the engine's state directly, under the engine's discipline: no locks.
 */
final class Reconfiguration {
  private static final Logger LOG = Logger.getLogger(CoherenceEngine.class.getName());

  private final CoherenceEngine engine;
  private long current = -1;
  /** The members of the last view this node reconfigured for. */
  private List<NodeId> lastMembers = List.of();
  private boolean decided;
  private final Map<NodeId, List<CoherenceMessage.PageReport>> reports = new HashMap<>();
  private final java.util.Set<NodeId> acked = new java.util.HashSet<>();
  private CoherenceMessage.ReconfigureDecision decision;

  Reconfiguration(CoherenceEngine engine) {
    this.engine = engine;
  }

  void begin(View newView) {
    if (newView.viewId() <= current || !newView.contains(engine.self)) {
      return;
    }
    current = newView.viewId();
    engine.reconfiguring = true;
    decided = false;
    reports.clear();
    acked.clear();
    decision = null;
    forgetDeparted(newView);
    boolean lostMembers = lastMembers.stream().anyMatch(member -> !newView.contains(member));
    lastMembers = newView.members();
    if (coordinator(newView).equals(engine.self)) {
      if (lostMembers && engine.settings.leases()) {
        // A member that left may be cut off rather than dead: it serves its copies until its lease runs out, so
        // no page is promoted (and written) before then.
        long viewId = newView.viewId();
        engine.after(engine.settings.lease(), () -> askForState(viewId, 0));
      } else {
        askForState(newView.viewId(), 0);
      }
    }
  }

  private NodeId coordinator(View v) {
    return v.members().get(0);
  }

  private void forgetDeparted(View v) {
    engine.owners.values().removeIf(record -> !v.contains(record.owner()));
    for (PageState st : engine.pages.values()) {
      if (st.role == PageState.Role.READER) {
        engine.pager.remove(st.page);
        st.role = PageState.Role.NONE;
      }
      if (st.ownerHint != null && !v.contains(st.ownerHint)) {
        st.ownerHint = null;
      }
      if (st.role == PageState.Role.OWNER) {
        replaceDepartedReplicas(st, v);
      }
    }
  }

  private void replaceDepartedReplicas(PageState st, View v) {
    st.copyset.removeIf(node -> !v.contains(node));
    List<NodeId> added = new ArrayList<>();
    int wanted = engine.responsibility.replicasFor(st.page).size();
    // Departed replicas are replaced; a page claimed while the view was smaller than k (a node that started alone
    // before the others joined) gets the replicas it could not have then.
    if (st.replicas.removeIf(node -> !v.contains(node)) || st.replicas.size() < wanted) {
      added = engine.placement.fill(engine.self, st.replicas, wanted, v.members(), List.of());
    }
    OwnerAction action = st.pending;
    if (action != null) {
      action.awaitingInvalidation.removeIf(node -> !v.contains(node));
      action.awaitingReplicas.removeIf(node -> !v.contains(node));
      if (action.kind != OwnerAction.Kind.HANDOFF) {
        action.awaitingReplicas.addAll(added);
        for (NodeId replica : added) {
          engine.sendTo(replica, new CoherenceMessage.ReplicaUpdate(engine.self, action.next,
              action.applied == null ? List.of() : List.of(action.applied)));
        }
      }
      engine.finishIfAcknowledged(st);
    } else if (!added.isEmpty()) {
      rebuild(st, added);
    }
  }

  /** Brings {@code replicas} up to the owner's current version before the page serves another request. */
  private void rebuild(PageState st, List<NodeId> replicas) {
    engine.replicate(st, replicas, () -> { });
  }

  /** Asks the members that have not reported yet; again with a growing interval, since reports can be large. */
  private void askForState(long viewId, int attempt) {
    if (current != viewId || decided || engine.minority) {
      return;
    }
    for (NodeId member : engine.view.members()) {
      if (!reports.containsKey(member)) {
        engine.sendTo(member, new CoherenceMessage.Reconfigure(viewId, engine.self));
      }
    }
    engine.later(() -> askForState(viewId, attempt + 1), attempt);
  }

  void onReconfigure(CoherenceMessage.Reconfigure m) {
    if (m.viewId() != current) {
      return;
    }
    List<CoherenceMessage.PageReport> report = new ArrayList<>();
    java.util.Set<GlobalAddress> known = new java.util.HashSet<>(engine.pages.keySet());
    known.addAll(engine.replicaPages);
    for (GlobalAddress page : known) {
      if (engine.freeing.isFreed(page)) {
        continue;
      }
      PageState st = engine.pages.get(page);
      boolean owner = st != null && st.role == PageState.Role.OWNER;
      long data = owner ? st.version : heldVersion(page, st);
      long seen = st == null ? 0 : st.seen;
      if (owner || data >= 0 || seen > 0) {
        report.add(new CoherenceMessage.PageReport(page, owner, data, seen));
      }
    }
    engine.sendTo(m.coordinator(), new CoherenceMessage.ReconfigureState(m.viewId(), engine.self, report));
  }

  /** The newest version of a page this non-owner holds a copy of: backup, ungranted hand-off or own disk. */
  private long heldVersion(GlobalAddress page, PageState st) {
    Page best = bestCopy(page, st);
    return best == null ? -1 : best.version();
  }

  private Page bestCopy(GlobalAddress page, PageState st) {
    Page best = engine.replicaPages.contains(page) ? engine.replicaStore.read(page) : null;
    CoherenceEngine.OutgoingGrant grant = engine.grants.get(page);
    if (grant != null && (best == null || grant.grant().data().version() > best.version())) {
      best = grant.grant().data();
    }
    if (st != null && st.restored) {
      Page own = engine.pager.peekStored(page);
      if (own != null && (best == null || own.version() > best.version())) {
        best = own;
      }
    }
    return best;
  }

  void onState(CoherenceMessage.ReconfigureState m) {
    if (m.viewId() != current || decided || !coordinator(engine.view).equals(engine.self)) {
      return;
    }
    reports.put(m.from(), m.pages());
    if (reports.keySet().containsAll(engine.view.members())) {
      decided = true;
      decision = new CoherenceMessage.ReconfigureDecision(current, engine.self, decide());
      announce(current, 0);
    }
  }

  private List<CoherenceMessage.Assignment> decide() {
    Map<GlobalAddress, List<Map.Entry<NodeId, CoherenceMessage.PageReport>>> byPage = new java.util.TreeMap<>();
    for (NodeId member : engine.view.members()) {
      for (CoherenceMessage.PageReport report : reports.get(member)) {
        if (engine.freeing.isFreed(report.page())) {
          continue;
        }
        byPage.computeIfAbsent(report.page(), page -> new ArrayList<>()).add(Map.entry(member, report));
      }
    }
    List<CoherenceMessage.Assignment> assignments = new ArrayList<>();
    byPage.forEach((page, entries) -> assignments.add(assign(page, entries)));
    return assignments;
  }

  private CoherenceMessage.Assignment assign(GlobalAddress page,
      List<Map.Entry<NodeId, CoherenceMessage.PageReport>> entries) {
    long newest = 0;
    Map.Entry<NodeId, CoherenceMessage.PageReport> owner = null;
    Map.Entry<NodeId, CoherenceMessage.PageReport> best = null;
    for (var entry : entries) {
      CoherenceMessage.PageReport r = entry.getValue();
      newest = Math.max(newest, Math.max(r.seen(), r.dataVersion()));
      if (r.owner() && (owner == null || r.dataVersion() > owner.getValue().dataVersion())) {
        owner = entry;
      }
      if (r.dataVersion() >= 0 && (best == null || r.dataVersion() > best.getValue().dataVersion())) {
        best = entry;
      }
    }
    if (owner != null) {
      return new CoherenceMessage.Assignment(page, owner.getKey(), owner.getValue().dataVersion(), false,
          List.of());
    }
    NodeId promoted = best != null ? best.getKey() : engine.responsible(page);
    List<NodeId> replicas = new ArrayList<>();
    int wanted = Math.min(engine.responsibility.replicasFor(page).size(), engine.view.members().size() - 1);
    for (var entry : entries) {
      if (replicas.size() < wanted && !entry.getKey().equals(promoted) && entry.getValue().dataVersion() >= 0) {
        replicas.add(entry.getKey());
      }
    }
    engine.placement.fill(promoted, replicas, wanted, engine.view.members(), List.of());
    return new CoherenceMessage.Assignment(page, promoted, newest + 1, true, replicas);
  }

  /** Sends the decision to the members that have not acknowledged it, with a growing interval, as reports. */
  private void announce(long viewId, int attempt) {
    if (current != viewId || decision == null || engine.minority) {
      return;
    }
    for (NodeId member : engine.view.members()) {
      if (!acked.contains(member)) {
        engine.sendTo(member, decision);
      }
    }
    if (!acked.containsAll(engine.view.members())) {
      engine.later(() -> announce(viewId, attempt + 1), attempt);
    }
  }

  void onAck(CoherenceMessage.ReconfigureAck m) {
    if (m.viewId() == current) {
      acked.add(m.from());
    }
  }

  void onDecision(CoherenceMessage.ReconfigureDecision m) {
    if (m.viewId() != current) {
      return;
    }
    engine.sendTo(m.coordinator(), new CoherenceMessage.ReconfigureAck(m.viewId(), engine.self));
    if (!engine.reconfiguring) {
      return;
    }
    List<PageState> promoted = new ArrayList<>();
    java.util.Set<GlobalAddress> assigned = new java.util.HashSet<>();
    for (CoherenceMessage.Assignment a : m.assignments()) {
      assigned.add(a.page());
      PageState st = engine.pages.computeIfAbsent(a.page(), PageState::new);
      Page copy = a.owner().equals(engine.self) && a.promote() ? bestCopy(a.page(), st) : null;
      CoherenceEngine.OutgoingGrant outgoing = engine.grants.remove(a.page());
      st.see(a.version());
      if (a.owner().equals(engine.self)) {
        if (a.promote()) {
          promote(st, a, copy, outgoing);
          promoted.add(st);
        }
      } else {
        if (st.role == PageState.Role.OWNER) {
          if (engine.healing) {
            // Owned on the minority side of a partition, which wrote nothing: the majority's owner is newer.
            LOG.fine(() -> engine.self + ": after a partition, " + a.page() + " is owned by " + a.owner());
          } else {
            LOG.severe(() -> engine.self + ": owned " + a.page() + " but the reconfiguration gave it to "
                + a.owner());
          }
          engine.pager.remove(a.page());
          st.pending = null;
          st.locked = false;
          List<Runnable> waiting = new ArrayList<>(st.lockWaiters);
          st.lockWaiters.clear();
          engine.held.addAll(waiting);
        }
        if (st.restored) {
          // A copy from before a restart or a partition; the owner's is newer.
          engine.pager.remove(a.page());
        }
        st.role = PageState.Role.NONE;
        st.ownerHint = a.owner();
      }
      st.restored = false;
      if (engine.responsible(a.page()).equals(engine.self)) {
        engine.owners.put(a.page(), new CoherenceEngine.OwnerRecord(a.owner(), a.version()));
      }
    }
    // A page this node is responsible for that no member reported (no owner, no copy, no version above 0 seen) was
    // never written, and its owner, if it had one, is gone: forget the state, so the next access claims it afresh
    // at version 0, as for any untouched page. Without this, a stale state with no owner to route to waits forever.
    engine.pages.entrySet().removeIf(entry -> {
      PageState st = entry.getValue();
      return !assigned.contains(entry.getKey()) && st.role == PageState.Role.NONE && st.seen == 0
          && !engine.owners.containsKey(entry.getKey()) && !engine.replicaPages.contains(entry.getKey())
          && !engine.freeing.isFreed(entry.getKey()) && engine.responsible(entry.getKey()).equals(engine.self);
    });
    engine.reconfiguring = false;
    engine.healing = false;
    for (PageState st : promoted) {
      rebuild(st, new ArrayList<>(st.replicas));
    }
    for (PageState st : new ArrayList<>(engine.pages.values())) {
      // Hand-offs that were held back by the reconfiguration go ahead now.
      engine.finishIfAcknowledged(st);
    }
    List<Runnable> waiting = new ArrayList<>(engine.held);
    engine.held.clear();
    engine.runEach(waiting);
    List<PendingRequest> outstanding = new ArrayList<>(engine.requests.values());
    outstanding.sort(java.util.Comparator.comparingLong(request -> request.sequence));
    outstanding.forEach(engine::send);
    engine.reconfigured();
  }

  /**
   * @param outgoing the grant this node had sent for the page and that never took effect, or null: the requests it
   *     records as applied stay applied, so that a retransmitted request is answered and not applied twice
   */
  private void promote(PageState st, CoherenceMessage.Assignment a, Page copy,
      CoherenceEngine.OutgoingGrant outgoing) {
    byte[] bytes = copy == null ? new byte[0] : copy.toByteArray();
    boolean isVolatile = copy != null ? copy.isVolatile() : engine.responsibility.isVolatile(a.page());
    Page page = Page.adopt(a.page(), a.version(), true, isVolatile, bytes);
    engine.pager.write(page);
    st.role = PageState.Role.OWNER;
    st.version = a.version();
    st.ownerHint = null;
    st.copyset.clear();
    st.pending = null;
    st.replicas = new ArrayList<>(a.replicas());
    st.recent.clear();
    Map<Long, Bytes> inherited = engine.replicaRecent.remove(a.page());
    if (inherited != null) {
      st.recent.putAll(inherited);
    }
    if (outgoing != null && copy != null && copy.version() >= outgoing.grant().data().version()) {
      outgoing.grant().recent().forEach(applied -> st.recent.put(applied.requestId(), applied.result()));
    }
    engine.replicaStore.remove(a.page());
    engine.replicaPages.remove(a.page());
  }
}
