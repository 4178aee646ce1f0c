package io.quire.jcache.serial.evil;

/** Stands for a class that must never be instantiated from bytes. */
public final class Gadget {
  public String command = "rm -rf /";
}
