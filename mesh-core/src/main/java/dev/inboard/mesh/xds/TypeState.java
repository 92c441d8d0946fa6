package dev.inboard.mesh.xds;

import dev.inboard.mesh.clock.MeshClock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the client knows about one resource type across streams: what it subscribes to, the last good
 * version of each resource, and the last ACK/NACK. Touched only on the client's serializing executor.
 */
final class TypeState<T> {

  /** One resource: the value in use (the last good one), its version, and where it stands. */
  record Entry<T>(Optional<T> value, String version, ResourceStatus status, Optional<String> error) {}

  final ResourceKind<T> kind;
  private boolean wildcard;
  private final Set<String> names = new TreeSet<>();
  private final Map<String, Entry<T>> entries = new TreeMap<>();
  private final Map<String, MeshClock.Cancellable> fetchTimers = new HashMap<>();
  private Map<String, T> valuesCache;

  private String ackedVersion = "";
  private String lastAckNonce = "";
  private Instant lastAckTime;
  private String lastNackVersion = "";
  private String lastNackNonce = "";
  private String lastNackError = "";
  private Instant lastNackTime;
  private boolean typeResolved;

  TypeState(ResourceKind<T> kind) {
    this.kind = kind;
  }

  boolean wildcard() {
    return wildcard;
  }

  void setWildcard(boolean wildcard) {
    this.wildcard = wildcard;
  }

  Set<String> names() {
    return Collections.unmodifiableSet(names);
  }

  /** Whether anything of this type is asked for at all. */
  boolean hasInterest() {
    return wildcard || !names.isEmpty();
  }

  boolean wants(String name) {
    return wildcard || names.contains(name);
  }

  /**
   * Replaces the named subscriptions. Resources no longer wanted are forgotten; returns whether any resource in use
   * was dropped.
   */
  boolean setNames(Set<String> newNames) {
    boolean dropped = false;
    for (String old : Set.copyOf(names)) {
      if (!newNames.contains(old)) {
        names.remove(old);
        cancelTimer(old);
        if (!wildcard) {
          valuesCache = null;
          Entry<T> gone = entries.remove(old);
          dropped |= gone != null && gone.value().isPresent();
        }
      }
    }
    for (String name : newNames) {
      if (names.add(name) && !entries.containsKey(name)) {
        entries.put(name, new Entry<>(Optional.empty(), "", ResourceStatus.REQUESTED, Optional.empty()));
      }
    }
    return dropped;
  }

  Optional<Entry<T>> entry(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  Map<String, Entry<T>> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /**
   * The resources in use, by name: an immutable map, rebuilt only after this type changed, so a change of one type
   * does not copy the others.
   */
  Map<String, T> values() {
    Map<String, T> cached = valuesCache;
    if (cached == null) {
      Map<String, T> out = new LinkedHashMap<>();
      entries.forEach((name, e) -> e.value().ifPresent(v -> out.put(name, v)));
      cached = Map.copyOf(out);
      valuesCache = cached;
    }
    return cached;
  }

  /** Whether some name subscribed by name has neither a value nor a verdict yet. */
  boolean hasUnresolvedNames() {
    for (String name : names) {
      Entry<T> e = entries.get(name);
      if (e == null || e.status() == ResourceStatus.REQUESTED) {
        return true;
      }
    }
    return false;
  }

  /** Stores a valid resource; returns whether the value in use changed. */
  boolean putValid(String name, T value, String version) {
    cancelTimer(name);
    Entry<T> old = entries.put(name, new Entry<>(Optional.of(value), version, ResourceStatus.ACKED, Optional.empty()));
    boolean changed = old == null || !old.value().equals(Optional.of(value));
    if (changed) {
      valuesCache = null;
    }
    return changed;
  }

  /** Records an invalid version; the last good value stays in use. */
  void putInvalid(String name, String error, String version) {
    cancelTimer(name);
    Entry<T> old = entries.get(name);
    Optional<T> keep = old == null ? Optional.empty() : old.value();
    String keptVersion = old == null || keep.isEmpty() ? version : old.version();
    entries.put(name, new Entry<>(keep, keptVersion, ResourceStatus.NACKED, Optional.of(error)));
  }

  /** Marks a resource gone ({@code REMOVED} or {@code DOES_NOT_EXIST}); returns whether a value in use went away. */
  boolean markAbsent(String name, ResourceStatus status) {
    cancelTimer(name);
    valuesCache = null;
    Entry<T> old = entries.get(name);
    if (wildcard && !names.contains(name)) {
      entries.remove(name);
    } else {
      entries.put(name, new Entry<>(Optional.empty(), "", status, Optional.empty()));
    }
    return old != null && old.value().isPresent();
  }

  /** Names subscribed by name that have neither a value nor a verdict yet. */
  Set<String> unresolvedNames() {
    Set<String> out = new TreeSet<>();
    for (String name : names) {
      Entry<T> e = entries.get(name);
      if (e == null || e.status() == ResourceStatus.REQUESTED) {
        out.add(name);
      }
    }
    return out;
  }

  void armTimer(String name, MeshClock.Cancellable timer) {
    MeshClock.Cancellable old = fetchTimers.put(name, timer);
    if (old != null) {
      old.cancel();
    }
  }

  boolean hasTimer(String name) {
    return fetchTimers.containsKey(name);
  }

  void cancelTimer(String name) {
    MeshClock.Cancellable timer = fetchTimers.remove(name);
    if (timer != null) {
      timer.cancel();
    }
  }

  void cancelAllTimers() {
    fetchTimers.values().forEach(MeshClock.Cancellable::cancel);
    fetchTimers.clear();
  }

  String ackedVersion() {
    return ackedVersion;
  }

  void recordAck(String version, String nonce, Instant at) {
    ackedVersion = version;
    lastAckNonce = nonce;
    lastAckTime = at;
    typeResolved = true;
  }

  void recordNack(String version, String nonce, String error, Instant at) {
    lastNackVersion = version;
    lastNackNonce = nonce;
    lastNackError = error;
    lastNackTime = at;
    typeResolved = true;
  }

  /** A wildcard type is resolved once anything (a response or the initial fetch timeout) told us its contents. */
  boolean typeResolved() {
    return typeResolved;
  }

  void markTypeResolved() {
    typeResolved = true;
  }

  XdsSyncState.TypeSync sync() {
    Map<String, XdsSyncState.ResourceSync> resources = new LinkedHashMap<>();
    entries.forEach((name, e) ->
        resources.put(name, new XdsSyncState.ResourceSync(e.version(), e.status(), e.error())));
    return new XdsSyncState.TypeSync(kind.kind(), kind.typeUrl(), wildcard, Set.copyOf(names), ackedVersion,
        lastAckNonce, Optional.ofNullable(lastAckTime),
        lastNackTime == null ? Optional.empty()
            : Optional.of(new XdsSyncState.Nack(lastNackVersion, lastNackNonce, lastNackError, lastNackTime)),
        resources);
  }
}
