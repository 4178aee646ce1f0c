package io.quire.testkit.sim;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.OperationRegistry;
import io.quire.core.coherence.Responsibility;
import io.quire.core.message.Bytes;
import io.quire.core.message.MessageCodec;
import io.quire.core.message.PageOp;
import io.quire.core.page.Page;
import io.quire.store.Pager;
import io.quire.testkit.history.History;
import io.quire.testkit.history.Op;
import io.quire.testkit.store.InMemoryPageStore;
import io.quire.transport.local.FaultPlan;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.Simulation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * N coherence engines on one seeded simulated network, sharing a handful of pages: the harness of the coherence
 * simulation tests. One thread, virtual time; the same seed gives the same run.
 *
 * <p>Page {@code i} is the register the checker sees: the long at offset 0. Its responsible node is node {@code i mod
 * N}, its replicas the next {@code k-1} nodes round the ring, and even pages are volatile, odd ones persistent.
 */
public final class SimCluster implements AutoCloseable {
  private static final PageSize PAGE_SIZE = new PageSize(512);

  private final Simulation sim;
  private final List<NodeId> ids = new ArrayList<>();
  private final List<CoherenceEngine> engines = new ArrayList<>();
  private final List<InMemoryPageStore> disks = new ArrayList<>();
  private final List<InMemoryPageStore> replicaStores = new ArrayList<>();
  private final List<Boolean> alive = new ArrayList<>();
  private final List<HoldableMailbox> mailboxes = new ArrayList<>();
  private final MessageCodec codec;
  private final OperationRegistry operations;
  private final CoherenceSettings settings;
  private final long seed;
  private int restarts;
  private final java.util.Set<GlobalAddress> freedPages = new java.util.HashSet<>();
  private int crashes;
  private int splits;
  /** The node cut off by a split brain of the random workload, or -1; with splitSince, on the simulation's thread. */
  private int splitOff = -1;
  private long splitSince;
  private final List<GlobalAddress> pages = new ArrayList<>();
  private final int k;
  private Runnable stepHook = () -> { };

  private final io.quire.core.coherence.Topology topology;

  private SimCluster(int nodes, int pageCount, int k, long seed, FaultPlan faults, CoherenceSettings settings,
      io.quire.core.coherence.Topology topology) {
    this.topology = topology;
    if (k < 1 || k > nodes) {
      throw new IllegalArgumentException("k must be between 1 and the node count " + nodes + ", not " + k);
    }
    this.k = k;
    this.sim = LocalNetwork.simulated(seed, faults);
    for (int i = 0; i < nodes; i++) {
      ids.add(new NodeId(i + 1));
    }
    for (int i = 0; i < pageCount; i++) {
      pages.add(new GlobalAddress(1, (long) i * PAGE_SIZE.bytes()));
    }
    this.codec = new MessageCodec(PAGE_SIZE);
    this.operations = OperationRegistry.of(new CasOperation());
    this.settings = settings;
    this.seed = seed;
    for (int i = 0; i < nodes; i++) {
      disks.add(new InMemoryPageStore());
      replicaStores.add(new InMemoryPageStore());
      alive.add(true);
      mailboxes.add(new HoldableMailbox());
      engines.add(newEngine(i, sim.network().transport(ids.get(i))));
    }
    engines.forEach(CoherenceEngine::start);
    sim.runUntilQuiescent(Duration.ofSeconds(1));
  }

  private CoherenceEngine newEngine(int i, io.quire.spi.transport.Transport transport) {
    NodeId id = ids.get(i);
    // A fresh RAM tier over the node's surviving disk: a restart loses RAM, keeps disk.
    Pager pager = new Pager(1L << 20, disks.get(i));
    long freeDisk = (i + 1) * 1_000_000L;
    return new CoherenceEngine(id, transport, codec, sim.runtime(id), mailboxes.get(i), pager, replicaStores.get(i),
        new RingResponsibility(), operations, new SplittableRandom(seed * 1_000_003L + i + 7919L * restarts),
        settings, new io.quire.core.coherence.Placement(topology), () -> freeDisk);
  }

  /** Kills node {@code i}: its RAM, timers and messages in flight are gone; its disk stays. */
  public void crash(int i) {
    // What the dead engine had queued dies with it.
    mailboxes.get(i).queue.clear();
    mailboxes.get(i).held = false;
    sim.crash(ids.get(i));
    alive.set(i, false);
    crashes++;
  }

