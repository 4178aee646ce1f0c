package io.quire.core.memory;

/** The op-codes of the memory API: one handler serves each. */
public enum OpCode {
  ALLOCATE, READ, WRITE, UPDATE, LOCK, UNLOCK, FREE
}
