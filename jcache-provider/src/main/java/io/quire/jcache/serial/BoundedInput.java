package io.quire.jcache.serial;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;

/**
 * An {@link Input} over a byte range that refuses any length prefix larger than the bytes left. Kryo allocates an
 * array of the declared length before reading it, so a forged prefix of 2^31 would otherwise cost gigabytes (or an
 * {@link OutOfMemoryError}) before the read fails. Every element of these arrays and strings takes at least one
 * byte, so "no more elements than bytes remaining" loses nothing valid.
 */
final class BoundedInput extends Input {

  BoundedInput(byte[] bytes, int offset, int length) {
    super(bytes, offset, length);
  }

  int remaining() {
    return limit - position;
  }

  /** Fails unless {@code count} elements of at least one byte each can still follow. */
  void requireElements(int count, String what) {
    if (count < 0 || count > remaining()) {
      throw new KryoBufferUnderflowException(what + " claims " + count + " elements but only " + remaining()
          + " bytes remain");
    }
  }

  @Override
  public String readString() {
    checkStringLength();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    checkStringLength();
    return super.readStringBuilder();
  }

  // Kryo writes ASCII strings unprefixed (bounded by the buffer) and others as varint(charCount + 1) with a flag
  // bit: peek at that count, then rewind so Kryo reads the string itself.
  private void checkStringLength() {
    int start = position;
    if (readVarIntFlag()) {
      int chars = readVarIntFlag(true) - 1; // -1 is null, 0 is ""
      position = start;
      if (chars != -1) {
        requireElements(chars, "a string");
      }
    }
    position = start;
  }

  @Override
  public byte[] readBytes(int length) {
    requireElements(length, "a byte run");
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    requireElements(length, "an int array");
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    requireElements(length, "an int array");
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    requireElements(length, "a long array");
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    requireElements(length, "a long array");
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    requireElements(length, "a float array");
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    requireElements(length, "a double array");
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    requireElements(length, "a short array");
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    requireElements(length, "a char array");
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    requireElements(length, "a boolean array");
    return super.readBooleans(length);
  }
}
