package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a descriptor element is: the document's system id, the line and column at which SAX reports the element
 * (the end of its start tag, the same place the XSD validator reports), and the element as a person would look for it,
 * such as {@code <cache name="orders">}.
 *
 * @param systemId the document, e.g. {@code classpath:quire.xml} or a {@code file:} URI
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param element the element, rendered as a start tag
 */
public record Location(String systemId, int line, int column, String element) {

  /** The location of records built in code rather than parsed. */
  public static final Location PROGRAMMATIC = new Location("(programmatic)", 0, 0, "(no element)");

  public Location {
    requireNonNull(systemId, "systemId");
    requireNonNull(element, "element");
  }

  /** {@code systemId:line:column}, or just the system id when the position is unknown. */
  @Override
  public String toString() {
    return line > 0 ? systemId + ":" + line + ":" + column : systemId;
  }
}
