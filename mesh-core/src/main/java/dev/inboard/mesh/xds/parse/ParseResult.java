package dev.inboard.mesh.xds.parse;

import java.util.Objects;

/** The outcome of parsing one xDS resource. */
public sealed interface ParseResult<T> {

  /** A resource that passed validation. */
  record Valid<T>(String name, T resource) implements ParseResult<T> {
    public Valid {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(resource, "resource");
    }
  }

  /** A resource with a known name that failed validation; {@code error} reads {@code Kind 'name': path: reason}. */
  record Invalid<T>(String name, String error) implements ParseResult<T> {
    public Invalid {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(error, "error");
    }
  }

  /** A resource that could not even be decoded, so its name is unknown. */
  record Unreadable<T>(String error) implements ParseResult<T> {
    public Unreadable {
      Objects.requireNonNull(error, "error");
    }
  }
}
