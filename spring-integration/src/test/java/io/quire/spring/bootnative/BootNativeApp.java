package io.quire.spring.bootnative;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/** A Boot application with a cached service and two cached entities ({@link Author}, {@link Book}). */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
public class BootNativeApp {

  @Bean
  GreetingService greetingService() {
    return new GreetingService();
  }

  /** Counts its invocations, so that a test can tell a cache hit from a call. */
  public static class GreetingService {
    private final AtomicInteger calls = new AtomicInteger();

    public int calls() {
      return calls.get();
    }

    public void resetCalls() {
      calls.set(0);
    }

    @Cacheable("greetings")
    public String greet(String name) {
      calls.incrementAndGet();
      return "Hello, " + name;
    }

    @CachePut(cacheNames = "greetings", key = "#name")
    public String update(String name, String greeting) {
      calls.incrementAndGet();
      return greeting;
    }

    @CacheEvict("greetings")
    public void forget(String name) {
    }

    /** Two arguments: Spring's key is a SimpleKey, which the descriptor's template allow-lists. */
    @Cacheable("squares")
    public long power(int base, int exponent) {
      calls.incrementAndGet();
      return (long) Math.pow(base, exponent);
    }
  }
}
