package io.quire.jcache.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest
  @CsvSource({
      "org.hibernate.*, org.hibernate.Entity, true",
      "org.hibernate.*, org.hibernate., true",
      "org.hibernate.*, org.hibernateX, false",
      "org.hibernate.*, com.org.hibernate.A, false",
      "*, '', true",
      "a?c, abc, true",
      "a?c, ac, false",
      "*.Order$*, com.x.Order$Line, true",
      "a*b*c, aXbYbZc, true",
      "a*b*c, aXbYbZ, false",
      "exact, exact, true",
      "exact, exactly, false",
  })
  void matches_globOverNames(String glob, String text, boolean expected) {
    assertThat(Glob.matches(glob, text)).isEqualTo(expected);
  }
}
