package io.quire.transport.jgroups;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;

/**
 * A test-only protocol put directly above the transport: it records every outgoing message as JGroups serializes it
 * (headers and payload, what TCP then writes), and passes it on unchanged.
 */
final class WireTap extends Protocol {
  private final List<byte[]> sent = new ArrayList<>();

  @Override
  public Object down(Message message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      message.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      sent.add(bytes.toByteArray());
    }
    return down_prot.down(message);
  }

  synchronized List<byte[]> sent() {
    return List.copyOf(sent);
  }

  /** Whether any recorded message contains {@code marker}'s bytes. */
  boolean sawBytes(byte[] marker) {
    return sent().stream().anyMatch(buffer -> indexOf(buffer, marker) >= 0);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
