package io.quire.spring.bootnative;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An entity cached in region hibernate.io.quire.spring.bootnative.Book. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {
  @Id @GeneratedValue Long id;
  String title;
  int published;
  @ManyToOne(fetch = FetchType.LAZY) Author author;

  protected Book() {
  }

  public Book(String title, int published, Author author) {
    this.title = title;
    this.published = published;
    this.author = author;
  }

  public Long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }
}
