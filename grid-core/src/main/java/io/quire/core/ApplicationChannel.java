package io.quire.core;

import static java.util.Objects.requireNonNull;

import io.quire.core.message.ApplicationCodec;
import io.quire.core.message.ApplicationMessage;
import io.quire.core.message.Bytes;
import io.quire.core.message.ProtocolException;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Messages of the layers above the grid between the nodes of a cluster, on the transport the coherence engine uses:
 * {@link ApplicationMessage}s on named topics, one-way or as requests with a reply, and the membership views. The
 * coherence engine never sees them: {@link #wrap} puts a demultiplexer in front of the engine's receiver that takes
 * every frame starting with {@link ApplicationCodec#FORMAT_V1} and hands the rest on untouched.
 *
 * <p>A frame that does not decode is logged with the reason and dropped; a message on a topic nobody registered is
 * dropped (a node may hear of a cache before it opens it); a handler that throws is logged, and a request it was
 * answering fails at the requester. Nothing a peer sends can stop the delivery thread.
 *
 * <p>Concurrency: {@code handlers} and {@code viewListeners} may change on any thread (concurrent collections); every
 * handler and view listener runs on the single {@code deliveries} thread, in the order the transport delivered frames
 * and views, never on the transport's own thread (its callbacks must not block).
 */
public final class ApplicationChannel implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ApplicationChannel.class.getName());
  private static final byte REPLY_OK = 0;
  private static final byte REPLY_FAILED = 1;

  private final NodeId self;
  private final Transport transport;
  private final Map<String, ApplicationHandler> handlers = new ConcurrentHashMap<>();
  private final List<Consumer<View>> viewListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService deliveries;

  private ApplicationChannel(Transport transport) {
    this.transport = transport;
    this.self = transport.localNode();
    this.deliveries = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "quire-app-" + self);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A channel over {@code transport}, and the transport to give the coherence engine instead of it: the same
   * transport, except that the receiver it is started with never sees application frames.
   */
  static Wrapped wrap(Transport transport) {
    ApplicationChannel channel = new ApplicationChannel(requireNonNull(transport, "transport"));
    return new Wrapped(channel, new Demultiplexer(transport, channel));
  }

  /** The channel and the transport to start the engine on. */
  record Wrapped(ApplicationChannel channel, Transport engineTransport) {}

  /** This node. */
  public NodeId self() {
    return self;
  }

  /** The latest view the transport installed. */
  public View view() {
    return transport.currentView();
  }

  /**
   * Delivers the messages of {@code topic} to {@code handler} from now on.
   *
   * @return stops the delivery (idempotent)
   * @throws IllegalStateException if the topic already has a handler
   */
  public Runnable register(String topic, ApplicationHandler handler) {
    requireNonNull(topic, "topic");
    requireNonNull(handler, "handler");
    if (handlers.putIfAbsent(topic, handler) != null) {
      throw new IllegalStateException("topic '" + topic + "' already has a handler on " + self);
    }
    return () -> handlers.remove(topic, handler);
  }

  /**
   * Tells {@code listener} of every later view, on the delivery thread.
   *
   * @return stops telling it
   */
  public Runnable onView(Consumer<View> listener) {
    requireNonNull(listener, "listener");
    viewListeners.add(listener);
    return () -> viewListeners.remove(listener);
  }

  /** Sends a one-way message; dropped without an error if {@code to} is not in the view or the network loses it. */
  public void send(NodeId to, String topic, byte[] payload) {
    transport.send(requireNonNull(to, "to"), frame(topic, payload));
  }

  /**
   * Sends a request and completes with the handler's reply; fails with the transport's exceptions (timeout, node
   * unreachable, closed), or with a {@link GridException} naming the reason when the other node has no handler for
   * the topic or its handler threw.
   */
  public CompletableFuture<byte[]> request(NodeId to, String topic, byte[] payload, Duration timeout) {
    return transport.request(requireNonNull(to, "to"), frame(topic, payload), requireNonNull(timeout, "timeout"))
        .thenApply(reply -> reply(to, topic, reply));
  }

  private static ByteBuffer frame(String topic, byte[] payload) {
    return ApplicationCodec.encode(new ApplicationMessage(topic, Bytes.copyOf(requireNonNull(payload, "payload"))));
  }

  private static byte[] reply(NodeId from, String topic, ByteBuffer reply) {
    if (!reply.hasRemaining()) {
      throw new ProtocolException("empty reply from " + from + " on topic '" + topic + "'");
    }
    byte status = reply.get();
    byte[] rest = new byte[reply.remaining()];
    reply.get(rest);
    return switch (status) {
      case REPLY_OK -> rest;
      case REPLY_FAILED -> throw new GridException(from + " failed a request on topic '" + topic + "': "
          + new String(rest, StandardCharsets.UTF_8));
      default -> throw new ProtocolException("reply from " + from + " on topic '" + topic + "' has status "
          + status);
    };
  }

  @Override
  public void close() {
    deliveries.shutdownNow();
  }

  /* ---- delivery: called on the transport's thread, so decode, enqueue and return ---- */

  private void onFrame(NodeId from, ByteBuffer frame, Responder responder) {
    ApplicationMessage message;
    try {
      message = ApplicationCodec.decode(frame);
    } catch (ProtocolException e) {
      LOG.log(Level.WARNING, self + ": dropped a bad application frame of " + frame.remaining() + " bytes from "
          + from + ": " + e.getMessage());
      if (responder != null) {
        answer(responder, REPLY_FAILED, ("bad frame: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    try {
      deliveries.execute(() -> deliver(from, message, responder));
    } catch (RejectedExecutionException e) {
      // Closing: the node has stopped listening, as if the frame had arrived a moment later.
    }
  }

  private void deliver(NodeId from, ApplicationMessage message, Responder responder) {
    ApplicationHandler handler = handlers.get(message.topic());
    if (handler == null) {
      LOG.fine(() -> self + ": no handler for topic '" + message.topic() + "' from " + from);
      if (responder != null) {
        answer(responder, REPLY_FAILED, ("no handler for topic '" + message.topic() + "' on " + self)
            .getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    byte[] result;
    try {
      result = handler.onMessage(from, message.payload().toByteArray());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": the handler of topic '" + message.topic() + "' failed on a message from "
          + from, e);
      if (responder != null) {
        answer(responder, REPLY_FAILED, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    if (responder != null) {
      answer(responder, REPLY_OK, result == null ? new byte[0] : result);
    }
  }

  private static void answer(Responder responder, byte status, byte[] bytes) {
    responder.reply(ByteBuffer.allocate(1 + bytes.length).put(status).put(bytes).flip());
  }

  private void onNewView(View view) {
    try {
      deliveries.execute(() -> {
        for (Consumer<View> listener : viewListeners) {
          try {
            listener.accept(view);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, self + ": a view listener failed on view " + view.viewId(), e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  /** The engine's transport: everything passes through, except that application frames are taken out. */
  private static final class Demultiplexer extends io.quire.spi.transport.ForwardingTransport {
    private final ApplicationChannel channel;

    Demultiplexer(Transport transport, ApplicationChannel channel) {
      super(transport);
      this.channel = channel;
    }

    @Override
    protected Receiver intercept(Receiver receiver) {
      return new Receiver() {
        @Override
        public void onMessage(NodeId from, ByteBuffer frame) {
          if (ApplicationCodec.isApplicationFrame(frame)) {
            channel.onFrame(from, frame, null);
          } else {
            receiver.onMessage(from, frame);
          }
        }

        @Override
        public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
          if (ApplicationCodec.isApplicationFrame(frame)) {
            channel.onFrame(from, frame, responder);
          } else {
            receiver.onRequest(from, frame, responder);
          }
        }

        @Override
        public void onView(View view) {
          receiver.onView(view);
          channel.onNewView(view);
        }
      };
    }
  }
}
