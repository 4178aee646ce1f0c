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
   * reaching the new owner is answered with its result, not applied again) to the requester.
   */
  record OwnershipGrant(long requestId, NodeId from, Page data, List<NodeId> replicas, List<Applied> recent)
      implements CoherenceMessage {
    public OwnershipGrant {
      requireNonNull(from, "from");
      requireNonNull(data, "data");
      replicas = List.copyOf(replicas);
      recent = List.copyOf(recent);
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

  /** Hold this backup copy. */
  record ReplicaUpdate(NodeId owner, Page data) implements CoherenceMessage {
    public ReplicaUpdate {
      requireNonNull(owner, "owner");
      requireNonNull(data, "data");
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
