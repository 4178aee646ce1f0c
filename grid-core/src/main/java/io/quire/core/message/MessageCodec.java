package io.quire.core.message;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.core.page.PageChecksumMismatch;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written, versioned wire form of {@link CoherenceMessage}s. Frame: format byte, type byte, then the
 * fields of the record in declaration order (big-endian). Decoding is strict: an unknown format or type, a length
 * out of bounds, a truncated frame, trailing bytes or a page whose checksum fails all raise {@link
 * ProtocolException}; nothing half-decoded escapes. Pages keep their checksum on the wire, so a page damaged in
 * transit is caught here.
 *
 * <p>Stateless and safe for concurrent use.
 */
public final class MessageCodec {
  /** The frame format this code writes and reads. */
  public static final byte FORMAT_V1 = 1;

  /** The most replicas or applied requests a message may list; above any real value. */
  static final int MAX_LIST = 1024;

  /** The most pages a reconfiguration message may list. */
  static final int MAX_PAGES = 1 << 22;

  private static final byte OP_WRITE_BYTES = 1;
  private static final byte OP_REGISTERED = 2;

  private final PageSize pageSize;

  public MessageCodec(PageSize pageSize) {
    this.pageSize = pageSize;
  }

  /** The page size whose pages this codec accepts. */
  public PageSize pageSize() {
    return pageSize;
  }

