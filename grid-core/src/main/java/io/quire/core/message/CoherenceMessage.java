package io.quire.core.message;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import java.util.List;

/**
 * The coherence protocol's messages (see {@code docs/design/coherence.md}). Immutable records; {@link #type()} is the
 * tag that makes switches over them exhaustive and names the wire id.
 */
public sealed interface CoherenceMessage {

  /** The wire tag. */
  MessageType type();

  /** The page the message is about. */
  GlobalAddress page();

  /** A reader asks for a read copy. */
  record ReadRequest(long requestId, NodeId requester, GlobalAddress page) implements CoherenceMessage {
    public ReadRequest {
      requireNonNull(requester, "requester");
      requireNonNull(page, "page");
    }

    @Override
    public MessageType type() {
      return MessageType.READ_REQUEST;
    }
  }

  /** The owner grants a read copy; the requester is now in the copyset. */
  record PageGrant(long requestId, NodeId owner, Page data) implements CoherenceMessage {
    public PageGrant {
      requireNonNull(owner, "owner");
      requireNonNull(data, "data");
    }

    @Override
    public GlobalAddress page() {
      return data.address();
    }

    @Override
    public MessageType type() {
      return MessageType.PAGE_GRANT;
    }
  }

  /** A writer asks the owner to apply {@code op}, or for ownership. */
  record WriteRequest(long requestId, NodeId requester, GlobalAddress page, PageOp op, boolean wantsOwnership)
      implements CoherenceMessage {
    public WriteRequest {
      requireNonNull(requester, "requester");
      requireNonNull(page, "page");
      requireNonNull(op, "op");
    }

    @Override
    public MessageType type() {
      return MessageType.WRITE_REQUEST;
    }
  }

  /** The owner applied a shipped write; {@code result} is what a registered operation returned. */
  record WriteDone(long requestId, GlobalAddress page, long version, Bytes result) implements CoherenceMessage {
    public WriteDone {
      requireNonNull(page, "page");
      requireNonNull(result, "result");
    }

    @Override
    public MessageType type() {
      return MessageType.WRITE_DONE;
    }
  }

  /**
   * The owner hands ownership, the page, its replica set and the writes it recently applied (so a retried write
   * reaching the new owner is answered with its result, not applied again) to the requester. {@code rebuild} names
   * replicas that do not hold the page yet (after a leaving node handed its pages over): the new owner copies the
   * page to them before it serves the page.
   */
  record OwnershipGrant(long requestId, NodeId from, Page data, List<NodeId> replicas, List<Applied> recent,
      List<NodeId> rebuild) implements CoherenceMessage {
    public OwnershipGrant {
      requireNonNull(from, "from");
      requireNonNull(data, "data");
      replicas = List.copyOf(replicas);
      recent = List.copyOf(recent);
      rebuild = List.copyOf(rebuild);
    }

    @Override
    public GlobalAddress page() {
      return data.address();
    }

    @Override
    public MessageType type() {
      return MessageType.OWNERSHIP_GRANT;
    }
  }

  /** A write request that was applied, and what it returned. */
  record Applied(long requestId, Bytes result) {
    public Applied {
      requireNonNull(result, "result");
    }
  }

  /** The new owner confirms an ownership grant, which stops its retransmission. */
  record OwnershipAck(GlobalAddress page, long version, NodeId from) implements CoherenceMessage {
    public OwnershipAck {
      requireNonNull(page, "page");
      requireNonNull(from, "from");
    }

    @Override
    public MessageType type() {
      return MessageType.OWNERSHIP_ACK;
    }
  }

  /** Not the owner: try {@code probableOwner}. */
  record Redirect(long requestId, GlobalAddress page, NodeId probableOwner) implements CoherenceMessage {
    public Redirect {
      requireNonNull(page, "page");
      requireNonNull(probableOwner, "probableOwner");
    }

    @Override
    public MessageType type() {
      return MessageType.REDIRECT;
    }
  }

  /** Drop your read copy: version {@code version} is about to commit. */
  record Invalidate(GlobalAddress page, long version, NodeId owner) implements CoherenceMessage {
    public Invalidate {
      requireNonNull(page, "page");
      requireNonNull(owner, "owner");
    }

    @Override
    public MessageType type() {
      return MessageType.INVALIDATE;
    }
  }

  /** A read copy is gone (or never was). */
  record InvalidateAck(GlobalAddress page, long version, NodeId from) implements CoherenceMessage {
    public InvalidateAck {
      requireNonNull(page, "page");
      requireNonNull(from, "from");
    }

    @Override
    public MessageType type() {
      return MessageType.INVALIDATE_ACK;
    }
  }

  /**
   * Hold this backup copy. {@code applied} lists the write request that made this version (none for a local write or
   * a rebuild), so that a replica promoted to owner still answers a retry of it instead of applying it again.
   */
  record ReplicaUpdate(NodeId owner, Page data, List<Applied> applied) implements CoherenceMessage {
    public ReplicaUpdate {
      requireNonNull(owner, "owner");
      requireNonNull(data, "data");
      applied = List.copyOf(applied);
    }

    @Override
    public GlobalAddress page() {
      return data.address();
    }

    @Override
    public MessageType type() {
      return MessageType.REPLICA_UPDATE;
    }
  }

  /** The backup copy at {@code version} (or newer) is held. */
  record ReplicaAck(GlobalAddress page, long version, NodeId from) implements CoherenceMessage {
    public ReplicaAck {
      requireNonNull(page, "page");
      requireNonNull(from, "from");
    }

    @Override
    public MessageType type() {
      return MessageType.REPLICA_ACK;
    }
  }

