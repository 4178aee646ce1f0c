package io.quire.spring.bootnative;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application of {@link BootNativeApp} configured only through Boot's and Hibernate's own properties: Quire's
 * auto-configuration is excluded, so everything here works for an application that just has jcache-provider on its
 * class path. Every test class with this annotation shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = BootNativeApp.class, properties = {
    "spring.autoconfigure.exclude=io.quire.spring.QuireAutoConfiguration",
    // Spring's cache abstraction on JCache, on Quire's descriptor: the README's two lines (Quire is the only JSR-107
    // provider here, so neither Boot nor Hibernate needs it named).
    "spring.cache.type=jcache",
    "spring.cache.jcache.config=classpath:quire.xml",
    // Hibernate's second-level cache on the same descriptor. Hibernate's resource syntax is classpath://quire.xml
    // (or plain quire.xml); like Boot, it hands the provider the resource's URL (file:...), so both get one manager.
    // Regions are named hibernate.<entity or role>, which the descriptor's hibernate template matches; with
    // missing_cache_strategy=fail a region without a template would stop the start.
    "spring.jpa.properties.hibernate.cache.use_second_level_cache=true",
    "spring.jpa.properties.hibernate.cache.use_query_cache=true",
    "spring.jpa.properties.hibernate.cache.region.factory_class=jcache",
    "spring.jpa.properties.hibernate.cache.region_prefix=hibernate",
    "spring.jpa.properties.hibernate.javax.cache.uri=classpath://quire.xml",
    "spring.jpa.properties.hibernate.javax.cache.missing_cache_strategy=fail",
    "spring.jpa.properties.hibernate.generate_statistics=true",
    "spring.jpa.open-in-view=false"})
public @interface BootNativeTest {
}