  /** Starts node {@code i} again from its disk; it rejoins and reports what it holds. */
  public void restart(int i) {
    restarts++;
    mailboxes.set(i, new HoldableMailbox());
    CoherenceEngine engine = newEngine(i, sim.restart(ids.get(i)));
    engine.restore(disks.get(i).addresses(), replicaStores.get(i).addresses());
    engines.set(i, engine);
    alive.set(i, true);
    engine.start();
  }

  /** True when every live node reports every page it owns at k copies, with no view change in progress. */
  public boolean replicationSatisfied() {
    for (int i = 0; i < engines.size(); i++) {
      if (alive.get(i) && !engines.get(i).replicationSatisfied()) {
        return false;
      }
    }
    return true;
  }

  /** Nodes killed so far. */
  public int crashes() {
    return crashes;
  }

  /** Nodes restarted so far. */
  public int restarts() {
    return restarts;
  }

  /**
   * Node {@code i} leaves gracefully: it hands its pages and backup copies over, then its transport closes. Fails if
   * the hand-over does not finish within {@code limit} of virtual time.
   */
  public void leave(int i, Duration limit) {
    await(engines.get(i).leave(), limit);
    close(i);
  }

  /** Closes node {@code i}'s engine (its transport leaves the cluster) without any hand-over. */
  public void close(int i) {
    engines.get(i).close();
    alive.set(i, false);
  }

  /** How many live nodes hold a copy (owned or backup) of {@code page} with exactly {@code content}'s bytes. */
  public int copiesOf(GlobalAddress page, Page content) {
    return copiesOf(page, content, -1);
  }

  /** As {@link #copiesOf(GlobalAddress, Page)}, not counting node {@code excluded}. */
  public int copiesOf(GlobalAddress page, Page content, int excluded) {
    int copies = 0;
    for (int i = 0; i < engines.size(); i++) {
      if (i == excluded) {
        continue;
      }
      Page held = alive.get(i) ? engines.get(i).heldCopy(page) : null;
      if (held != null && java.util.Arrays.equals(held.toByteArray(PAGE_SIZE.bytes()),
          content.toByteArray(PAGE_SIZE.bytes()))) {
        copies++;
      }
    }
    return copies;
  }

  /** The page as its current owner holds it, or null when no live node owns it right now. */
  public Page ownerCopy(GlobalAddress page) {
    for (int i = 0; i < engines.size(); i++) {
      if (alive.get(i) && engines.get(i).owns(page)) {
        return engines.get(i).heldCopy(page);
      }
    }
    return null;
  }

  /** True unless node {@code i} is crashed. */
  public boolean isAlive(int i) {
    return alive.get(i);
  }

  /** A cluster of {@code nodes} nodes sharing {@code pages} pages with {@code k} copies of each. */
  public static SimCluster of(int nodes, int pages, int k, long seed, FaultPlan faults, CoherenceSettings settings) {
    return new SimCluster(nodes, pages, k, seed, faults, settings, io.quire.core.coherence.Topology.FLAT);
  }

  /** As {@link #of}, with the nodes placed in groups by {@code topology} (node i has id i+1). */
  public static SimCluster of(int nodes, int pages, int k, long seed, FaultPlan faults, CoherenceSettings settings,
      io.quire.core.coherence.Topology topology) {
    return new SimCluster(nodes, pages, k, seed, faults, settings, topology);
  }

  /** The simulation, to step it or inject faults. */
  public Simulation simulation() {
    return sim;
  }

  /** Runs {@code hook} after every simulation step of {@link #randomWorkload}: for invariant checks. */
  public void setStepHook(Runnable hook) {
    this.stepHook = hook;
  }

  /** The store node {@code i} keeps its backup copies in. */
  public InMemoryPageStore replicaStore(int i) {
    return replicaStores.get(i);
  }

  /**
   * Stops running node {@code i}'s engine tasks: from now on they queue up, as on a production node whose engine
   * thread is busy while the transport's threads deliver views and frames, until {@link #releaseMailbox}.
   */
  public void holdMailbox(int i) {
    mailboxes.get(i).held = true;
  }

  /** How many of node {@code i}'s engine tasks wait in its held mailbox. */
  public int heldTasks(int i) {
    return mailboxes.get(i).queue.size();
  }

  /** Runs node {@code i}'s held tasks in the order they came, then runs its tasks at once again. */
  public void releaseMailbox(int i) {
    HoldableMailbox mailbox = mailboxes.get(i);
    // Tasks that the held ones submit queue behind them, as on a real serial executor.
    while (!mailbox.queue.isEmpty()) {
      mailbox.queue.poll().run();
    }
    mailbox.held = false;
  }

  /** Node {@code i}'s engine. */
  public CoherenceEngine engine(int i) {
    return engines.get(i);
  }

