package io.quire.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small application on the Quire starter, to copy: Spring's and JSR-107's cache annotations ({@link BookService},
 * {@link PriceService}) and Hibernate's second-level cache ({@link Book}) on Quire caches, configured by
 * {@code application.properties} and {@code quire.xml} beside it in the test resources.
 */
@SpringBootApplication
@EnableCaching
public class ExampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
