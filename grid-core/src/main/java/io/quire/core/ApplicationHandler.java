package io.quire.core;

/**
 * Receives the {@linkplain ApplicationChannel application messages} of one topic. Runs on the node's application
 * delivery thread, one message at a time, in the order the transport delivered them: a slow handler delays every
 * topic's later messages, so hand slow work to an executor of your own.
 */
@FunctionalInterface
public interface ApplicationHandler {

  /**
   * Handles one message.
   *
   * @param payload the sender's bytes, owned by the handler
   * @return the reply when the message was a {@linkplain ApplicationChannel#request request} (null means no bytes);
   *     ignored for one-way messages
   */
  byte[] onMessage(NodeId from, byte[] payload);
}
