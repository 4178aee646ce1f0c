package io.quire.jcache.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * The hardened JAXP objects the parser uses. Descriptors come from application jars and config directories, which are
 * not always trusted, so: secure processing on, DOCTYPE refused outright (no XXE, no entity expansion bombs), no
 * XInclude, and no external DTDs or schemas fetched: the only schema is ours, loaded from the jar.
 */
final class SecureXml {
  static final String SCHEMA_RESOURCE = "META-INF/quire-cache-1.0.xsd";

  private static final Schema SCHEMA = loadSchema();

  private SecureXml() {}

  /** A new validating SAX parser; parsers are not thread-safe, so each parse gets one. */
  static SAXParser newSaxParser() {
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(true);
      f.setValidating(false); // DTD validation; XSD validation comes from setSchema
      f.setXIncludeAware(false);
      f.setSchema(SCHEMA);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      SAXParser parser = f.newSAXParser();
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return parser;
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
    }
  }

  /** An empty DOM document for the SAX pass to fill; nothing is parsed through DOM itself. */
  static Document newDocument() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      return f.newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK cannot create a DOM document", e);
    }
  }

  private static Schema loadSchema() {
    try (InputStream in = SecureXml.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the jcache-provider jar");
      }
      SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return f.newSchema(new StreamSource(in, "classpath:" + SCHEMA_RESOURCE));
    } catch (SAXException e) {
      throw new IllegalStateException(SCHEMA_RESOURCE + " is not a valid schema", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