  /** The frame for {@code message}, ready to read. */
  public ByteBuffer encode(CoherenceMessage message) {
    Writer out = new Writer();
    out.buffer.put(FORMAT_V1).put(message.type().wireId());
    switch (message.type()) {
      case READ_REQUEST -> {
        var m = (CoherenceMessage.ReadRequest) message;
        out.longValue(m.requestId()).node(m.requester()).address(m.page());
      }
      case PAGE_GRANT -> {
        var m = (CoherenceMessage.PageGrant) message;
        out.longValue(m.requestId()).node(m.owner()).page(m.data());
      }
      case WRITE_REQUEST -> {
        var m = (CoherenceMessage.WriteRequest) message;
        out.longValue(m.requestId()).node(m.requester()).address(m.page()).op(m.op()).bool(m.wantsOwnership());
      }
      case WRITE_DONE -> {
        var m = (CoherenceMessage.WriteDone) message;
        out.longValue(m.requestId()).address(m.page()).longValue(m.version()).bytes(m.result());
      }
      case OWNERSHIP_GRANT -> {
        var m = (CoherenceMessage.OwnershipGrant) message;
        out.longValue(m.requestId()).node(m.from()).page(m.data()).nodes(m.replicas()).applied(m.recent())
            .nodes(m.rebuild());
      }
      case OWNERSHIP_ACK -> {
        var m = (CoherenceMessage.OwnershipAck) message;
        out.address(m.page()).longValue(m.version()).node(m.from());
      }
      case REDIRECT -> {
        var m = (CoherenceMessage.Redirect) message;
        out.longValue(m.requestId()).address(m.page()).node(m.probableOwner());
      }
      case INVALIDATE -> {
        var m = (CoherenceMessage.Invalidate) message;
        out.address(m.page()).longValue(m.version()).node(m.owner());
      }
      case INVALIDATE_ACK -> {
        var m = (CoherenceMessage.InvalidateAck) message;
        out.address(m.page()).longValue(m.version()).node(m.from());
      }
      case REPLICA_UPDATE -> {
        var m = (CoherenceMessage.ReplicaUpdate) message;
        out.node(m.owner()).page(m.data()).applied(m.applied());
      }
      case REPLICA_ACK -> {
        var m = (CoherenceMessage.ReplicaAck) message;
        out.address(m.page()).longValue(m.version()).node(m.from());
      }
      case OWNER_CHANGED -> {
        var m = (CoherenceMessage.OwnerChanged) message;
        out.address(m.page()).node(m.owner()).longValue(m.version());
      }
      case RECONFIGURE -> {
        var m = (CoherenceMessage.Reconfigure) message;
        out.longValue(m.viewId()).node(m.coordinator());
      }
      case RECONFIGURE_STATE -> {
        var m = (CoherenceMessage.ReconfigureState) message;
        out.longValue(m.viewId()).node(m.from()).count(m.pages().size());
        for (CoherenceMessage.PageReport r : m.pages()) {
          out.address(r.page()).bool(r.owner()).longValue(r.dataVersion()).longValue(r.seen());
        }
      }
      case RECONFIGURE_DECISION -> {
        var m = (CoherenceMessage.ReconfigureDecision) message;
        out.longValue(m.viewId()).node(m.coordinator()).count(m.assignments().size());
        for (CoherenceMessage.Assignment a : m.assignments()) {
          out.address(a.page()).node(a.owner()).longValue(a.version()).bool(a.promote()).nodes(a.replicas());
        }
      }
      case RECONFIGURE_ACK -> {
        var m = (CoherenceMessage.ReconfigureAck) message;
        out.longValue(m.viewId()).node(m.from());
      }
      case RELEASE_REPLICA -> {
        var m = (CoherenceMessage.ReleaseReplica) message;
        out.address(m.page()).node(m.from());
      }
      case REPLICA_RELEASED -> {
        var m = (CoherenceMessage.ReplicaReleased) message;
        out.address(m.page()).node(m.owner());
      }
      case FREE_RANGE -> {
        var m = (CoherenceMessage.FreeRange) message;
        out.address(m.start()).longValue(m.pages()).node(m.from());
      }
      case FREE_RANGE_ACK -> {
        var m = (CoherenceMessage.FreeRangeAck) message;
        out.address(m.start()).node(m.from());
      }
      case REFUSED -> {
        var m = (CoherenceMessage.Refused) message;
        out.longValue(m.requestId()).address(m.page()).node(m.from())
            .bytes(Bytes.adopt(m.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      case RESOURCE_REPORT -> {
        var m = (CoherenceMessage.ResourceReport) message;
        out.node(m.from()).longValue(m.freeRamBytes()).longValue(m.freeDiskBytes());
      }
      case LEAVE_NOTICE -> out.node(((CoherenceMessage.LeaveNotice) message).from());
      case LEAVE_NOTICE_ACK -> out.node(((CoherenceMessage.LeaveNoticeAck) message).from());
    }
    return out.buffer.flip();
  }

  /**
   * The message in {@code frame}, which is read from its position to its limit.
   *
   * @throws ProtocolException if the frame is not exactly one valid message
   */
  public CoherenceMessage decode(ByteBuffer frame) {
    ByteBuffer in = frame.duplicate();
    try {
      byte format = in.get();
      if (format != FORMAT_V1) {
        throw new ProtocolException("unsupported frame format " + format + " (this node reads " + FORMAT_V1 + ")");
      }
      MessageType type = MessageType.ofWireId(in.get());
      CoherenceMessage message = switch (type) {
        case READ_REQUEST -> new CoherenceMessage.ReadRequest(in.getLong(), node(in), address(in));
        case PAGE_GRANT -> new CoherenceMessage.PageGrant(in.getLong(), node(in), page(in));
        case WRITE_REQUEST -> new CoherenceMessage.WriteRequest(in.getLong(), node(in), address(in), op(in),
            bool(in));
        case WRITE_DONE -> new CoherenceMessage.WriteDone(in.getLong(), address(in), in.getLong(), bytes(in));
        case OWNERSHIP_GRANT -> new CoherenceMessage.OwnershipGrant(in.getLong(), node(in), page(in), nodes(in),
            applied(in), nodes(in));
        case OWNERSHIP_ACK -> new CoherenceMessage.OwnershipAck(address(in), in.getLong(), node(in));
        case REDIRECT -> new CoherenceMessage.Redirect(in.getLong(), address(in), node(in));
        case INVALIDATE -> new CoherenceMessage.Invalidate(address(in), in.getLong(), node(in));
        case INVALIDATE_ACK -> new CoherenceMessage.InvalidateAck(address(in), in.getLong(), node(in));
        case REPLICA_UPDATE -> new CoherenceMessage.ReplicaUpdate(node(in), page(in), applied(in));
        case REPLICA_ACK -> new CoherenceMessage.ReplicaAck(address(in), in.getLong(), node(in));
        case OWNER_CHANGED -> new CoherenceMessage.OwnerChanged(address(in), node(in), in.getLong());
        case RECONFIGURE -> new CoherenceMessage.Reconfigure(in.getLong(), node(in));
        case RECONFIGURE_STATE -> new CoherenceMessage.ReconfigureState(in.getLong(), node(in), reports(in));
        case RECONFIGURE_DECISION -> new CoherenceMessage.ReconfigureDecision(in.getLong(), node(in),
            assignments(in));
        case RECONFIGURE_ACK -> new CoherenceMessage.ReconfigureAck(in.getLong(), node(in));
        case RELEASE_REPLICA -> new CoherenceMessage.ReleaseReplica(address(in), node(in));
        case REPLICA_RELEASED -> new CoherenceMessage.ReplicaReleased(address(in), node(in));
        case RESOURCE_REPORT -> new CoherenceMessage.ResourceReport(node(in), in.getLong(), in.getLong());
        case FREE_RANGE -> new CoherenceMessage.FreeRange(address(in), in.getLong(), node(in));
        case FREE_RANGE_ACK -> new CoherenceMessage.FreeRangeAck(address(in), node(in));
        case LEAVE_NOTICE -> new CoherenceMessage.LeaveNotice(node(in));
        case LEAVE_NOTICE_ACK -> new CoherenceMessage.LeaveNoticeAck(node(in));
        case REFUSED -> new CoherenceMessage.Refused(in.getLong(), address(in), node(in),
            new String(bytes(in).shared(), java.nio.charset.StandardCharsets.UTF_8));
      };
      if (in.hasRemaining()) {
        throw new ProtocolException(type + " frame has " + in.remaining() + " trailing bytes");
      }
      return message;
    } catch (BufferUnderflowException e) {
      throw new ProtocolException("truncated frame of " + frame.remaining() + " bytes", e);
    } catch (PageChecksumMismatch e) {
      throw new ProtocolException("page damaged in transit: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("invalid field: " + e.getMessage(), e);
    }
  }

  private static NodeId node(ByteBuffer in) {
    return new NodeId(in.getLong());
  }

  private static GlobalAddress address(ByteBuffer in) {
    return new GlobalAddress(in.getLong(), in.getLong());
  }

  private static boolean bool(ByteBuffer in) {
    byte b = in.get();
    if (b != 0 && b != 1) {
      throw new ProtocolException("boolean field holds " + b);
    }
    return b == 1;
  }

  private Page page(ByteBuffer in) {
    GlobalAddress address = address(in);
    if (!address.isPageAligned(pageSize)) {
      throw new ProtocolException("page address " + address + " is not aligned to " + pageSize);
    }
    long version = in.getLong();
    boolean isVolatile = bool(in);
    int checksum = in.getInt();
    byte[] data = new byte[length(in, pageSize.bytes())];
    in.get(data);
    return Page.restore(address, version, false, isVolatile, checksum, data);
  }

  private Bytes bytes(ByteBuffer in) {
    byte[] data = new byte[length(in, pageSize.bytes())];
    in.get(data);
    return Bytes.adopt(data);
  }

  private PageOp op(ByteBuffer in) {
    byte kind = in.get();
    return switch (kind) {
      case OP_WRITE_BYTES -> {
        int offset = in.getInt();
        Bytes bytes = bytes(in);
        if (offset < 0 || (long) offset + bytes.length() > pageSize.bytes()) {
          throw new ProtocolException("write of " + bytes.length() + " bytes at offset " + offset
              + " does not fit a page of " + pageSize);
        }
        yield new PageOp.WriteBytes(offset, bytes);
      }
      case OP_REGISTERED -> new PageOp.Registered(in.getInt(), bytes(in));
      default -> throw new ProtocolException("unknown page operation kind " + kind);
    };
  }

  private static List<NodeId> nodes(ByteBuffer in) {
    int n = length(in, MAX_LIST);
    List<NodeId> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(node(in));
    }
    return nodes;
  }

  private List<CoherenceMessage.Applied> applied(ByteBuffer in) {
    int n = length(in, MAX_LIST);
    List<CoherenceMessage.Applied> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(new CoherenceMessage.Applied(in.getLong(), bytes(in)));
    }
    return values;
  }

  private static List<CoherenceMessage.PageReport> reports(ByteBuffer in) {
    int n = length(in, MAX_PAGES, 1);
    List<CoherenceMessage.PageReport> reports = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reports.add(new CoherenceMessage.PageReport(address(in), bool(in), in.getLong(), in.getLong()));
    }
    return reports;
  }

  private static List<CoherenceMessage.Assignment> assignments(ByteBuffer in) {
    int n = length(in, MAX_PAGES, 1);
    List<CoherenceMessage.Assignment> assignments = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      assignments.add(new CoherenceMessage.Assignment(address(in), node(in), in.getLong(), bool(in), nodes(in)));
    }
    return assignments;
  }