  /** What one node knows of one page, for a reconfiguration. */
  record PageReport(GlobalAddress page, boolean owner, long dataVersion, long seen) {
    public PageReport {
      requireNonNull(page, "page");
    }
  }

  /** A page's owner after a reconfiguration; {@code promote} when the owner must take it up from its own copy. */
  record Assignment(GlobalAddress page, NodeId owner, long version, boolean promote, List<NodeId> replicas) {
    public Assignment {
      requireNonNull(page, "page");
      requireNonNull(owner, "owner");
      replicas = List.copyOf(replicas);
    }
  }

  /**
   * The view's coordinator asks every member what it knows of every page, after a view change. Cluster-wide
   * messages are about no one page: their {@link #page()} is {@link GlobalAddress#ZERO}.
   */
  record Reconfigure(long viewId, NodeId coordinator) implements CoherenceMessage {
    public Reconfigure {
      requireNonNull(coordinator, "coordinator");
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.RECONFIGURE;
    }
  }

  /** A member's answer to {@link Reconfigure}: it dropped its read copies, and this is what it holds. */
  record ReconfigureState(long viewId, NodeId from, List<PageReport> pages) implements CoherenceMessage {
    public ReconfigureState {
      requireNonNull(from, "from");
      pages = List.copyOf(pages);
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.RECONFIGURE_STATE;
    }
  }

  /** The coordinator's decision: the owner of every page anyone reported. */
  record ReconfigureDecision(long viewId, NodeId coordinator, List<Assignment> assignments)
      implements CoherenceMessage {
    public ReconfigureDecision {
      requireNonNull(coordinator, "coordinator");
      assignments = List.copyOf(assignments);
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.RECONFIGURE_DECISION;
    }
  }

  /** A member applied the decision for {@code viewId}. */
  record ReconfigureAck(long viewId, NodeId from) implements CoherenceMessage {
    public ReconfigureAck {
      requireNonNull(from, "from");
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.RECONFIGURE_ACK;
    }
  }

  /** A leaving node asks the owner to move its backup copy to another node before it goes. */
  record ReleaseReplica(GlobalAddress page, NodeId from) implements CoherenceMessage {
    public ReleaseReplica {
      requireNonNull(page, "page");
      requireNonNull(from, "from");
    }

    @Override
    public MessageType type() {
      return MessageType.RELEASE_REPLICA;
    }
  }

  /** The owner has k copies without the leaving node's (or does not hold the page): the node may drop its copy. */
  record ReplicaReleased(GlobalAddress page, NodeId owner) implements CoherenceMessage {
    public ReplicaReleased {
      requireNonNull(page, "page");
      requireNonNull(owner, "owner");
    }

    @Override
    public MessageType type() {
      return MessageType.REPLICA_RELEASED;
    }
  }

  /** The allocating node freed a range: drop every copy of its pages and ignore late messages about them. */
  record FreeRange(GlobalAddress start, long pages, NodeId from) implements CoherenceMessage {
    public FreeRange {
      requireNonNull(start, "start");
      requireNonNull(from, "from");
      if (pages < 1) {
        throw new IllegalArgumentException("a freed range holds at least one page, not " + pages);
      }
    }

    @Override
    public GlobalAddress page() {
      return start;
    }

    @Override
    public MessageType type() {
      return MessageType.FREE_RANGE;
    }
  }

  /** A member dropped every copy of a freed range's pages. */
  record FreeRangeAck(GlobalAddress start, NodeId from) implements CoherenceMessage {
    public FreeRangeAck {
      requireNonNull(start, "start");
      requireNonNull(from, "from");
    }

    @Override
    public GlobalAddress page() {
      return start;
    }

    @Override
    public MessageType type() {
      return MessageType.FREE_RANGE_ACK;
    }
  }

  /** The page's responsible node refuses a request: the page is not in an allocated range. */
  record Refused(long requestId, GlobalAddress page, NodeId from, String reason) implements CoherenceMessage {
    public Refused {
      requireNonNull(page, "page");
      requireNonNull(from, "from");
      requireNonNull(reason, "reason");
    }

    @Override
    public MessageType type() {
      return MessageType.REFUSED;
    }
  }

  /** A node publishes its free RAM and disk to the policy controllers of the others. */
  record ResourceReport(NodeId from, long freeRamBytes, long freeDiskBytes) implements CoherenceMessage {
    public ResourceReport {
      requireNonNull(from, "from");
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.RESOURCE_REPORT;
    }
  }

  /**
   * A node starts a graceful leave: its departure must not count against the others' quorum (see the coherence
   * engine's partition rule).
   */
  record LeaveNotice(NodeId from) implements CoherenceMessage {
    public LeaveNotice {
      requireNonNull(from, "from");
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.LEAVE_NOTICE;
    }
  }

  /** A member recorded a {@link LeaveNotice}. */
  record LeaveNoticeAck(NodeId from) implements CoherenceMessage {
    public LeaveNoticeAck {
      requireNonNull(from, "from");
    }

    @Override
    public GlobalAddress page() {
      return GlobalAddress.ZERO;
    }

    @Override
    public MessageType type() {
      return MessageType.LEAVE_NOTICE_ACK;
    }
  }

  /** Tells the responsible node who owns the page now. */
  record OwnerChanged(GlobalAddress page, NodeId owner, long version) implements CoherenceMessage {
    public OwnerChanged {
      requireNonNull(page, "page");
      requireNonNull(owner, "owner");
    }

    @Override
    public MessageType type() {
      return MessageType.OWNER_CHANGED;
    }
  }
}
