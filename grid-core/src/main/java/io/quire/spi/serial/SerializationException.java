package io.quire.spi.serial;

import io.quire.core.GridException;
import java.util.Optional;

/** A value could not be serialised or deserialised; carries the name of the offending class when it is known. */
public class SerializationException extends GridException {
  private static final long serialVersionUID = 1L;

  // A name, not a Class: the class may not be loadable here (it arrived from another node, or was refused).
  private final String className;

  /** A failure that is not about one class, such as truncated input. */
  public SerializationException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** A failure caused by {@code className}; a null name means the class is not known. */
  public SerializationException(String message, String className) {
    super(message);
    this.className = className;
  }

  /** A failure caused by {@code className} (null when not known), with the underlying cause. */
  public SerializationException(String message, String className, Throwable cause) {
    super(message, cause);
    this.className = className;
  }

  /** The binary name of the class at fault, if known. */
  public Optional<String> className() {
    return Optional.ofNullable(className);
  }
}