  private static int length(ByteBuffer in, int max) {
    return length(in, max, 1);
  }

  /** A count of items at least {@code minItemBytes} long each, checked against what is left of the frame. */
  private static int length(ByteBuffer in, int max, int minItemBytes) {
    int length = in.getInt();
    if (length < 0 || length > max) {
      throw new ProtocolException("length " + length + " is outside 0.." + max);
    }
    if ((long) length * minItemBytes > in.remaining()) {
      throw new ProtocolException("length " + length + " runs past the end of the frame (" + in.remaining()
          + " bytes left)");
    }
    return length;
  }

  /** Grows as fields are written, so encode never needs the size up front. */
  private final class Writer {
    ByteBuffer buffer = ByteBuffer.allocate(64);

    private void ensure(int bytes) {
      if (buffer.remaining() < bytes) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
    }

    Writer longValue(long value) {
      ensure(Long.BYTES);
      buffer.putLong(value);
      return this;
    }

    Writer node(NodeId node) {
      return longValue(node.value());
    }

    Writer address(GlobalAddress address) {
      return longValue(address.hi()).longValue(address.lo());
    }

    Writer bytes(Bytes bytes) {
      ensure(Integer.BYTES + bytes.length());
      buffer.putInt(bytes.length()).put(bytes.shared());
      return this;
    }

