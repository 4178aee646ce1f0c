package io.quire.transport.jgroups;

import io.quire.core.NodeId;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A receiver that records what it gets and answers requests with {@code handler} (default: "echo:" + request). Tests
 * wait for what they expect through the futures it returns, never by sleeping.
 *
 * <p>Concurrency: every method is synchronized; transport threads write, the test thread reads.
 */
class RecordingReceiver implements Receiver {
  record Received(NodeId from, String text, String thread) {}

  record PendingRequest(NodeId from, String text, Responder responder) {}

  /** A probe request that is always answered and never recorded, whatever the handler says. */
  static final String SETTLE = "settle";

  private final List<Received> messages = new ArrayList<>();
  private final List<PendingRequest> requests = new ArrayList<>();
  private final List<View> views = new ArrayList<>();
  private final List<Runnable> waiters = new ArrayList<>();
  private BiFunction<NodeId, String, String> handler = (from, text) -> "echo:" + text;

  static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  static String text(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
  }

  /** Answers requests with {@code handler}'s result, or keeps them unanswered when it returns null. */
  synchronized RecordingReceiver answering(BiFunction<NodeId, String, String> newHandler) {
    handler = newHandler;
    return this;
  }

  @Override
  public synchronized void onMessage(NodeId from, ByteBuffer frame) {
    messages.add(new Received(from, text(frame), Thread.currentThread().getName()));
    signal();
  }

  @Override
  public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
    String text = text(frame);
    if (text.equals(SETTLE)) {
      responder.reply(bytes(SETTLE));
      return;
    }
    String answer;
    synchronized (this) {
      requests.add(new PendingRequest(from, text, responder));
      answer = handler.apply(from, text);
      signal();
    }
    if (answer != null) {
      responder.reply(bytes(answer));
    }
  }

  @Override
  public synchronized void onView(View view) {
    views.add(view);
    signal();
  }

  synchronized List<Received> messages() {
    return List.copyOf(messages);
  }

  synchronized List<String> texts() {
    return messages.stream().map(Received::text).toList();
  }

  synchronized List<PendingRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized List<View> views() {
    return List.copyOf(views);
  }

  /** Completes once at least {@code n} messages arrived. */
  CompletableFuture<List<Received>> messages(int n) {
    return when(() -> messages.size() >= n, () -> List.copyOf(messages));
  }

  /** Completes once at least {@code n} requests arrived. */
  CompletableFuture<List<PendingRequest>> requests(int n) {
    return when(() -> requests.size() >= n, () -> List.copyOf(requests));
  }

  /** Completes with the first view received that has exactly {@code members}. */
  CompletableFuture<View> view(List<NodeId> members) {
    return when(() -> views.stream().anyMatch(v -> v.members().equals(members)),
        () -> views.stream().filter(v -> v.members().equals(members)).findFirst().orElseThrow());
  }

  /** Completes with the first view received that has exactly {@code members} and an id larger than {@code viewId}. */
  CompletableFuture<View> view(List<NodeId> members, long viewId) {
    return when(() -> views.stream().anyMatch(v -> v.viewId() > viewId && v.members().equals(members)),
        () -> views.stream().filter(v -> v.viewId() > viewId && v.members().equals(members)).findFirst()
            .orElseThrow());
  }

  /** Completes with the first view received whose id is larger than {@code viewId}. */
  CompletableFuture<View> viewAfter(long viewId) {
    return when(() -> views.stream().anyMatch(v -> v.viewId() > viewId),
        () -> views.stream().filter(v -> v.viewId() > viewId).findFirst().orElseThrow());
  }

  private synchronized <T> CompletableFuture<T> when(java.util.function.BooleanSupplier done,
      java.util.function.Supplier<T> value) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Runnable check = () -> {
      if (!future.isDone() && done.getAsBoolean()) {
        future.complete(value.get());
      }
    };
    waiters.add(check);
    check.run();
    return future;
  }

  // Under this object's lock.
  private void signal() {
    waiters.forEach(Runnable::run);
  }
}
