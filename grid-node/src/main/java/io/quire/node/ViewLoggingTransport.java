package io.quire.node;

import io.quire.core.NodeId;
import io.quire.spi.transport.ForwardingTransport;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A transport that tells {@code onView} of every view it delivers, before the grid's receiver gets it. */
final class ViewLoggingTransport extends ForwardingTransport {
  private final Consumer<View> onView;

  ViewLoggingTransport(Transport delegate, Consumer<View> onView) {
    super(delegate);
    this.onView = onView;
  }

  @Override
  protected Receiver intercept(Receiver receiver) {
    return new Receiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        receiver.onMessage(from, frame);
      }

      @Override
      public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
        receiver.onRequest(from, frame, responder);
      }

      @Override
      public void onView(View view) {
        onView.accept(view);
        receiver.onView(view);
      }
    };
  }
}
