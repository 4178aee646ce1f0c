package io.quire.core.memory;

/**
 * Dispatches each operation by its op-code to the one handler that serves it (the patent's flow scheduler and its
 * applets). The switch only routes; each handler is a small class. Every call site below is monomorphic, so the JIT
 * inlines the handler and the operation record of a read never reaches the heap.
 */
final class FlowScheduler {
  private final AllocateHandler allocate;
  private final ReadHandler read;
  private final WriteHandler write;
  private final UpdateHandler update;
  private final LockHandler lock;
  private final UnlockHandler unlock;
  private final FreeHandler free;

  FlowScheduler(AllocateHandler allocate, ReadHandler read, WriteHandler write, UpdateHandler update,
      LockHandler lock, UnlockHandler unlock, FreeHandler free) {
    this.allocate = allocate;
    this.read = read;
    this.write = write;
    this.update = update;
    this.lock = lock;
    this.unlock = unlock;
    this.free = free;
  }

  @SuppressWarnings("unchecked")
  <R> R dispatch(Operation<R> op) {
    Object result = switch (op.code()) {
      case ALLOCATE -> allocate.handle((Operation.Allocate) op);
      case READ -> read.handle((Operation.Read) op);
      case WRITE -> write.handle((Operation.Write) op);
      case UPDATE -> update.handle((Operation.Update) op);
      case LOCK -> lock.handle((Operation.Lock) op);
      case UNLOCK -> unlock.handle((Operation.Unlock) op);
      case FREE -> free.handle((Operation.Free) op);
    };
    return (R) result;
  }
}
