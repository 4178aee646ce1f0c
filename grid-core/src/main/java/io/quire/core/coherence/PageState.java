package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.message.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's control block for one page. Owned by the node's engine thread: nothing else reads or writes it.
 */
final class PageState {
  /** What this node may do with its copy of the page. */
  enum Role {
    /** No usable copy. */
    NONE,
    /** A read copy that stays valid until an invalidation arrives. */
    READER,
    /** The write privilege and the authoritative copy. */
    OWNER
  }

  /** How many applied request ids an owner remembers, so duplicates and retries are answered, not re-applied. */
  static final int RECENT_REQUESTS = 256;

  final GlobalAddress page;
  Role role = Role.NONE;
  /** Where this node believes the owner is; null when it knows nothing better than the responsible node. */
  NodeId ownerHint;
  /**
   * The highest version this node knows exists. A read copy or an ownership grant older than this is a message that
   * crossed a newer write or hand-off in flight, and is refused.
   */
  long seen;
  /** The committed version when this node owns the page. */
  long version;

  /** Owner only: nodes holding read copies. */
  final Set<NodeId> copyset = new LinkedHashSet<>();
  /** Owner only: nodes holding backup copies. */
  List<NodeId> replicas = new ArrayList<>();
  /** Owner only: recently applied request ids and their results (travels with ownership). */
  final Map<Long, Bytes> recent = recentTable();
  /** Owner only: the write or hand-off in progress; requests wait in {@link #parked} until it is done. */
  OwnerAction pending;
  final Deque<Runnable> parked = new ArrayDeque<>();

  /**
   * Owner only: held by a lock of this node (the memory API's {@code lock}); remote writes and hand-offs wait in
   * {@link #lockWaiters} until it is released.
   */
  boolean locked;
  final Deque<Runnable> lockWaiters = new ArrayDeque<>();

  /** Found in this node's own store after a restart: a copy to report, not an owned page. */
  boolean restored;

  /** Owner only, for the migration controller: the remote node that wrote last, and how often in a row. */
  NodeId lastRemoteWriter;
  int remoteWriteStreak;

  /** A table of applied requests that keeps the newest {@link #RECENT_REQUESTS}. */
  static Map<Long, Bytes> recentTable() {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Bytes> eldest) {
        return size() > RECENT_REQUESTS;
      }
    };
  }

  PageState(GlobalAddress page) {
    this.page = page;
  }

  /** Raises {@link #seen} to {@code v}. */
  void see(long v) {
    seen = Math.max(seen, v);
  }

  @Override
  public String toString() {
    return "PageState{" + page + " " + role + " v" + version + " seen=" + seen + " hint=" + ownerHint
        + (role == Role.OWNER ? " copyset=" + copyset + " replicas=" + replicas : "")
        + (pending != null ? " pending=" + pending : "") + "}";
  }
}
