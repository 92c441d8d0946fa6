package dev.inboard.mesh.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.server.ConfigUpdate.Action;
import dev.inboard.mesh.agent.server.ConfigUpdate.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
  static final String REVIEWS_DR = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        subsets:
        - {name: v1, labels: {version: v1}}
      """;
  static final String REVIEWS_VS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: reviews}
      spec:
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
      """;

  final AtomicInteger changes = new AtomicInteger();
  final ConfigStore store = new ConfigStore(changes::incrementAndGet);

  @TempDir
  Path dir;

  @Test
  void apply_reportsCreatedConfiguredAndUnchanged_andSignalsOnlyRealChanges() {
    ConfigUpdate first = store.apply(List.of(new YamlSource("dr.yaml", REVIEWS_DR)));
    assertThat(first.changes()).containsExactly(new Change("DestinationRule default/reviews", Action.CREATED));
    assertThat(changes).hasValue(1);

    ConfigUpdate same = store.apply(List.of(new YamlSource("elsewhere.yaml", REVIEWS_DR)));
    assertThat(same.accepted()).isTrue();
    assertThat(same.changes()).containsExactly(new Change("DestinationRule default/reviews", Action.UNCHANGED));
    assertThat(changes).hasValue(1);
    assertThat(store.current().get("DestinationRule/default/reviews").orElseThrow().source().file())
        .isEqualTo("dr.yaml");

    ConfigUpdate edited = store.apply(List.of(new YamlSource("dr.yaml", REVIEWS_DR.replace("v1}}", "v2}}"))));
    assertThat(edited.changes()).containsExactly(new Change("DestinationRule default/reviews", Action.CONFIGURED));
    assertThat(changes).hasValue(2);
  }

  @Test
  void apply_twoBatchesFromOneSourceName_keepEachDocumentWithItsOwnResource() {
    // Both batches come from "stdin": their first documents share a source name and index but are different
    // resources, and each must be checked against its own model.
    assertThat(store.apply(List.of(new YamlSource("stdin", REVIEWS_DR))).accepted()).isTrue();

    ConfigUpdate second = store.apply(List.of(new YamlSource("stdin", REVIEWS_VS)));

    assertThat(second.problems()).isEmpty();
    assertThat(second.accepted()).isTrue();
    assertThat(store.current().all()).extracting(ConfigResource::key)
        .containsExactlyInAnyOrder("DestinationRule/default/reviews", "VirtualService/default/reviews");
  }

  @Test
  void apply_withAnyProblem_isRefusedWhole() {
    store.apply(List.of(new YamlSource("dr.yaml", REVIEWS_DR)));

    ConfigUpdate refused = store.apply(List.of(new YamlSource("vs.yaml", REVIEWS_VS),
        new YamlSource("bad.yaml", "apiVersion: networking.istio.io/v1\nkind: Gateway2\nmetadata: {name: g}\n")));

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.changes()).isEmpty();
    assertThat(refused.problems()).extracting(Object::toString).containsExactly("bad.yaml: Gateway2 default/g: "
        + "kind: unknown kind for networking.istio.io; known: [VirtualService, DestinationRule, ServiceEntry, "
        + "WorkloadEntry, Sidecar] (value: Gateway2)");
    assertThat(store.current().all()).extracting(ConfigResource::key)
        .containsExactly("DestinationRule/default/reviews");
    assertThat(changes).hasValue(1);
  }

  @Test
  void delete_removesWhatExists_andNamesWhatDoesNot() {
    store.apply(List.of(new YamlSource("dr.yaml", REVIEWS_DR)));

    ConfigUpdate deleted = store.delete(List.of(new YamlSource("all.yaml", REVIEWS_DR + "---\n" + REVIEWS_VS)));

    assertThat(deleted.changes()).containsExactly(new Change("DestinationRule default/reviews", Action.DELETED));
    assertThat(deleted.notFound()).containsExactly("VirtualService default/reviews");
    assertThat(store.current().size()).isZero();
    assertThat(changes).hasValue(2);
  }

  @Test
  void directoryReload_appliesWhatChangedInTheDirectory_andLeavesApiChangesAlone() throws Exception {
    Files.writeString(dir.resolve("dr.yaml"), REVIEWS_DR);
    assertThat(store.loadDirectory(dir).changes())
        .containsExactly(new Change("DestinationRule default/reviews", Action.CREATED));
    // No subsets, so that deleting the DestinationRule below leaves nothing dangling.
    String vsWithoutSubset = REVIEWS_VS.replace(", subset: v1", "");
    store.apply(List.of(new YamlSource("vs.yaml", vsWithoutSubset)));

    Files.writeString(dir.resolve("other.yaml"), vsWithoutSubset.replace("name: reviews}", "name: ratings}")
        .replace("hosts: [reviews]", "hosts: [ratings]"));
    ConfigUpdate reload = store.loadDirectory(dir);
    assertThat(reload.changes()).containsExactly(new Change("VirtualService default/ratings", Action.CREATED));

    Files.delete(dir.resolve("dr.yaml"));
    assertThat(store.loadDirectory(dir).changes())
        .containsExactly(new Change("DestinationRule default/reviews", Action.DELETED));
    assertThat(store.current().all()).extracting(ConfigResource::key)
        .containsExactly("VirtualService/default/ratings", "VirtualService/default/reviews");
  }

  @Test
  void directoryReload_deletionThatLeavesASubsetDangling_isRefused() throws Exception {
    Files.writeString(dir.resolve("dr.yaml"), REVIEWS_DR);
    store.loadDirectory(dir);
    assertThat(store.apply(List.of(new YamlSource("vs.yaml", REVIEWS_VS))).accepted()).isTrue();

    Files.delete(dir.resolve("dr.yaml"));
    ConfigUpdate refused = store.loadDirectory(dir);

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.problems()).hasSize(1);
    assertThat(refused.problems().get(0).toString()).contains("VirtualService default/reviews", "subset");
    assertThat(store.current().get("DestinationRule/default/reviews")).isPresent();
  }

  @Test
  void apply_documentAgainstIstiosSchema_isRefusedNamingTheField() {
    ConfigUpdate refused = store.apply(List.of(new YamlSource("pa.yaml", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default}
        spec: {mtls: {mode: SOMETIMES}}
        """)));

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.problems()).extracting(ConfigProblem::field).containsExactly("spec.mtls.mode");
    assertThat(store.current().size()).isZero();
  }

  @Test
  void apply_virtualServiceAlone_isCheckedAgainstServedDestinationRules() {
    assertThat(store.apply(List.of(new YamlSource("vs.yaml", REVIEWS_VS))).accepted()).isFalse();

    store.apply(List.of(new YamlSource("dr.yaml", REVIEWS_DR)));
    ConfigUpdate vs = store.apply(List.of(new YamlSource("vs.yaml", REVIEWS_VS)));

    assertThat(vs.accepted()).isTrue();
    assertThat(vs.changes()).containsExactly(new Change("VirtualService default/reviews", Action.CREATED));
  }

  @Test
  void directoryReload_invalidContent_isRefused_andTheLastGoodConfigStays() throws Exception {
    Files.writeString(dir.resolve("dr.yaml"), REVIEWS_DR);
    store.loadDirectory(dir);

    Files.writeString(dir.resolve("dr.yaml"), REVIEWS_DR.replace("subsets:", "subsets: 3\n  x:"));
    ConfigUpdate refused = store.loadDirectory(dir);

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.problems()).extracting(ConfigProblem::field).containsExactly("spec.subsets", "spec.x");
    assertThat(refused.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(dir.resolve("dr.yaml").toString()));
    assertThat(store.current().get("DestinationRule/default/reviews")).isPresent();
    assertThat(changes).hasValue(1);
  }
}
