package io.quire.transport.jgroups;

import io.quire.core.NodeId;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;

/** Passes everything to the current {@link RecordingReceiver}, so tests sharing a cluster each start afresh. */
final class SwitchingReceiver implements Receiver {
  private volatile RecordingReceiver current = new RecordingReceiver();

  /** A new, empty recording receiver that gets everything from now on. */
  RecordingReceiver fresh() {
    current = new RecordingReceiver();
    return current;
  }

  /** {@code receiver} gets everything from now on. */
  void use(RecordingReceiver receiver) {
    current = receiver;
  }

  RecordingReceiver current() {
    return current;
  }

  @Override
  public void onMessage(NodeId from, ByteBuffer frame) {
    current.onMessage(from, frame);
  }

  @Override
  public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
    current.onRequest(from, frame, responder);
  }

  @Override
  public void onView(View view) {
    current.onView(view);
  }
}
