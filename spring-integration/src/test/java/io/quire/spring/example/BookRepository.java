package io.quire.spring.example;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of books; its findById goes through the second-level cache. */
public interface BookRepository extends JpaRepository<Book, Long> {
}
