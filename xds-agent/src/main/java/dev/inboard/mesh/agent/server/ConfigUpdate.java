package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.config.ConfigProblem;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of applying, deleting or reloading configuration: accepted with what changed, or refused whole with
 * the problems (nothing changed then).
 *
 * @param accepted whether the change was made
 * @param changes per resource, what happened (empty when refused)
 * @param notFound resources a delete named that were not there ({@code Kind namespace/name})
 * @param problems why the change was refused (empty when accepted)
 * @param notes what the loader skipped and why
 */
public record ConfigUpdate(
    boolean accepted, List<Change> changes, List<String> notFound, List<ConfigProblem> problems, List<String> notes) {

  public ConfigUpdate {
    changes = List.copyOf(changes);
    notFound = List.copyOf(notFound);
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
    if (accepted && !problems.isEmpty()) {
      throw new IllegalArgumentException("an accepted update has no problems, was " + problems);
    }
  }

  public enum Action {
    CREATED, CONFIGURED, UNCHANGED, DELETED;

    /** As {@code kubectl} prints it: {@code created}, {@code configured}, ... */
    public String verb() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One resource's fate: {@code resource} is {@code Kind namespace/name}. */
  public record Change(String resource, Action action) {
    public Change {
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(action, "action");
    }

    @Override
    public String toString() {
      return resource + " " + action.verb();
    }
  }

  static ConfigUpdate accepted(List<Change> changes, List<String> notFound, List<String> notes) {
    return new ConfigUpdate(true, changes, notFound, List.of(), notes);
  }

  static ConfigUpdate refused(List<ConfigProblem> problems, List<String> notes) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refused update needs problems");
    }
    return new ConfigUpdate(false, List.of(), List.of(), problems, notes);
  }

  /** Whether anything served changed. */
  public boolean changedAnything() {
    return changes.stream().anyMatch(c -> c.action() != Action.UNCHANGED);
  }
}
