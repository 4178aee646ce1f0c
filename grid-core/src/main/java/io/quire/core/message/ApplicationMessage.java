package io.quire.core.message;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * A message of a layer above the grid (the JCache provider's entry events, say) carried between cluster nodes beside
 * the coherence protocol: opaque bytes on a named topic. The grid neither reads nor orders them beyond the
 * transport's guarantees; the layer that registered the topic decodes the payload.
 *
 * @param topic names the handler that receives it; 1 to {@value #MAX_TOPIC_BYTES} bytes of UTF-8
 * @param payload the layer's own bytes, at most {@link ApplicationCodec#MAX_PAYLOAD} of them
 */
public record ApplicationMessage(String topic, Bytes payload) {
  /** The longest topic, in UTF-8 bytes. */
  public static final int MAX_TOPIC_BYTES = 255;

  public ApplicationMessage {
    requireNonNull(topic, "topic");
    requireNonNull(payload, "payload");
    int length = topic.getBytes(StandardCharsets.UTF_8).length;
    if (length == 0 || length > MAX_TOPIC_BYTES) {
      throw new IllegalArgumentException("topic must have 1 to " + MAX_TOPIC_BYTES + " UTF-8 bytes, not " + length);
    }
    if (payload.length() > ApplicationCodec.MAX_PAYLOAD) {
      throw new IllegalArgumentException("payload of " + payload.length() + " bytes exceeds "
          + ApplicationCodec.MAX_PAYLOAD);
    }
  }
}
