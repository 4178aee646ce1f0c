package io.quire.core.coherence;

import io.quire.core.message.MessageType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts the coherence messages a node sent, by type: the machine-independent cost of each operation. */
public final class MessageStats {
  private final Map<MessageType, LongAdder> sent = new EnumMap<>(MessageType.class);

  MessageStats() {
    for (MessageType type : MessageType.values()) {
      sent.put(type, new LongAdder());
    }
  }

  void countSent(MessageType type) {
    sent.get(type).increment();
  }

  /** Messages of {@code type} sent since start. */
  public long sent(MessageType type) {
    return sent.get(type).sum();
  }

  /** All messages sent since start. */
  public long totalSent() {
    return sent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A snapshot, by type, of the types sent at least once. */
  public Map<MessageType, Long> snapshot() {
    Map<MessageType, Long> copy = new EnumMap<>(MessageType.class);
    sent.forEach((type, count) -> {
      if (count.sum() > 0) {
        copy.put(type, count.sum());
      }
    });
    return copy;
  }
}
