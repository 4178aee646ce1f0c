package io.quire.spring.example;

/** What the book service caches: a record of the application's own, allow-listed in quire.xml. */
public record BookSummary(long id, String title) {
}
