/**
 * The service registry on one machine: services from ServiceEntries and Kubernetes Services, workloads from
 * WorkloadEntries and from workloads that connect (auto-registration), matched by label selectors.
 */
@NullMarked
package dev.inboard.mesh.agent.registry;

import org.jspecify.annotations.NullMarked;
