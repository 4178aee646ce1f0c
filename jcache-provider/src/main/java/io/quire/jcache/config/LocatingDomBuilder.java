package io.quire.jcache.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXParseException;
import org.xml.sax.ext.Attributes2;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Builds a DOM from SAX events, storing each element's {@link Location} as DOM user data, and collects XSD errors.
 *
 * <p>Implementation notes. DOM parsing forgets positions, yet semantic errors found after validation (a page size
 * that is not a power of two) must still say file:line:column; so the document is read with SAX, whose
 * {@link Locator} knows where each start tag ends, and the DOM is built by hand. The XSD validator runs inside the
 * SAX parser and reports an attribute or content error just before the offending element's {@code startElement}, at
 * the same position; pending errors are therefore given the element that next starts at their position, so that
 * schema errors name the element too. Validation errors do not stop the parse (the first is reported, with a count
 * of the rest); well-formedness errors, including a refused DOCTYPE, do.
 */
final class LocatingDomBuilder extends DefaultHandler {
  private static final String LOCATION_KEY = "io.quire.location";

  private final String systemId;
  private final Document document = SecureXml.newDocument();
  private final Deque<Node> open = new ArrayDeque<>();
  private final List<SchemaError> errors = new ArrayList<>();
  private Locator locator;

  LocatingDomBuilder(String systemId) {
    this.systemId = systemId;
    open.push(document);
  }

  /** The element's location, recorded when it was parsed. */
  static Location locationOf(Element element) {
    return (Location) element.getUserData(LOCATION_KEY);
  }

  /** The document, after a parse without schema errors. */
  Document document() {
    if (!errors.isEmpty()) {
      throw schemaFailure();
    }
    return document;
  }

  @Override
  public void setDocumentLocator(Locator locator) {
    this.locator = locator;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes attributes) {
    Element element = document.createElementNS(uri, qName);
    for (int i = 0; i < attributes.getLength(); i++) {
      element.setAttributeNS(emptyToNull(attributes.getURI(i)), attributes.getQName(i), attributes.getValue(i));
    }
    Location location = new Location(systemId, line(), column(), render(localName, attributes));
    element.setUserData(LOCATION_KEY, location, null);
    for (SchemaError e : errors) {
      if (e.element.isEmpty() && e.line == location.line() && e.column == location.column()) {
        e.element = location.element();
      }
    }
    open.peek().appendChild(element);
    open.push(element);
  }

  @Override
  public void endElement(String uri, String localName, String qName) {
    open.pop();
  }

  @Override
  public void characters(char[] ch, int start, int length) {
    open.peek().appendChild(document.createTextNode(new String(ch, start, length)));
  }

  @Override
  public void error(SAXParseException e) {
    errors.add(new SchemaError(e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
  }

  @Override
  public void fatalError(SAXParseException e) {
    throw new DescriptorException(new Location(systemId, e.getLineNumber(), e.getColumnNumber(), ""), "",
        e.getMessage());
  }

  private DescriptorException schemaFailure() {
    SchemaError first = errors.get(0);
    // The validator often reports one mistake twice at one place (facet, then attribute); say it once, in full.
    List<String> here = new ArrayList<>();
    int elsewhere = 0;
    for (SchemaError e : errors) {
      if (e.line == first.line && e.column == first.column) {
        here.add(e.message);
      } else {
        elsewhere++;
      }
    }
    String more = elsewhere == 0 ? "" : " (and " + elsewhere + " more schema error(s) after it)";
    return new DescriptorException(new Location(systemId, first.line, first.column, first.element), first.element,
        "schema violation: " + String.join("; ", here) + more);
  }

  private int line() {
    return locator == null ? 0 : locator.getLineNumber();
  }

  private int column() {
    return locator == null ? 0 : locator.getColumnNumber();
  }

  /** {@code <cache name="orders">} when the element has a name, else the element with its written attributes. */
  private static String render(String localName, Attributes attributes) {
    StringBuilder b = new StringBuilder("<").append(localName);
    int nameIndex = attributes.getIndex("", "name");
    for (int i = 0; i < attributes.getLength(); i++) {
      boolean written = !(attributes instanceof Attributes2 a2) || a2.isSpecified(i);
      if (written && (nameIndex < 0 || i == nameIndex)) {
        b.append(' ').append(attributes.getQName(i)).append("=\"").append(attributes.getValue(i)).append('"');
      }
    }
    return b.append('>').toString();
  }

  private static String emptyToNull(String uri) {
    return uri == null || uri.isEmpty() ? null : uri;
  }

  /** One XSD error; the element is filled in when it starts at the error's position. */
  private static final class SchemaError {
    final int line;
    final int column;
    final String message;
    String element = "";

    SchemaError(int line, int column, String message) {
      this.line = line;
      this.column = column;
      this.message = message;
    }
  }
}