    Writer page(Page page) {
      address(page.address()).longValue(page.version());
      ensure(1 + Integer.BYTES * 2 + page.length());
      buffer.put((byte) (page.isVolatile() ? 1 : 0)).putInt(page.checksum()).putInt(page.length())
          .put(page.sharedBytes());
      return this;
    }

    Writer op(PageOp op) {
      ensure(1 + Integer.BYTES);
      if (op instanceof PageOp.WriteBytes w) {
        buffer.put(OP_WRITE_BYTES).putInt(w.offset());
        return bytes(w.bytes());
      }
      PageOp.Registered r = (PageOp.Registered) op;
      buffer.put(OP_REGISTERED).putInt(r.operationId());
      return bytes(r.arguments());
    }

    Writer nodes(List<NodeId> nodes) {
      ensure(Integer.BYTES);
      buffer.putInt(nodes.size());
      nodes.forEach(this::node);
      return this;
    }

    Writer count(int count) {
      ensure(Integer.BYTES);
      buffer.putInt(count);
      return this;
    }

    Writer bool(boolean value) {
      ensure(1);
      buffer.put((byte) (value ? 1 : 0));
      return this;
    }

    Writer applied(List<CoherenceMessage.Applied> values) {
      ensure(Integer.BYTES);
      buffer.putInt(values.size());
      for (CoherenceMessage.Applied applied : values) {
        longValue(applied.requestId()).bytes(applied.result());
      }
      return this;
    }
  }
}