  /** How many nodes the cluster has. */
  public int nodeCount() {
    return engines.size();
  }

  /** Node {@code i}'s id. */
  public NodeId node(int i) {
    return ids.get(i);
  }

  /**
   * Frees shared page {@code i} (a one-page range) from its responsible node, as the memory layer would: the
   * allocation record goes first, then the engine drops every copy across the cluster.
   */
  public CompletableFuture<Void> free(int i) {
    GlobalAddress page = pages.get(i);
    freedPages.add(page);
    int responsible = i % engines.size();
    return engines.get(responsible).free(new io.quire.core.address.AddressRange(page, 1, PAGE_SIZE));
  }

  /** An address past the shared pages: in no allocated range. */
  public GlobalAddress unallocatedPage() {
    return new GlobalAddress(1, (long) pages.size() * PAGE_SIZE.bytes());
  }

  /** Shared page {@code i}. */
  public GlobalAddress page(int i) {
    return pages.get(i);
  }

  /** How many live nodes own {@code page} right now (1 when quiescent). */
  public int owners(GlobalAddress page) {
    int owners = 0;
    for (int i = 0; i < engines.size(); i++) {
      if (alive.get(i) && engines.get(i).owns(page)) {
        owners++;
      }
    }
    return owners;
  }

  /** Runs the simulation until {@code future} completes; fails if it does not within {@code limit}. */
  public <T> T await(CompletableFuture<T> future, Duration limit) {
    long deadline = sim.clock().nanos() + limit.toNanos();
    while (!future.isDone()) {
      if (sim.clock().nanos() > deadline || !sim.step()) {
        throw new AssertionError("operation did not complete within " + limit + " of virtual time (seed "
            + sim.seed() + ")");
      }
    }
    return future.join();
  }

  /**
   * Reads the register of {@code page} at node {@code node} the way the memory API does: a local hit first, without
   * the engine, then the engine.
   */
  public CompletableFuture<Long> read(int node, GlobalAddress page) {
    Page hit = engines.get(node).readLocal(page);
    if (hit != null) {
      return CompletableFuture.completedFuture(value(hit));
    }
    return engines.get(node).read(page).thenApply(SimCluster::value);
  }

  /** Writes {@code value} into the register of {@code page} from node {@code node}. */
  public CompletableFuture<Long> write(int node, GlobalAddress page, long value) {
    return engines.get(node).write(page, new PageOp.WriteBytes(0, Bytes.copyOf(longBytes(value))))
        .thenApply(done -> value);
  }

  /** Compare-and-set of the register of {@code page} from node {@code node}; true when it swapped. */
  public CompletableFuture<Boolean> cas(int node, GlobalAddress page, long expected, long update) {
    return engines.get(node).write(page, new PageOp.Registered(CasOperation.ID,
        Bytes.copyOf(CasOperation.arguments(expected, update)))).thenApply(done -> done.result().length() == 1
            && done.result().toByteArray()[0] == 1);
  }

  /** Locks {@code page} at node {@code node}: the page moves there and stays until {@link #unlock}. */
  public CompletableFuture<Void> lock(int node, GlobalAddress page) {
    return engines.get(node).lock(page);
  }

  /** Releases a {@link #lock}. */
  public CompletableFuture<Void> unlock(int node, GlobalAddress page) {
    return engines.get(node).unlock(page);
  }

  /** Increments the register of {@code page} at node {@code node} with a local update (takes ownership). */
  public CompletableFuture<Long> increment(int node, GlobalAddress page) {
    return engines.get(node).update(page, bytes -> {
      ByteBuffer content = ByteBuffer.wrap(bytes);
      content.putLong(0, content.getLong(0) + 1);
      return bytes;
    }).thenApply(SimCluster::value);
  }

  /**
   * Runs {@code clientsPerNode} clients on every node, each doing {@code opsPerClient} random reads, writes and
   * compare-and-sets on random pages, one at a time, and records every invocation and response. Operations still
   * running after {@code maxVirtualTime} are recorded with an unknown outcome. Now and then a node's engine is kept
   * busy for a few steps, so views and frames queue up behind its earlier work as on a real node.
   */
  public History<GlobalAddress> randomWorkload(int clientsPerNode, int opsPerClient, Duration maxVirtualTime,
      long seed) {
    return randomWorkload(clientsPerNode, opsPerClient, maxVirtualTime, seed, false);
  }

  /**
   * As {@link #randomWorkload(int, int, Duration, long)}, and with {@code crashes}, a random node is killed from time
   * to time (never more than {@code k-1} at once) and restarted from its disk a while later. Operations in flight on
   * a node when it dies are recorded with an unknown outcome.
   */
  public History<GlobalAddress> randomWorkload(int clientsPerNode, int opsPerClient, Duration maxVirtualTime,
      long seed, boolean crashes) {
    return randomWorkload(clientsPerNode, opsPerClient, maxVirtualTime, seed, crashes, false);
  }

