package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.ApplicationChannel;
import io.quire.core.NodeId;
import io.quire.spi.transport.View;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.event.EventType;

/**
 * The event bus of a cluster over a network transport: entry events of shared caches travel as application messages
 * of the node's {@link ApplicationChannel}, and only to the nodes that listen to the cache.
 *
 * <p>Two topics. {@value #INTEREST} carries a node's <em>interest</em>: the names of the caches it has listeners on,
 * the whole set each time, stamped with a sequence number that grows with every change (so a lost message is repaired
 * by the next, and a late one never undoes a newer). A node sends it to every other member when the set changes and
 * after each view change, and answers every interest request with its own. When this bus opens (its node's cache
 * manager starts, possibly long after the node joined and after the others announced) it asks every member for
 * theirs and waits (at most {@link #ANNOUNCE_TIMEOUT}), so the node's first changes already reach the listeners that
 * existed before it. When a cache here gains its first listener, the set goes out as requests and {@link #subscribe}
 * waits for every member's answer, so once {@code registerCacheEntryListener} returns, changes made on any node then
 * in the view reach it. {@value #EVENTS} carries one batch of one cache's events to each interested node.
 * Subscribers on this node other than the publisher hear the batch on this bus's delivery order too.
 *
 * <p>Decoding is strict; a bad message is refused with an exception that the channel logs with the reason, and the
 * node goes on.
 *
 * <p>Concurrency: {@code local} is copy-on-write; {@code interestOf} (per remote node, the caches it listens to and
 * the sequence number they came with), {@code listening} (per cache, the remote nodes) and {@code sequence} are
 * changed only under this object's lock, on the channel's
 * delivery thread or a subscribing thread, and {@code listening}'s sets are replaced, never mutated, so that the hot
 * path ({@link #hasRemoteSubscribers}) reads them without a lock.
 */
final class ClusterEventBus implements EventBus, AutoCloseable {
  static final String INTEREST = "quire.jcache.interest";
  static final String EVENTS = "quire.jcache.events";
  static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(10);
  private static final System.Logger LOG = System.getLogger(ClusterEventBus.class.getName());

  private record Subscriber(String cacheName, Object self, Consumer<List<EncodedEvent>> handler) {}

  private final ApplicationChannel channel;
  private final List<Subscriber> local = new CopyOnWriteArrayList<>();
  private final Map<NodeId, Interest> interestOf = new HashMap<>();
  private final Map<String, Set<NodeId>> listening = new ConcurrentHashMap<>();
  private final List<Runnable> registrations = new ArrayList<>();
  // This node's interest stamps: starts from the clock so that a restarted node's announcements are newer than its
  // previous incarnation's (which the others may still hold while the old one is being suspected).
  private long sequence = System.currentTimeMillis() * 1_000;

  /** A node's interest as it travels: the caches it listens to, stamped. */
  record Interest(long sequence, Set<String> names) {
    Interest {
      names = Set.copyOf(names);
    }
  }

  /** Opens the bus and asks every member which caches it listens to (see the class comment); may wait for that. */
  ClusterEventBus(ApplicationChannel channel) {
    this.channel = requireNonNull(channel, "channel");
    registrations.add(channel.register(INTEREST, this::onInterest));
    registrations.add(channel.register(EVENTS, this::onEvents));
    registrations.add(channel.onView(this::onView));
    announce(true);
  }

