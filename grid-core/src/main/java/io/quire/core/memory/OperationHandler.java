package io.quire.core.memory;

/**
 * Serves one op-code (the patent's applet).
 *
 * @param <O> the operation it serves
 * @param <R> what the operation returns
 */
@FunctionalInterface
interface OperationHandler<O extends Operation<R>, R> {
  R handle(O operation);
}