  /**
   * As {@link #randomWorkload(int, int, Duration, long, boolean)}, and with {@code splits}, a random node is cut off
   * from time to time as in a real partition (links cut, each side installs a view of its own; only while every page
   * has k copies) and merged back a while later. Its clients' operations fail with the minority's refusal (recorded
   * with an unknown outcome) or wait for the merge. A split still in force at the end is merged before returning.
   */
  public History<GlobalAddress> randomWorkload(int clientsPerNode, int opsPerClient, Duration maxVirtualTime,
      long seed, boolean crashes, boolean splits) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
    History<GlobalAddress> history = new History<>();
    int clients = clientsPerNode * engines.size();
    int[] remaining = new int[clients];
    long[] inFlight = new long[clients];
    long[] lastSeen = new long[clients];
    java.util.Arrays.fill(remaining, opsPerClient);
    java.util.Arrays.fill(inFlight, -1);
    long[] nextValue = {1};
    long deadline = sim.clock().nanos() + maxVirtualTime.toNanos();
    long nextFault = sim.clock().nanos() + faultInterval(random);
    long[] downSince = new long[engines.size()];
    SplittableRandom stalls = random.split();
    int[] stalledFor = new int[engines.size()];
    while (sim.clock().nanos() <= deadline) {
      stallEngines(stalls, stalledFor);
      if ((crashes || splits) && sim.clock().nanos() >= nextFault) {
        nextFault = sim.clock().nanos() + faultInterval(random);
        if (crashes) {
          injectFault(random, clientsPerNode, history, inFlight, downSince);
        }
        if (splits) {
          splitOrMerge(random);
        }
      }
      boolean anyBusy = false;
      for (int c = 0; c < clients; c++) {
        if (!alive.get(c / clientsPerNode)) {
          continue;
        }
        if (inFlight[c] < 0 && remaining[c] > 0) {
          remaining[c]--;
          start(c, c / clientsPerNode, random, history, inFlight, lastSeen, nextValue);
        }
        anyBusy |= inFlight[c] >= 0;
      }
      if (!anyBusy || !sim.step()) {
        break;
      }
      stepHook.run();
    }
    for (int i = 0; i < engines.size(); i++) {
      releaseMailbox(i);
    }
    for (long id : inFlight) {
      if (id >= 0) {
        history.unknown(id);
      }
    }
    if (splitOff >= 0) {
      mergeSplit();
    }
    return history;
  }

  /**
   * Now and then keeps a node's engine busy for a few steps: frames, views and timers that reach it meanwhile queue up
   * behind its earlier tasks, as on a real node whose transport threads deliver while its engine thread works.
   */
  private void stallEngines(SplittableRandom stalls, int[] stalledFor) {
    for (int i = 0; i < engines.size(); i++) {
      if (stalledFor[i] > 0) {
        if (--stalledFor[i] == 0) {
          releaseMailbox(i);
        }
      } else if (alive.get(i) && stalls.nextInt(100) == 0) {
        stalledFor[i] = 1 + stalls.nextInt(30);
        holdMailbox(i);
      }
    }
  }

  /** Merges a node that has been cut off a while, or cuts one off while every page has its k copies. */
  private void splitOrMerge(SplittableRandom random) {
    if (splitOff >= 0) {
      if (sim.clock().nanos() - splitSince > Duration.ofMillis(200).toNanos() && random.nextBoolean()) {
        mergeSplit();
      }
      return;
    }
    // One node at a time, as crashes: a minority side holding k nodes could hold every copy of a page.
    if (random.nextInt(3) == 0 && replicationSatisfied()) {
      int victim = random.nextInt(engines.size());
      if (alive.get(victim)) {
        splitOff = victim;
        splitSince = sim.clock().nanos();
        splits++;
        sim.splitViews(java.util.Set.of(ids.get(victim)));
      }
    }
  }

  private void mergeSplit() {
    splitOff = -1;
    sim.heal();
    sim.mergeViews();
  }

  /** Split brains so far. */
  public int splits() {
    return splits;
  }

  private static long faultInterval(SplittableRandom random) {
    return Duration.ofMillis(100 + random.nextInt(400)).toNanos();
  }

  /** Restarts a node that has been down a while, or kills a live one if fewer than k-1 are down. */
  private void injectFault(SplittableRandom random, int clientsPerNode, History<GlobalAddress> history,
      long[] inFlight, long[] downSince) {
    int down = 0;
    for (int i = 0; i < engines.size(); i++) {
      if (!alive.get(i)) {
        down++;
        if (sim.clock().nanos() - downSince[i] > Duration.ofMillis(200).toNanos() && random.nextBoolean()) {
          restart(i);
          return;
        }
      }
    }
    // "Fewer than k at a time" includes the time to rebuild: a node dies only while every page has its k copies.
    if (down < k - 1 && random.nextInt(3) == 0 && replicationSatisfied()) {
      int victim = random.nextInt(engines.size());
      if (alive.get(victim)) {
        crash(victim);
        downSince[victim] = sim.clock().nanos();
        for (int c = victim * clientsPerNode; c < (victim + 1) * clientsPerNode; c++) {
          if (inFlight[c] >= 0) {
            history.unknown(inFlight[c]);
            inFlight[c] = -1;
          }
        }
      }
    }
  }

  private void start(int client, int node, SplittableRandom random, History<GlobalAddress> history,
      long[] inFlight, long[] lastSeen, long[] nextValue) {
    GlobalAddress page = pages.get(random.nextInt(pages.size()));
    int dice = random.nextInt(100);
    long now = sim.clock().nanos();
    if (dice < 45) {
      long id = history.invoke(client, page, Op.read(), now);
      inFlight[client] = id;
      read(node, page).whenComplete((value, failure) -> {
        if (inFlight[client] != id) {
          return;
        }
        if (failure == null) {
          lastSeen[client] = value;
          history.ok(id, value, sim.clock().nanos());
        } else {
          history.unknown(id);
        }
        inFlight[client] = -1;
      });
    } else if (dice < 80) {
      long value = nextValue[0]++;
      long id = history.invoke(client, page, Op.write(value), now);
      inFlight[client] = id;
      write(node, page, value).whenComplete((ignored, failure) -> {
        if (inFlight[client] != id) {
          return;
        }
        if (failure == null) {
          history.ok(id, sim.clock().nanos());
        } else {
          history.unknown(id);
        }
        inFlight[client] = -1;
      });
    } else {
      long expected = random.nextBoolean() ? lastSeen[client] : 0;
      long update = nextValue[0]++;
      long id = history.invoke(client, page, Op.cas(expected, update), now);
      inFlight[client] = id;
      cas(node, page, expected, update).whenComplete((swapped, failure) -> {
        if (inFlight[client] != id) {
          return;
        }
        if (failure == null) {
          history.ok(id, swapped, sim.clock().nanos());
        } else {
          history.unknown(id);
        }
        inFlight[client] = -1;
      });
    }
  }

  /** What {@code page}'s register holds. */
  public static long value(Page page) {
    return ByteBuffer.wrap(page.toByteArray(Long.BYTES)).getLong();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  /** Describes every node's state for {@code page}, for failure messages. */
  public String describe(GlobalAddress page) {
    StringBuilder out = new StringBuilder();
    for (CoherenceEngine engine : engines) {
      out.append("\n  ").append(engine.describe(page));
    }
    return out.toString();
  }

  @Override
  public void close() {
    engines.forEach(CoherenceEngine::close);
    sim.close();
  }

  /**
   * An engine's serial executor on the simulation's one thread: runs each task at once, or, while held, queues it.
   * Confined to the simulation's thread.
   */
  private static final class HoldableMailbox implements java.util.concurrent.Executor {
    private final java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
    private boolean held;

    @Override
    public void execute(Runnable task) {
      if (held) {
        queue.add(task);
      } else {
        task.run();
      }
    }
  }

  /** Page i: responsible node i mod N, replicas the next k-1 nodes, volatile when i is even. */
  private final class RingResponsibility implements Responsibility {
    private int index(GlobalAddress page) {
      return (int) (page.lo() / PAGE_SIZE.bytes());
    }

    @Override
    public NodeId responsibleFor(GlobalAddress page) {
      return ids.get(index(page) % ids.size());
    }

    @Override
    public List<NodeId> replicasFor(GlobalAddress page) {
      List<NodeId> replicas = new ArrayList<>();
      for (int i = 1; i < k; i++) {
        replicas.add(ids.get((index(page) + i) % ids.size()));
      }
      return replicas;
    }

    @Override
    public boolean isVolatile(GlobalAddress page) {
      return index(page) % 2 == 0;
    }

    /** The shared pages are allocated until freed; any address past them is not. */
    @Override
    public boolean isAllocated(GlobalAddress page) {
      return page.hi() == 1 && index(page) < pages.size() && !freedPages.contains(page);
    }
  }
}