  @Override
  public boolean hasRemoteSubscribers(String cacheName, Object self) {
    if (!listening.getOrDefault(cacheName, Set.of()).isEmpty()) {
      return true;
    }
    for (Subscriber s : local) {
      if (s.cacheName().equals(cacheName) && s.self() != self) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void publish(String cacheName, Object self, List<EncodedEvent> events) {
    List<EncodedEvent> copy = List.copyOf(events);
    Set<NodeId> targets = listening.getOrDefault(cacheName, Set.of());
    if (!targets.isEmpty()) {
      byte[] payload = encodeEvents(cacheName, copy);
      for (NodeId node : targets) {
        channel.send(node, EVENTS, payload);
      }
    }
    for (Subscriber s : local) {
      if (s.cacheName().equals(cacheName) && s.self() != self) {
        deliver(s, copy);
      }
    }
  }

  @Override
  public Runnable subscribe(String cacheName, Object self, Consumer<List<EncodedEvent>> handler) {
    Subscriber subscriber = new Subscriber(cacheName, self, handler);
    boolean first = local.stream().noneMatch(s -> s.cacheName().equals(cacheName));
    local.add(subscriber);
    if (first) {
      announce(true);
    }
    return () -> {
      local.remove(subscriber);
      if (local.stream().noneMatch(s -> s.cacheName().equals(cacheName))) {
        announce(false);
      }
    };
  }

  @Override
  public void close() {
    registrations.forEach(Runnable::run);
  }

  /* ---- interest ---- */

  private Set<String> ownInterest() {
    Set<String> names = new HashSet<>();
    local.forEach(s -> names.add(s.cacheName()));
    return names;
  }

  // This node's interest with a fresh stamp, taken together so that stamps order the sets they carry.
  private synchronized byte[] stampedInterest() {
    return encodeInterest(new Interest(++sequence, ownInterest()));
  }

  /*
   * Sends this node's interest to every other member. When asked to wait, the interest goes as requests, each
   * answered with the member's own interest, which is recorded: the caller returns knowing who listens where.
   */
  private void announce(boolean await) {
    byte[] payload = stampedInterest();
    Map<NodeId, CompletableFuture<byte[]>> answers = new HashMap<>();
    for (NodeId member : channel.view().members()) {
      if (member.equals(channel.self())) {
        continue;
      }
      if (await) {
        answers.put(member, channel.request(member, INTEREST, payload, ANNOUNCE_TIMEOUT));
      } else {
        channel.send(member, INTEREST, payload);
      }
    }
    for (Map.Entry<NodeId, CompletableFuture<byte[]>> answer : answers.entrySet()) {
      try {
        record(answer.getKey(), decodeInterest(answer.getValue().get(ANNOUNCE_TIMEOUT.toMillis() + 1_000,
            TimeUnit.MILLISECONDS)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // A member that left meanwhile needs no events; one whose bus is not open yet asks for ours when it opens;
        // one that did not answer gets the set again with the next view.
        LOG.log(System.Logger.Level.DEBUG, "no interest exchanged with " + answer.getKey() + ": " + e);
      }
    }
  }

  private byte[] onInterest(NodeId from, byte[] payload) {
    record(from, decodeInterest(payload));
    return stampedInterest();
  }

  // Keeps the newest interest each member of the view sent (a stale answer or a late message never undoes a newer).
  private synchronized void record(NodeId from, Interest interest) {
    if (!channel.view().contains(from) && !channel.view().members().isEmpty()) {
      return;
    }
    Interest known = interestOf.get(from);
    if (known == null || interest.sequence() > known.sequence()) {
      interestOf.put(from, interest);
      rebuild();
    }
  }

  private void onView(View view) {
    synchronized (this) {
      interestOf.keySet().removeIf(node -> !view.contains(node));
      rebuild();
    }
    if (!ownInterest().isEmpty()) {
      announce(false);
    }
  }

  // Called with this object's lock held: listening becomes the inverse of interestOf.
  private void rebuild() {
    Map<String, Set<NodeId>> inverse = new HashMap<>();
    interestOf.forEach((node, interest) -> interest.names()
        .forEach(n -> inverse.computeIfAbsent(n, x -> new HashSet<>()).add(node)));
    listening.keySet().removeIf(name -> !inverse.containsKey(name));
    inverse.forEach((name, nodes) -> listening.put(name, Set.copyOf(nodes)));
  }

  /* ---- events ---- */

  private byte[] onEvents(NodeId from, byte[] payload) {
    Batch batch;
    try {
      batch = decodeEvents(payload);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad event batch from " + from + ": " + e.getMessage(), e);
    }
    for (Subscriber s : local) {
      if (s.cacheName().equals(batch.cacheName())) {
        deliver(s, batch.events());
      }
    }
    return null;
  }

  /** One cache's events as they travel. */
  record Batch(String cacheName, List<EncodedEvent> events) {}

  /** @throws IllegalArgumentException with the reason, if {@code payload} is not exactly one valid batch */
  static Batch decodeEvents(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      String cacheName = text(in);
      int count = in.getInt();
      if (count < 1 || count > in.remaining()) {
        throw new IllegalArgumentException("event batch claims " + count + " events in " + in.remaining() + " bytes");
      }
      List<EncodedEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int type = in.get();
        if (type < 0 || type >= EventType.values().length) {
          throw new IllegalArgumentException("unknown event type " + type);
        }
        byte[] key = bytes(in, false);
        events.add(new EncodedEvent(EventType.values()[type], key, bytes(in, true), bytes(in, true)));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " trailing bytes");
      }
      return new Batch(cacheName, List.copyOf(events));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated event batch of " + payload.length + " bytes");
    }
  }

  private static void deliver(Subscriber s, List<EncodedEvent> events) {
    try {
      s.handler().accept(events);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "delivering events of cache '" + s.cacheName() + "' failed", e);
    }
  }

  /* ---- wire forms: u16-length UTF-8 names, int-length byte strings (-1 for none) ---- */

  static byte[] encodeEvents(String cacheName, List<EncodedEvent> events) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      writeText(out, cacheName);
      out.writeInt(events.size());
      for (EncodedEvent e : events) {
        out.writeByte(e.type().ordinal());
        writeBytes(out, e.key());
        writeBytes(out, e.value());
        writeBytes(out, e.oldValue());
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] encodeInterest(Interest interest) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(interest.sequence());
      out.writeInt(interest.names().size());
      for (String name : interest.names()) {
        writeText(out, name);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws IllegalArgumentException with the reason, if {@code payload} is not exactly one valid interest */
  static Interest decodeInterest(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      long stamp = in.getLong();
      int count = in.getInt();
      if (count < 0 || count > in.remaining()) {
        throw new IllegalArgumentException("interest claims " + count + " caches in " + in.remaining() + " bytes");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < count; i++) {
        names.add(text(in));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("interest has " + in.remaining() + " trailing bytes");
      }
      return new Interest(stamp, names);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated interest of " + payload.length + " bytes");
    }
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static String text(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length == 0 || length > in.remaining()) {
      throw new IllegalArgumentException("a name of " + length + " bytes with " + in.remaining() + " left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer in, boolean nullable) {
    int length = in.getInt();
    if (length == -1 && nullable) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("a byte string of " + length + " bytes with " + in.remaining() + " left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }
}
