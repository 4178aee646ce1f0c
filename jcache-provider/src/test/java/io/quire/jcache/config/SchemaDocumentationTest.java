package io.quire.jcache.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The XSD is the user's reference, so every element and attribute in it must be documented. */
class SchemaDocumentationTest {

  @Test
  void schema_everyElementAndAttribute_hasDocumentation() throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    List<String> undocumented = new ArrayList<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SecureXml.SCHEMA_RESOURCE)) {
      var doc = f.newDocumentBuilder().parse(in);
      for (String kind : List.of("element", "attribute")) {
        NodeList nodes = doc.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, kind);
        for (int i = 0; i < nodes.getLength(); i++) {
          Element e = (Element) nodes.item(i);
          if (e.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "documentation").getLength() == 0) {
            undocumented.add(kind + " " + e.getAttribute("name"));
          }
        }
      }
    }
    assertThat(undocumented).isEmpty();
  }
}
