package io.quire.core.message;

/** The wire ids of the coherence messages. Ids are forever: never renumber, only add. */
public enum MessageType {
  READ_REQUEST(1),
  PAGE_GRANT(2),
  WRITE_REQUEST(3),
  WRITE_DONE(4),
  OWNERSHIP_GRANT(5),
  OWNERSHIP_ACK(6),
  REDIRECT(7),
  INVALIDATE(8),
  INVALIDATE_ACK(9),
  REPLICA_UPDATE(10),
  REPLICA_ACK(11),
  OWNER_CHANGED(12),
  RECONFIGURE(13),
  RECONFIGURE_STATE(14),
  RECONFIGURE_DECISION(15),
  RECONFIGURE_ACK(16),
  RELEASE_REPLICA(17),
  REPLICA_RELEASED(18),
  RESOURCE_REPORT(19),
  REFUSED(20),
  FREE_RANGE(21),
  FREE_RANGE_ACK(22),
  LEAVE_NOTICE(23),
  LEAVE_NOTICE_ACK(24);

  private static final MessageType[] BY_WIRE_ID = new MessageType[32];

  static {
    for (MessageType type : values()) {
      BY_WIRE_ID[type.wireId] = type;
    }
  }

  private final int wireId;

  MessageType(int wireId) {
    this.wireId = wireId;
  }

  /** The byte that names this type on the wire. */
  public byte wireId() {
    return (byte) wireId;
  }

  /**
   * The type named by {@code wireId}.
   *
   * @throws ProtocolException if no type has that id
   */
  public static MessageType ofWireId(byte wireId) {
    int id = wireId & 0xFF;
    MessageType type = id < BY_WIRE_ID.length ? BY_WIRE_ID[id] : null;
    if (type == null) {
      throw new ProtocolException("unknown message type " + id);
    }
    return type;
  }
}
