package io.quire.jcache.config;

import static io.quire.jcache.config.DescriptorParserTest.parseString;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every descriptor error says file:line:column and the element. Lines below are counted from the text blocks. */
class DescriptorErrorsTest {
  private static final String OPEN = "<quire xmlns=\"urn:io.quire:cache:1.0\">\n";

  private static void fails(String body, String expectedMessage) {
    assertThatThrownBy(() -> parseString(OPEN + body + "</quire>\n", "classpath:quire.xml"))
        .isInstanceOf(DescriptorException.class)
        .hasMessage(expectedMessage);
  }

  @Test
  void parse_badDuration_namesFileLineColumnAndAttribute() {
    fails("""
          <cache name="a">
            <expiry policy="created" duration="10 minutes"/>
          </cache>
        """, "classpath:quire.xml:3:53: <expiry duration=\"10 minutes\">: not an ISO-8601 duration (example: PT10M)");
  }

  @Test
  void parse_unknownExpiryPolicy_isSchemaErrorAtTheElement() {
    fails("""
          <cache name="a">
            <expiry policy="forever" duration="PT1M"/>
          </cache>
        """, "classpath:quire.xml:3:47: <expiry policy=\"forever\" duration=\"PT1M\">: schema violation: cvc-enumeration-valid: Value 'forever' is not facet-valid with respect to enumeration '[eternal, created, accessed, modified, touched]'. It must be a value from the enumeration.; cvc-attribute.3: The value 'forever' of attribute 'policy' on element 'expiry' is not valid with respect to its type, 'expiryPolicyType'.");
  }

  @Test
  void parse_policyWithoutDuration_fails() {
    fails("""
          <cache name="a">
            <expiry policy="touched"/>
          </cache>
        """, "classpath:quire.xml:3:31: <expiry policy=\"touched\">: policy touched needs a duration (example: PT10M)");
  }

  @Test
  void parse_duplicateCacheName_pointsAtBothDeclarations() {
    fails("""
          <cache name="a"/>
          <cache name="b"/>
          <cache name="a"/>
        """, "classpath:quire.xml:4:20: <cache name=\"a\">: duplicate cache name 'a' (first declared at classpath:quire.xml:2:20)");
  }

  @Test
  void parse_replicationOutOfRange_fails() {
    fails("""
          <node replication="17"/>
        """, "classpath:quire.xml:2:27: <node replication=\"17\">: replication k=17 is out of range 1..16");
  }

  @Test
  void parse_pageSizeNotPowerOfTwo_fails() {
    fails("""
          <node page-size="1000"/>
        """, "classpath:quire.xml:2:27: <node page-size=\"1000\">: page size 1000 is not valid: it must be a power of two between 512 and 1048576 bytes (for example 4096)");
  }

  @Test
  void parse_readThroughWithoutLoader_fails() {
    fails("""
          <cache name="a" read-through="true"/>
        """, "classpath:quire.xml:2:40: <cache name=\"a\">: read-through=\"true\" needs a loader-factory");
  }

  @Test
  void parse_unknownElement_isSchemaErrorWithLine() {
    fails("""
          <cache name="a">
            <eviction max="10"/>
          </cache>
        """, "classpath:quire.xml:3:25: <eviction max=\"10\">: schema violation: cvc-complex-type.2.4.a: Invalid content was found starting with element '{\"urn:io.quire:cache:1.0\":eviction}'. One of '{\"urn:io.quire:cache:1.0\":expiry, \"urn:io.quire:cache:1.0\":listener, \"urn:io.quire:cache:1.0\":serializer}' is expected.");
  }

  @Test
  void parse_badAttributeValue_isSchemaErrorWithLine() {
    fails("""
          <node transport="carrier-pigeon"/>
        """, "classpath:quire.xml:2:37: <node transport=\"carrier-pigeon\">: schema violation: cvc-enumeration-valid: Value 'carrier-pigeon' is not facet-valid with respect to enumeration '[local, jgroups]'. It must be a value from the enumeration.; cvc-attribute.3: The value 'carrier-pigeon' of attribute 'transport' on element 'node' is not valid with respect to its type, 'transportType'.");
  }

  @Test
  void parse_unknownAttribute_isSchemaErrorWithLine() {
    fails("""
          <cache name="a" colour="blue"/>
        """, "classpath:quire.xml:2:34: <cache name=\"a\">: schema violation: cvc-complex-type.3.2.2: Attribute 'colour' is not allowed to appear in element 'cache'.");
  }

  @Test
  void parse_internalSubsetWithExternalEntity_isRefused() {
    assertThatThrownBy(() -> parseString("""
        <?xml version="1.0"?>
        <!DOCTYPE quire [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <quire xmlns="urn:io.quire:cache:1.0"><cache name="&x;"/></quire>
        """, "evil.xml")).isInstanceOf(DescriptorException.class).hasMessage("evil.xml:2:10: DOCTYPE is disallowed when the feature \"http://apache.org/xml/features/disallow-doctype-decl\" set to true.");
  }

  @Test
  void parse_externalDoctype_isRefused() {
    assertThatThrownBy(() -> parseString("""
        <?xml version="1.0"?>
        <!DOCTYPE quire SYSTEM "file:///etc/passwd">
        <quire xmlns="urn:io.quire:cache:1.0"/>
        """, "evil.xml")).isInstanceOf(DescriptorException.class).hasMessage("evil.xml:2:10: DOCTYPE is disallowed when the feature \"http://apache.org/xml/features/disallow-doctype-decl\" set to true.");
  }

  @Test
  void parse_notWellFormed_reportsPosition() {
    fails("<cache name='a'>\n",
        "classpath:quire.xml:3:3: The element type \"cache\" must be terminated by the matching end-tag \"</cache>\".");
  }

  @Test
  void parse_missingClasspathResource_fails() {
    assertThatThrownBy(() -> new DescriptorParser().parse(URI.create("classpath:nope.xml"), loader()))
        .isInstanceOf(DescriptorException.class).hasMessageStartingWith("classpath:nope.xml: no such resource");
  }

  @Test
  void parse_missingFile_fails(@TempDir Path dir) {
    assertThatThrownBy(() -> new DescriptorParser().parse(dir.resolve("nope.xml").toUri(), loader()))
        .isInstanceOf(DescriptorException.class)
        .hasMessage(dir.resolve("nope.xml").toUri() + ": no such file " + dir.resolve("nope.xml"));
  }

  @Test
  void resolve_missingClass_namesTheDeclaringElement() {
    CacheDescriptor c =
        parseString(OPEN + "  <cache name=\"a\" key-type=\"com.example.Missing\"/>\n</quire>", "q.xml").caches().get("a");
    assertThatThrownBy(() -> DescriptorClasses.resolve(c.keyType(), loader(), c))
        .isInstanceOf(DescriptorException.class)
        .hasMessageStartingWith("q.xml:2:51: <cache name=\"a\">: class com.example.Missing cannot be loaded by ");
  }

  @Test
  void resolve_presentClass_loadsIt() {
    CacheDescriptor c = CacheDescriptor.defaults("a");
    org.assertj.core.api.Assertions.assertThat(DescriptorClasses.resolve("java.lang.String", loader(), c))
        .isEqualTo(String.class);
  }

  private ClassLoader loader() {
    return getClass().getClassLoader();
  }
}
