package io.quire.core.coherence;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.memory.PageUpdate;
import io.quire.core.message.Bytes;
import io.quire.core.message.CoherenceMessage;
import io.quire.core.message.MessageCodec;
import io.quire.core.message.MessageType;
import io.quire.core.message.PageOp;
import io.quire.core.message.ProtocolException;
import io.quire.core.page.Page;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.store.PageStore;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.View;
import io.quire.store.Pager;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * One node's side of the coherence protocol ({@code docs/design/coherence.md}): it serves this node's reads and
 * writes of shared pages and answers the other nodes' requests, so that every page has one writer and any number of
 * readers and every operation on a page is linearizable.
 *
 * <p>Implementation notes. Everything but the local read hit runs on the node's {@code mailbox}, a serial executor
 * (in production a {@link io.quire.core.runtime.SerialMailbox}: one task at a time, on the thread that brought it
 * when the engine is idle; the simulation's only thread in tests): page control blocks, pending requests, owner
 * records and outgoing grants are engine-thread state (the mailbox's running task's) and take no locks. So a task
 * never waits for the network or for another engine task: it may run on a transport's receiving thread. The hit
 * path ({@link #readLocal}) reads only the RAM tier, which holds exactly the pages this node may read: the engine
 * removes a copy from it before it acknowledges the invalidation, and an owner installs a new version only after
 * every copy is gone, so a reader that still sees the old copy read a value that was current during its read.
 *
 * <p>Every message is idempotent and every sender retransmits until answered, so lost, duplicated and reordered
 * messages are harmless: request ids (kept, with their results, in the page's recent-writes table that travels with
 * ownership) stop a write from applying twice, and versions stop a copy or grant that crossed a newer write in
 * flight from being installed.
 */
public final class CoherenceEngine implements Receiver, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CoherenceEngine.class.getName());

  /** The last known owner of a page, kept by its responsible node. */
  record OwnerRecord(NodeId owner, long version) {}

  /** An ownership grant this node sent and retransmits until the new owner acknowledges it. */
  record OutgoingGrant(NodeId to, CoherenceMessage.OwnershipGrant grant) {}

  final NodeId self;
  private final Transport transport;
  private final MessageCodec codec;
  private final GridRuntime runtime;
  final Executor mailbox;
  final Pager pager;
  final PageStore replicaStore;
  final Responsibility responsibility;
  final OperationRegistry operations;
  private final RandomGenerator random;
  final CoherenceSettings settings;
  final MessageStats stats = new MessageStats();
  final Placement placement;
  private final java.util.function.LongSupplier freeDiskBytes;

  // Engine-thread state (see the class comment).
  final Map<GlobalAddress, PageState> pages = new HashMap<>();
  final Map<GlobalAddress, OwnerRecord> owners = new HashMap<>();
  final Map<Long, PendingRequest> requests = new HashMap<>();
  final Map<GlobalAddress, OutgoingGrant> grants = new HashMap<>();
  /** Writes applied at the owner, as its replica updates told this node: a promoted replica inherits them. */
  final Map<GlobalAddress, Map<Long, Bytes>> replicaRecent = new HashMap<>();
  private final Reconfiguration reconfiguration = new Reconfiguration(this);
  /** The partition rule; its own monitor guards it, as views arrive on the transport's thread. */
  private final Quorum quorum = new Quorum();
  /**
   * True while the current view holds no quorum: set on the transport's thread as the view arrives, before any
   * later local read, so that a minority node stops serving its copies as soon as it knows.
   */
  volatile boolean minority;
  /**
   * Set with {@link #minority} and cleared only by the next primary view's decision: until then this node's pages
   * may be older than the majority's (a page it still believes it owns among them), so it serves no local read.
   */
  volatile boolean healing;
  /** When each member was last heard from (monotonic nanos): written by the transport's threads, read by the lease. */
  private final Map<NodeId, Long> heardAt = new java.util.concurrent.ConcurrentHashMap<>();
  /** Until when (monotonic nanos) this node may serve: renewed with every report interval; see {@link #leaseExpired}. */
  private volatile long leaseUntil = Long.MAX_VALUE;
  /** {@code settings.leases()}, read on every local read: a final field, not a Duration comparison. */
  private final boolean leases;
  /** Pages this node holds a backup copy of. */
  final java.util.Set<GlobalAddress> replicaPages = new java.util.HashSet<>();
  private final GracefulLeave gracefulLeave = new GracefulLeave(this);
  private final OwnerRole ownerRole = new OwnerRole(this);
  final RangeFreeing freeing = new RangeFreeing(this);
  /** Set once a graceful leave starts: this node claims no page and stays no one's replica. */
  boolean leaving;
  /** Client operations and requests that wait for a reconfiguration to finish. */
  final List<Runnable> held = new ArrayList<>();
  /** True until the first view's reconfiguration is done: a (re)started node claims nothing before it knows. */
  boolean reconfiguring = true;
  private long nextSequence;
  private volatile boolean closed;
  /**
   * The view the engine works in: installed on the engine thread, in the same task that starts reconfiguring for it
   * (or enters the minority), so that engine code never sees a view's members without the reconfiguration that
   * goes with them. A node acting for a departed responsible node would otherwise claim that node's pages as
   * untouched (version 0) in the window between the two. Volatile for {@link #view()}'s readers on other threads.
   */
  volatile View view = View.empty();
  /** The newest view the transport delivered (transport thread): the frame filter and the read lease use it. */
  private volatile View deliveredView = View.empty();

  /**
   * @param pager this node's tiers for the pages it may read (owned pages and read copies)
   * @param replicaStore this node's backup copies of pages other nodes own
   * @param mailbox the serial executor that runs every engine event
   * @param random the source of request ids (seeded in simulations)
   */
  public CoherenceEngine(NodeId self, Transport transport, MessageCodec codec, GridRuntime runtime,
      Executor mailbox, Pager pager, PageStore replicaStore, Responsibility responsibility,
      OperationRegistry operations, RandomGenerator random, CoherenceSettings settings) {
    this(self, transport, codec, runtime, mailbox, pager, replicaStore, responsibility, operations, random, settings,
        new Placement(Topology.FLAT), () -> -1);
  }

  /**
   * @param placement the policy controller, with the cluster's topology; this engine feeds it the resources other
   *     nodes publish
   * @param freeDiskBytes what this node publishes as its free disk (-1: unknown)
   */
  public CoherenceEngine(NodeId self, Transport transport, MessageCodec codec, GridRuntime runtime,
      Executor mailbox, Pager pager, PageStore replicaStore, Responsibility responsibility,
      OperationRegistry operations, RandomGenerator random, CoherenceSettings settings, Placement placement,
      java.util.function.LongSupplier freeDiskBytes) {
    this.self = requireNonNull(self, "self");
    this.transport = requireNonNull(transport, "transport");
    this.codec = requireNonNull(codec, "codec");
    this.runtime = requireNonNull(runtime, "runtime");
    this.mailbox = requireNonNull(mailbox, "mailbox");
    this.pager = requireNonNull(pager, "pager");
    this.replicaStore = requireNonNull(replicaStore, "replicaStore");
    this.responsibility = requireNonNull(responsibility, "responsibility");
    this.operations = requireNonNull(operations, "operations");
    this.random = requireNonNull(random, "random");
    this.settings = requireNonNull(settings, "settings");
    this.placement = requireNonNull(placement, "placement");
    this.freeDiskBytes = requireNonNull(freeDiskBytes, "freeDiskBytes");
    this.leases = settings.leases();
  }

  /** Joins the cluster through the transport. */
  public void start() {
    transport.start(this);
    if (settings.publishesResources()) {
      runtime.scheduler().schedule(this::publishResources, Duration.ZERO);
    }
  }

  /**
   * True when the read lease is kept and has run out: this node has not heard from a quorum of its view for the
   * lease's length (a partition it has not seen as a view yet), so the majority may already be writing its copies.
   */
  boolean leaseExpired() {
    return leases && runtime.clock().nanos() > leaseUntil;
  }

  /**
   * Renews the lease from when the members were last heard of: it lasts from the moment a quorum of the view (this
   * node included) had been heard. Computed from past arrivals only, so renewing late only shortens it.
   */
  private void renewLease() {
    View current = deliveredView;
    int othersNeeded = current.size() / 2; // a majority of the view, counting this node
    if (othersNeeded == 0) {
      leaseUntil = Long.MAX_VALUE;
      return;
    }
    List<Long> heard = new ArrayList<>();
    for (NodeId member : current.members()) {
      if (!member.equals(self)) {
        heard.add(heardAt.getOrDefault(member, Long.MIN_VALUE));
      }
    }
    heard.sort(java.util.Comparator.reverseOrder());
    long quorumHeard = heard.get(othersNeeded - 1);
    leaseUntil = quorumHeard == Long.MIN_VALUE ? Long.MIN_VALUE : quorumHeard + settings.lease().toNanos();
  }

  /** Sends this node's free RAM and disk to every other member, then again after the settings' interval. */
  private void publishResources() {
    if (closed) {
      return;
    }
    if (settings.leases()) {
      renewLease();
    }
    run(() -> {
      long freeRam = Math.max(0, pager.ramBudgetBytes() - pager.ramBytes());
      CoherenceMessage.ResourceReport report =
          new CoherenceMessage.ResourceReport(self, freeRam, freeDiskBytes.getAsLong());
      placement.update(self, new Placement.Resources(report.freeRamBytes(), report.freeDiskBytes()));
      for (NodeId member : view.members()) {
        if (!member.equals(self)) {
          sendTo(member, report);
        }
      }
    });
    runtime.scheduler().schedule(this::publishResources, settings.publishResourcesEvery());
  }

  /**
   * Runs tasks that waited (for a view, a lock, a decision) one after another; one that fails is logged and does not
   * strand the others.
   */
  void runEach(List<Runnable> tasks) {
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, self + ": a waiting operation failed", e);
      }
    }
  }

  /** The view this node works in now (any thread). */
  public View view() {
    return view;
  }

  /** This node. */
  public NodeId self() {
    return self;
  }

  /** What {@code node} last published about its free RAM and disk, or null. Engine thread only. */
  public Placement.Resources resourcesOf(NodeId node) {
    return placement.resourcesOf(node);
  }

  /** Messages this node sent, by type. */
  public MessageStats stats() {
    return stats;
  }

  /* ---- the client side: this node's reads and writes ---- */

  /** The page if this node may read it without a message (owned and resident, or a valid read copy); else null. */
  public Page readLocal(GlobalAddress page) {
    return minority || healing || leaseExpired() ? null : pager.readResident(page);
  }

  /** Reads a page: locally when this node owns it or holds a valid copy, else from its owner. */
  public CompletableFuture<Page> read(GlobalAddress page) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    runFor(result, () -> startRead(page, result));
    return result.thenApply(Page.class::cast);
  }

  /** Applies {@code op} to the page: here if this node owns it, else at the owner or after taking ownership. */
  public CompletableFuture<WriteResult> write(GlobalAddress page, PageOp op) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    runFor(result, () -> startWrite(page, op, result));
    return result.thenApply(WriteResult.class::cast);
  }

  /**
   * Takes ownership of the page if needed and holds it: until {@link #unlock}, writes from other nodes wait (reads do
   * not), and the page does not move. Writes from this node go on; ordering them is the caller's. A crash of this
   * node releases the lock with the reconfiguration that follows.
   */
  public CompletableFuture<Void> lock(GlobalAddress page) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    runFor(result, () -> startLock(page, result));
    return result.thenApply(ignored -> null);
  }

  /** Releases {@link #lock}: writes that waited for it run now. */
  public CompletableFuture<Void> unlock(GlobalAddress page) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    runFor(result, () -> {
      PageState st = pages.get(page);
      if (st == null || !st.locked) {
        result.completeExceptionally(new IllegalStateException("page " + page + " is not locked by " + self));
        return;
      }
      st.locked = false;
      List<Runnable> waiting = new ArrayList<>(st.lockWaiters);
      st.lockWaiters.clear();
      runEach(waiting);
      result.complete(null);
    });
    return result;
  }

  private void startLock(GlobalAddress address, CompletableFuture<Object> result) {
    if (!admitted(address, result, () -> startLock(address, result))) {
      return;
    }
    PageState st = state(address);
    if (st.role == PageState.Role.OWNER) {
      if (st.pending != null) {
        st.parked.add(() -> startLock(address, result));
        return;
      }
      st.locked = true;
      result.complete(Boolean.TRUE);
      return;
    }
    send(newRequest(PendingRequest.Kind.LOCK, address, null, null, result));
  }

  /** Takes ownership of the page if needed, then applies {@code update} here, atomically. */
  public CompletableFuture<Page> update(GlobalAddress page, PageUpdate update) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    runFor(result, () -> startUpdate(page, update, result));
    return result.thenApply(Page.class::cast);
  }

  private void startRead(GlobalAddress address, CompletableFuture<Object> result) {
    if (!admitted(address, result, () -> startRead(address, result))) {
      return;
    }
    PageState st = state(address);
    if (st.role == PageState.Role.OWNER) {
      result.complete(ownedPage(st));
      return;
    }
    if (st.role == PageState.Role.READER) {
      Page copy = pager.readResident(address);
      if (copy != null && copy.version() >= st.seen) {
        result.complete(copy);
        return;
      }
      // Evicted, or older than a version this node has heard of: it must not serve local hits either.
      pager.remove(address);
      st.role = PageState.Role.NONE;
    }
    send(newRequest(PendingRequest.Kind.READ, address, null, null, result));
  }

  /**
   * Whether a client operation may start now: during a reconfiguration it waits ({@code retry} runs afterwards), and
   * on a page this node knows is not allocated it fails. False when the caller must stop.
   */
  private boolean admitted(GlobalAddress address, CompletableFuture<Object> result, Runnable retry) {
    if (minority) {
      View current = deliveredView;
      result.completeExceptionally(new NoQuorumException(address, self, current.viewId(), current.members(),
          quorum.primaryMembers()));
      return false;
    }
    if (leaseExpired()) {
      result.completeExceptionally(new NoQuorumException(address, self, deliveredView.viewId(), settings.lease()));
      return false;
    }
    if (reconfiguring) {
      held.add(retry);
      return false;
    }
    if (!isAllocatedHere(address)) {
      result.completeExceptionally(new RefusedException(address, self, NOT_ALLOCATED));
      return false;
    }
    return true;
  }

  private void startWrite(GlobalAddress address, PageOp op, CompletableFuture<Object> result) {
    if (!admitted(address, result, () -> startWrite(address, op, result))) {
      return;
    }
    PageState st = state(address);
    if (st.role == PageState.Role.OWNER) {
      if (st.pending != null) {
        st.parked.add(() -> startWrite(address, op, result));
        return;
      }
      st.lastRemoteWriter = null;
      st.remoteWriteStreak = 0;
      ownerRole.applyAsOwner(st, op, 0, (version, out) -> result.complete(new WriteResult(version, out)));
      return;
    }
    send(newRequest(PendingRequest.Kind.WRITE, address, op, null, result));
  }

  private void startUpdate(GlobalAddress address, PageUpdate update, CompletableFuture<Object> result) {
    if (!admitted(address, result, () -> startUpdate(address, update, result))) {
      return;
    }
    PageState st = state(address);
    if (st.role == PageState.Role.OWNER) {
      if (st.pending != null) {
        st.parked.add(() -> startUpdate(address, update, result));
        return;
      }
      byte[] next;
      try {
        next = update.apply(ownedPage(st).toByteArray(pageBytes()));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (next == null || next.length > pageBytes()) {
        result.completeExceptionally(new IllegalArgumentException("the update of page " + address + " returned "
            + (next == null ? "null" : next.length + " bytes, more than a page")));
        return;
      }
      ownerRole.commitWrite(st, next, null, page -> result.complete(page));
      return;
    }
    send(newRequest(PendingRequest.Kind.UPDATE, address, null, update, result));
  }

  private PendingRequest newRequest(PendingRequest.Kind kind, GlobalAddress page, PageOp op, PageUpdate update,
      CompletableFuture<Object> result) {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0 || requests.containsKey(id));
    PendingRequest request = new PendingRequest(id, nextSequence++, kind, page, op, update, result);
    requests.put(id, request);
    return request;
  }

  /** Sends (or resends) a pending request to where the owner most likely is, and arms its retry. */
  void send(PendingRequest request) {
    if (request.retry != null) {
      request.retry.cancel();
    }
    if (reconfiguring) {
      // Owners may be changing: resent by the reconfiguration when it is done.
      return;
    }
    PageState st = state(request.page);
    if (st.role == PageState.Role.OWNER) {
      // Ownership arrived (for another request) since this one was sent: serve it here.
      requests.remove(request.id);
      runLocally(request);
      return;
    }
    if (request.attempts++ >= settings.redirectsBeforeResponsible()) {
      st.ownerHint = null;
    }
    NodeId target = route(st);
    if (target != null) {
      CoherenceMessage message = request.kind == PendingRequest.Kind.READ
          ? new CoherenceMessage.ReadRequest(request.id, self, request.page)
          : new CoherenceMessage.WriteRequest(request.id, self, request.page,
              request.kind == PendingRequest.Kind.WRITE ? request.op : new PageOp.WriteBytes(0, Bytes.EMPTY),
              request.kind != PendingRequest.Kind.WRITE);
      sendTo(target, message);
    }
    request.retry = later(() -> {
      if (requests.get(request.id) == request) {
        send(request);
      }
    });
  }

  /**
   * Where to send a request about {@code st}'s page. The responsible node trusts its owner record (it is versioned
   * and every hand-off reports to it) before any hint; other nodes try their hint, then the responsible node.
   */
  NodeId route(PageState st) {
    NodeId responsible = responsible(st.page);
    if (responsible.equals(self)) {
      OwnerRecord record = owners.get(st.page);
      if (record != null && !record.owner().equals(self)) {
        return record.owner();
      }
      return st.ownerHint != null && !st.ownerHint.equals(self) ? st.ownerHint : null;
    }
    if (st.ownerHint != null && !st.ownerHint.equals(self)) {
      return st.ownerHint;
    }
    return responsible;
  }

  private PendingRequest takeRequest(long id, GlobalAddress page) {
    PendingRequest request = requests.get(id);
    if (request == null || !request.page.equals(page)) {
      return null;
    }
    requests.remove(id);
    if (request.retry != null) {
      request.retry.cancel();
    }
    return request;
  }

  /* ---- the owner side ---- */

  /** The committed page of a page this node owns. */
  Page ownedPage(PageState st) {
    Page page = pager.read(st.page);
    if (page != null) {
      return page;
    }
    if (st.version != 0) {
      throw new IllegalStateException("owned page " + st.page + " v" + st.version + " is in neither tier");
    }
    return Page.adopt(st.page, 0, false, responsibility.isVolatile(st.page), new byte[0]);
  }

  private static final String NOT_ALLOCATED = "not in an allocated range (freed, or never allocated)";

  /**
   * False for a page this node knows is not allocated: on its responsible node, one outside every allocated range;
   * on any node, one in a range it heard was freed.
   */
  private boolean isAllocatedHere(GlobalAddress page) {
    return !freeing.isFreed(page) && (!responsible(page).equals(self) || responsibility.isAllocated(page));
  }

  /** Refuses a request for a page this node knows is not allocated; true when it did. */
  boolean refuseIfUnallocated(long requestId, GlobalAddress page, NodeId requester) {
    if (isAllocatedHere(page)) {
      return false;
    }
    sendTo(requester, new CoherenceMessage.Refused(requestId, page, self, NOT_ALLOCATED));
    return true;
  }

  private void onRefused(CoherenceMessage.Refused m) {
    PendingRequest request = takeRequest(m.requestId(), m.page());
    if (request != null) {
      request.future.completeExceptionally(new RefusedException(m.page(), m.from(), m.reason()));
    }
  }

  /**
   * A message about a page in a freed range that must not bring a copy back: a copy or ownership grant, or a replica
   * update, is acknowledged (so its sender stops) but not installed; answers to requests that were failed are dropped.
   */
  private boolean isLateForFreedPage(NodeId from, CoherenceMessage message) {
    if (message.type() == MessageType.FREE_RANGE || message.type() == MessageType.FREE_RANGE_ACK
        || !freeing.isFreed(message.page())) {
      return false;
    }
    switch (message.type()) {
      case REPLICA_UPDATE -> {
        var m = (CoherenceMessage.ReplicaUpdate) message;
        sendTo(m.owner(), new CoherenceMessage.ReplicaAck(m.page(), m.data().version(), self));
        return true;
      }
      case OWNERSHIP_GRANT -> {
        var m = (CoherenceMessage.OwnershipGrant) message;
        sendTo(m.from(), new CoherenceMessage.OwnershipAck(m.page(), m.data().version(), self));
        return true;
      }
      case PAGE_GRANT, WRITE_DONE, REDIRECT, OWNER_CHANGED -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Frees {@code range} across the cluster: every member drops its copies of the range's pages and refuses further
   * operations on them. Call it on the node that allocated the range, after its directory stopped naming the range
   * (so {@link Responsibility#isAllocated} is false for its pages).
   */
  public CompletableFuture<Void> free(io.quire.core.address.AddressRange range) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    runFor(done, () -> freeing.free(range, done));
    return done;
  }

  io.quire.core.address.PageSize pageSize() {
    return codec.pageSize();
  }

  /* ---- the owner side lives in OwnerRole; these delegate for the other parts of the engine ---- */

  void begin(PageState st, OwnerAction action) {
    ownerRole.begin(st, action);
  }

  void finishIfAcknowledged(PageState st) {
    ownerRole.finishIfAcknowledged(st);
  }

  /** A reconfiguration's decision is in force: a graceful leave in progress goes on from it. */
  void reconfigured() {
    gracefulLeave.resume();
  }

  void handOff(PageState st, NodeId to, long requestId) {
    ownerRole.handOff(st, to, requestId);
  }

  void replicate(PageState st, List<NodeId> replicas, Runnable then) {
    ownerRole.replicate(st, replicas, then);
  }

  void recordOwner(GlobalAddress page, NodeId owner, long version) {
    OwnerRecord known = owners.get(page);
    if (known == null || version > known.version()) {
      owners.put(page, new OwnerRecord(owner, version));
    }
  }

  /* ---- incoming messages ---- */

  @Override
  public void onMessage(NodeId from, ByteBuffer frame) {
    CoherenceMessage message;
    try {
      message = codec.decode(frame);
    } catch (ProtocolException e) {
      LOG.log(Level.WARNING, self + ": dropped a bad frame of " + frame.remaining() + " bytes from " + from + ": "
          + e.getMessage());
      return;
    }
    View current = deliveredView;
    if (!current.contains(from)) {
      LOG.warning(() -> self + ": dropped " + message.type() + " from " + from + ", which is not in view "
          + current.viewId());
      return;
    }
    if (settings.leases()) {
      heardAt.put(from, runtime.clock().nanos());
    }
    run(() -> {
      try {
        handle(from, message);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, self + ": failed to handle " + message.type() + " from " + from + " for page "
            + message.page(), e);
      }
    });
  }

  @Override
  public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
    // The protocol is one-way messages with its own retransmission; a request means a foreign or broken peer.
    LOG.warning(() -> self + ": dropped an unexpected request of " + frame.remaining() + " bytes from " + from);
  }

  @Override
  public void onView(View newView) {
    boolean primary;
    // One monitor for the verdict and the two fields, so readers never see a new view with the old verdict.
    synchronized (quorum) {
      primary = quorum.admit(newView);
      deliveredView = newView;
      minority = !primary;
      healing |= !primary;
    }
    if (settings.leases()) {
      // A member joining now counts as heard now; departed members are forgotten.
      long now = runtime.clock().nanos();
      newView.members().forEach(member -> heardAt.putIfAbsent(member, now));
      heardAt.keySet().retainAll(newView.members());
      renewLease();
    }
    if (primary) {
      run(() -> {
        install(newView);
        reconfiguration.begin(newView);
      });
    } else {
      LOG.warning(() -> self + ": view " + newView.viewId() + " " + newView.members() + " holds no majority of "
          + quorum.primaryMembers() + ": this node refuses reads and writes until it rejoins the majority");
      run(() -> {
        install(newView);
        enterMinority();
      });
    }
  }

  /** Makes {@code newView} the engine's view unless a newer one is installed already. Engine thread. */
  private void install(View newView) {
    if (newView.viewId() > view.viewId()) {
      view = newView;
    }
  }

  /**
   * The view holds no quorum: pages stay as they are (no departed replica is dropped, so no write is acknowledged on
   * this side; no owner is promoted), requests from others wait for the next primary view, and client operations
   * fail. The next primary view's reconfiguration settles every page against the majority's.
   */
  private void enterMinority() {
    reconfiguring = true;
    for (PageState st : pages.values()) {
      if (st.role == PageState.Role.OWNER) {
        standDown(st);
      }
    }
    List<Runnable> waiting = new ArrayList<>(held);
    held.clear();
    // Client operations fail now (admitted() sees the minority); requests from others are held again.
    runEach(waiting);
  }

  /**
   * A page this node owned when it found itself in a minority: the majority may have promoted a replica and written
   * since, so this node no longer claims it. Its copy is kept and reported like a copy found on disk after a restart
   * (the merge's decision keeps the newest, which is the majority's whenever it wrote). An action in progress is
   * abandoned: its client learns nothing (its write may have reached a replica on the majority side), and what
   * waited for the page waits for the merge.
   */
  private void standDown(PageState st) {
    OwnerAction action = st.pending;
    if (action != null && action.retransmit != null) {
      action.retransmit.cancel();
    }
    st.pending = null;
    held.addAll(st.parked);
    st.parked.clear();
    held.addAll(st.lockWaiters);
    st.lockWaiters.clear();
    st.locked = false;
    st.copyset.clear();
    st.role = PageState.Role.NONE;
    st.version = 0;
    st.restored = true;
    // The writes it applied stay known: if the merge promotes this copy, a writer that never heard the answer and
    // retries must be answered, not have its write applied a second time on top of later ones.
    replicaRecent.computeIfAbsent(st.page, page -> PageState.recentTable()).putAll(st.recent);
    st.recent.clear();
  }

  /**
   * Whether this node serves nothing because of a partition: from a view on the minority side until the next primary
   * view's reconfiguration has settled its pages against the majority's.
   */
  public boolean inMinority() {
    return minority || healing;
  }

  private void handle(NodeId from, CoherenceMessage message) {
    if (isLateForFreedPage(from, message)) {
      return;
    }
    if (reconfiguring) {
      switch (message.type()) {
        case READ_REQUEST, WRITE_REQUEST -> {
          held.add(() -> handle(from, message));
          return;
        }
        // A copy or ownership granted under the old view: the request is resent once owners are settled.
        case PAGE_GRANT, OWNERSHIP_GRANT -> {
          return;
        }
        default -> { }
      }
    }
    switch (message.type()) {
      case READ_REQUEST -> ownerRole.onReadRequest((CoherenceMessage.ReadRequest) message);
      case PAGE_GRANT -> onPageGrant((CoherenceMessage.PageGrant) message);
      case WRITE_REQUEST -> ownerRole.onWriteRequest((CoherenceMessage.WriteRequest) message);
      case WRITE_DONE -> onWriteDone((CoherenceMessage.WriteDone) message);
      case OWNERSHIP_GRANT -> onOwnershipGrant((CoherenceMessage.OwnershipGrant) message);
      case OWNERSHIP_ACK -> onOwnershipAck((CoherenceMessage.OwnershipAck) message);
      case REDIRECT -> onRedirect((CoherenceMessage.Redirect) message);
      case INVALIDATE -> onInvalidate((CoherenceMessage.Invalidate) message);
      case INVALIDATE_ACK -> ownerRole.onInvalidateAck((CoherenceMessage.InvalidateAck) message);
      case REPLICA_UPDATE -> onReplicaUpdate((CoherenceMessage.ReplicaUpdate) message);
      case REPLICA_ACK -> ownerRole.onReplicaAck((CoherenceMessage.ReplicaAck) message);
      case OWNER_CHANGED -> onOwnerChanged((CoherenceMessage.OwnerChanged) message);
      case RECONFIGURE -> reconfiguration.onReconfigure((CoherenceMessage.Reconfigure) message);
      case RECONFIGURE_STATE -> reconfiguration.onState((CoherenceMessage.ReconfigureState) message);
      case RECONFIGURE_DECISION -> reconfiguration.onDecision((CoherenceMessage.ReconfigureDecision) message);
      case RECONFIGURE_ACK -> reconfiguration.onAck((CoherenceMessage.ReconfigureAck) message);
      case RELEASE_REPLICA -> gracefulLeave.onReleaseReplica((CoherenceMessage.ReleaseReplica) message);
      case REPLICA_RELEASED -> gracefulLeave.onReplicaReleased((CoherenceMessage.ReplicaReleased) message);
      case REFUSED -> onRefused((CoherenceMessage.Refused) message);
      case FREE_RANGE -> freeing.onFreeRange((CoherenceMessage.FreeRange) message);
      case FREE_RANGE_ACK -> freeing.onAck((CoherenceMessage.FreeRangeAck) message);
      case LEAVE_NOTICE -> {
        quorum.departing(((CoherenceMessage.LeaveNotice) message).from());
        sendTo(from, new CoherenceMessage.LeaveNoticeAck(self));
      }
      case LEAVE_NOTICE_ACK -> gracefulLeave.onNoticeAck((CoherenceMessage.LeaveNoticeAck) message);
      case RESOURCE_REPORT -> {
        var m = (CoherenceMessage.ResourceReport) message;
        placement.update(m.from(), new Placement.Resources(m.freeRamBytes(), m.freeDiskBytes()));
      }
    }
  }

  /**
   * A request reached a node that does not own the page. The responsible node forwards it to the owner it has on
   * record (which answers the requester directly); any other node tells the requester where to look.
   */
  void passOn(PageState st, long requestId, NodeId requester, CoherenceMessage request) {
    NodeId target = route(st);
    if (target == null || target.equals(requester)) {
      return;
    }
    if (responsible(st.page).equals(self)) {
      sendTo(target, request);
    } else {
      sendTo(requester, new CoherenceMessage.Redirect(requestId, st.page, target));
    }
  }

  private void onPageGrant(CoherenceMessage.PageGrant m) {
    PendingRequest request = requests.get(m.requestId());
    if (request == null || request.kind != PendingRequest.Kind.READ || !request.page.equals(m.page())) {
      return;
    }
    PageState st = state(m.page());
    if (st.role == PageState.Role.OWNER) {
      takeRequest(m.requestId(), m.page()).future.complete(ownedPage(st));
      return;
    }
    if (m.data().version() < st.seen) {
      // This copy crossed a newer write or hand-off in flight: ask again.
      st.ownerHint = m.owner();
      send(request);
      return;
    }
    takeRequest(m.requestId(), m.page());
    st.see(m.data().version());
    st.role = PageState.Role.READER;
    st.ownerHint = m.owner();
    pager.cacheCopy(m.data());
    request.future.complete(m.data());
  }

  private void onWriteDone(CoherenceMessage.WriteDone m) {
    PendingRequest request = takeRequest(m.requestId(), m.page());
    if (request == null) {
      return;
    }
    if (m.version() < 0) {
      request.future.completeExceptionally(new IllegalStateException("the owner of " + m.page()
          + " refused the write: " + request.op + " is not registered there"));
      return;
    }
    state(m.page()).see(m.version());
    request.future.complete(new WriteResult(m.version(), m.result()));
  }

  private void onRedirect(CoherenceMessage.Redirect m) {
    PendingRequest request = requests.get(m.requestId());
    if (request == null || !request.page.equals(m.page())) {
      return;
    }
    if (!m.probableOwner().equals(self)) {
      state(m.page()).ownerHint = m.probableOwner();
    }
    send(request);
  }

  private void onOwnershipGrant(CoherenceMessage.OwnershipGrant m) {
    PageState st = state(m.page());
    long version = m.data().version();
    if (st.role == PageState.Role.OWNER && st.version >= version) {
      // A retransmission of the grant that made this node owner: confirm it again.
      sendTo(m.from(), new CoherenceMessage.OwnershipAck(m.page(), version, self));
      return;
    }
    if (version < st.seen) {
      // Superseded (a reconfiguration moved the page on): no ack, for an ack would let the sender drop a copy that
      // the reconfiguration may still need; the sender forgets the grant when it applies the decision.
      return;
    }
    sendTo(m.from(), new CoherenceMessage.OwnershipAck(m.page(), version, self));
    st.role = PageState.Role.OWNER;
    st.version = version;
    st.see(version);
    st.ownerHint = null;
    st.copyset.clear();
    st.replicas = new ArrayList<>(m.replicas());
    st.replicas.remove(self);
    st.recent.clear();
    m.recent().forEach(applied -> st.recent.put(applied.requestId(), applied.result()));
    pager.write(m.data().withDirty(true));
    // Not forced: a backup that comes back after a crash is older than the granted page and loses to any newer copy,
    // and a forced removal cost an fsync on every write that takes a page from its owner.
    replicaStore.removeLazily(m.page());
    replicaPages.remove(m.page());
    if (responsible(m.page()).equals(self)) {
      recordOwner(m.page(), self, version);
    }
    if (!m.rebuild().isEmpty()) {
      replicate(st, m.rebuild(), () -> { });
    }
    // Every request this node had out for the page is now served here, the granted one first.
    PendingRequest granted = takeRequest(m.requestId(), m.page());
    if (granted != null) {
      runLocally(granted);
    }
    List<PendingRequest> others = new ArrayList<>();
    requests.values().removeIf(request -> request.page.equals(m.page()) && others.add(request));
    others.sort(java.util.Comparator.comparingLong(request -> request.sequence));
    for (PendingRequest request : others) {
      if (request.retry != null) {
        request.retry.cancel();
      }
      runLocally(request);
    }
  }

  private void runLocally(PendingRequest request) {
    switch (request.kind) {
      case READ -> startRead(request.page, request.future);
      case WRITE -> {
        // The previous owner may have applied it already (its answer lost or still in flight): the recent-writes
        // table that came with ownership says so, and applying it again would write it twice.
        Bytes applied = state(request.page).recent.get(request.id);
        if (applied != null) {
          request.future.complete(new WriteResult(state(request.page).version, applied));
        } else {
          startWrite(request.page, request.op, request.future);
        }
      }
      case UPDATE -> startUpdate(request.page, request.update, request.future);
      case LOCK -> startLock(request.page, request.future);
    }
  }

  private void onOwnershipAck(CoherenceMessage.OwnershipAck m) {
    OutgoingGrant outgoing = grants.get(m.page());
    if (outgoing != null && outgoing.to().equals(m.from()) && m.version() >= outgoing.grant().data().version()) {
      grants.remove(m.page());
      gracefulLeave.checkDone();
    }
  }

  private void onInvalidate(CoherenceMessage.Invalidate m) {
    PageState st = state(m.page());
    if (st.role == PageState.Role.OWNER) {
      if (st.version < m.version()) {
        LOG.severe(() -> self + ": owner of " + m.page() + " at v" + st.version + " got an invalidation for v"
            + m.version() + " from " + m.owner() + "; two owners?");
      }
    } else {
      st.see(m.version());
      st.ownerHint = m.owner();
      if (st.role == PageState.Role.READER) {
        pager.remove(m.page());
        st.role = PageState.Role.NONE;
      }
    }
    sendTo(m.owner(), new CoherenceMessage.InvalidateAck(m.page(), m.version(), self));
  }

  /**
   * Stores a backup copy: forced to disk before it is acknowledged when the page is persistent; for a volatile page
   * only written to the store's journal (it survives this process being killed, not the machine crashing), the
   * promise its owner keeps for its own copy, which lives in RAM. Forcing every volatile backup cost a sync per write.
   */
  void keepReplica(Page copy) {
    if (copy.isVolatile()) {
      replicaStore.writeLazily(copy);
    } else {
      replicaStore.write(copy);
    }
  }

  private void onReplicaUpdate(CoherenceMessage.ReplicaUpdate m) {
    gracefulLeave.noteReplicaOwner(m.page(), m.owner());
    Page stored = replicaStore.read(m.page());
    long holding = stored == null ? -1 : stored.version();
    if (m.data().version() > holding) {
      keepReplica(m.data().withDirty(false));
      replicaPages.add(m.page());
      holding = m.data().version();
      Map<Long, Bytes> recent = replicaRecent.computeIfAbsent(m.page(), page -> PageState.recentTable());
      m.applied().forEach(applied -> recent.put(applied.requestId(), applied.result()));
    }
    sendTo(m.owner(), new CoherenceMessage.ReplicaAck(m.page(), holding, self));
  }

  private void onOwnerChanged(CoherenceMessage.OwnerChanged m) {
    if (responsible(m.page()).equals(self)) {
      recordOwner(m.page(), m.owner(), m.version());
    }
  }

  /* ---- plumbing ---- */

  /**
   * The page's responsible node in the current view: the one its range names, or, while that node is not a member,
   * the next member after it in id order (every node computes the same substitute from the same view).
   */
  NodeId responsible(GlobalAddress page) {
    NodeId named = responsibility.responsibleFor(page);
    View current = view;
    if (current.contains(named) || current.members().isEmpty()) {
      return named;
    }
    for (NodeId member : current.members()) {
      if (Long.compareUnsigned(member.value(), named.value()) > 0) {
        return member;
      }
    }
    return current.members().get(0);
  }

  PageState state(GlobalAddress page) {
    return pages.computeIfAbsent(page, address -> {
      PageState st = new PageState(address);
      // Outside a reconfiguration, a page this node has never heard of is one nobody has touched: its responsible
      // node owns it. During one, nothing is claimed until the decision says who owns what.
      if (!reconfiguring && !leaving && responsible(address).equals(self) && responsibility.isAllocated(address)) {
        // A page starts out owned by its responsible node, at version 0 (all zeros), with the range's replicas.
        st.role = PageState.Role.OWNER;
        st.replicas = new ArrayList<>(responsibility.replicasFor(address));
        st.replicas.remove(self);
        // This node may be acting for an absent responsible node and be one of the range's replicas itself, or a
        // named replica may be absent: fill up to k - 1 from the view, so a write still waits for k copies.
        View current = view;
        st.replicas.removeIf(node -> !current.contains(node));
        placement.fill(self, st.replicas, responsibility.replicasFor(address).size(), current.members(), List.of());
      }
      return st;
    });
  }

  int pageBytes() {
    return codec.pageSize().bytes();
  }

  void sendTo(NodeId to, CoherenceMessage message) {
    if (closed) {
      return;
    }
    stats.countSent(message.type());
    try {
      transport.send(to, codec.encode(message));
    } catch (io.quire.spi.transport.TransportClosedException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  io.quire.core.runtime.GridScheduler.Cancellable later(Runnable task) {
    return later(task, 0);
  }

  /** Runs {@code task} on the engine thread after {@code delay}. */
  void after(Duration delay, Runnable task) {
    runtime.scheduler().schedule(() -> {
      if (!closed) {
        run(task);
      }
    }, delay);
  }

  /**
   * Runs {@code task} after the retransmission interval doubled {@code attempt} times (at most 32 times the interval):
   * for messages as large as a node's whole page list, which a slow member must not be sent again every interval.
   */
  io.quire.core.runtime.GridScheduler.Cancellable later(Runnable task, int attempt) {
    Duration delay = settings.retransmitAfter().multipliedBy(1L << Math.min(Math.max(attempt, 0), 5));
    return runtime.scheduler().schedule(() -> {
      if (!closed) {
        run(task);
      }
    }, delay);
  }

  /**
   * True when every page this node owns has its full set of replicas holding its current version, and no view change
   * is being processed: a failure of any one node now loses nothing. Engine thread only.
   */
  public boolean replicationSatisfied() {
    if (reconfiguring) {
      return false;
    }
    int others = view.members().size() - 1;
    for (PageState st : pages.values()) {
      if (st.role != PageState.Role.OWNER) {
        continue;
      }
      if (st.pending != null && st.pending.kind == OwnerAction.Kind.REPLICATE) {
        return false;
      }
      if (st.replicas.size() < Math.min(responsibility.replicasFor(st.page).size(), others)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What this node holds, for monitoring (the launcher's status): the view it works in, the pages it owns (those with
   * state here; an allocated page nobody has written yet is owned by its responsible node without any), the backup
   * copies it keeps, and {@link #replicationSatisfied()}.
   */
  public record Holdings(long viewId, int members, int ownedPages, int replicaPages, boolean replicationSatisfied) {}

  /** A snapshot of what this node holds, taken on the engine thread; fails once the engine is closed. */
  public CompletableFuture<Holdings> holdings() {
    CompletableFuture<Holdings> result = new CompletableFuture<>();
    runFor(result, () -> {
      int owned = (int) pages.values().stream().filter(st -> st.role == PageState.Role.OWNER).count();
      result.complete(new Holdings(view.viewId(), view.size(), owned, replicaPages.size(), replicationSatisfied()));
    });
    return result;
  }

  /**
   * Hands every page this node owns to another node and has every backup copy it holds moved elsewhere, so that k
   * copies hold every page throughout; completes when nothing depends on this node any more. Close the engine then.
   */
  public CompletableFuture<Void> leave() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    runFor(done, () -> gracefulLeave.start(done));
    return done;
  }

  /** The current members after {@code from} in id order, wrapping round, without {@code from}. */
  List<NodeId> ringAfter(NodeId from) {
    return ringAfter(view, from);
  }

  /** The members of {@code v} after {@code from} in id order, wrapping round, without {@code from}. */
  static List<NodeId> ringAfter(View v, NodeId from) {
    List<NodeId> members = v.members();
    int start = 0;
    while (start < members.size() && Long.compareUnsigned(members.get(start).value(), from.value()) <= 0) {
      start++;
    }
    List<NodeId> order = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      NodeId node = members.get((start + i) % members.size());
      if (!node.equals(from)) {
        order.add(node);
      }
    }
    return order;
  }

  /**
   * The copy of {@code page} this node holds as owner or backup, or null. Engine thread only (tests use it to count
   * copies).
   */
  public Page heldCopy(GlobalAddress page) {
    PageState st = pages.get(page);
    if (st != null && st.role == PageState.Role.OWNER) {
      return ownedPage(st);
    }
    return replicaPages.contains(page) ? replicaStore.read(page) : null;
  }

  /** True when this node owns {@code page}. Engine thread only (tests on a simulation's thread). */
  public boolean owns(GlobalAddress page) {
    PageState st = pages.get(page);
    return st != null ? st.role == PageState.Role.OWNER : !reconfiguring && responsible(page).equals(self)
        && !owners.containsKey(page) && responsibility.isAllocated(page);
  }

  /** The committed version of {@code page} if this node owns it, else -1. Engine thread only. */
  public long ownedVersion(GlobalAddress page) {
    PageState st = pages.get(page);
    if (st == null) {
      return owns(page) ? 0 : -1;
    }
    return st.role == PageState.Role.OWNER ? st.version : -1;
  }

  /** A description of this node's state for a page, for failure messages. Engine thread only. */
  public String describe(GlobalAddress page) {
    PageState st = pages.get(page);
    return self + ": " + (st == null ? "no state" : st.toString())
        + (owners.containsKey(page) ? " record=" + owners.get(page) : "");
  }

  /**
   * Runs {@code task} on the engine thread. Once the engine is closed (its mailbox may already be shut down), frames
   * and timers that still arrive are dropped rather than failing on a stopped executor.
   */
  private void run(Runnable task) {
    if (!closed) {
      executeEvenIfClosed(task);
    }
  }

  private void executeEvenIfClosed(Runnable task) {
    try {
      mailbox.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      if (!closed) {
        throw stopped;
      }
    }
  }

  /** Runs a client's {@code task}, or fails its {@code result} at once when the engine is closed. */
  private void runFor(CompletableFuture<?> result, Runnable task) {
    if (closed) {
      result.completeExceptionally(new IllegalStateException("coherence engine of " + self + " is closed"));
    } else {
      executeEvenIfClosed(task);
    }
  }

  /**
   * Leaves the cluster at once (after {@link #leave()} for a graceful leave): pending operations of this node fail,
   * and timers that fire later do nothing. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    transport.close();
    executeEvenIfClosed(() -> {
      IllegalStateException gone = new IllegalStateException("coherence engine of " + self + " is closed");
      requests.values().forEach(request -> request.future.completeExceptionally(gone));
      requests.clear();
      held.clear();
    });
  }

  /**
   * Pages this node found in its own stores after a restart: reported to the next reconfiguration as copies it
   * holds, never used as owned pages until a decision says so. Call before {@link #start()}.
   */
  public void restore(java.util.Collection<GlobalAddress> ownStorePages, java.util.Collection<GlobalAddress>
      replicaStorePages) {
    run(() -> {
      for (GlobalAddress page : ownStorePages) {
        pages.computeIfAbsent(page, PageState::new).restored = true;
      }
      for (GlobalAddress page : replicaStorePages) {
        pages.computeIfAbsent(page, PageState::new);
        replicaPages.add(page);
      }
    });
  }
}
