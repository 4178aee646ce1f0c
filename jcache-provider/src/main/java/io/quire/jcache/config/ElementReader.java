package io.quire.jcache.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Typed, located access to one validated element. The XSD has already checked lexical forms (booleans, ints,
 * enumerations), so these methods only convert; {@link #fail} builds the located error for what XSD cannot check.
 */
final class ElementReader {
  private final Element element;
  private final Location location;

  ElementReader(Element element) {
    this.element = element;
    this.location = LocatingDomBuilder.locationOf(element);
  }

  Location location() {
    return location;
  }

  Optional<String> optional(String attribute) {
    return element.hasAttribute(attribute) ? Optional.of(element.getAttribute(attribute).trim()) : Optional.empty();
  }

  String string(String attribute, String defaultValue) {
    return optional(attribute).orElse(defaultValue);
  }

  boolean bool(String attribute, boolean defaultValue) {
    return optional(attribute).map(v -> v.equals("true") || v.equals("1")).orElse(defaultValue);
  }

  int integer(String attribute, int defaultValue) {
    return optional(attribute).map(Integer::parseInt).orElse(defaultValue);
  }

  /** The trimmed text content. */
  String text() {
    return element.getTextContent().trim();
  }

  /** Child elements with this local name, in document order. */
  List<ElementReader> children(String localName) {
    List<ElementReader> result = new ArrayList<>();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        result.add(new ElementReader(e));
      }
    }
    return result;
  }

  Optional<ElementReader> child(String localName) {
    return children(localName).stream().findFirst();
  }

  /** An error naming this element and just the offending attribute: {@code <expiry duration="10 minutes">}. */
  DescriptorException fail(String attribute, String problem) {
    String tag = "<" + element.getLocalName() + " " + attribute + "=\"" + element.getAttribute(attribute) + "\">";
    return new DescriptorException(location, tag, problem);
  }

  /** An error naming this element. */
  DescriptorException fail(String problem) {
    return new DescriptorException(location, problem);
  }
}
