/**
 * XML cache descriptors ({@code urn:io.quire:cache:1.0}, {@code META-INF/quire-cache-1.0.xsd}): the hardened,
 * XSD-validated {@link io.quire.jcache.config.DescriptorParser} and the immutable records it produces. See
 * {@code docs/design/descriptor.md}.
 */
package io.quire.jcache.config;
