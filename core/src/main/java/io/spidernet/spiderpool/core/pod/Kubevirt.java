package io.spidernet.spiderpool.core.pod;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The KubeVirt objects that IPAM decisions read (spec 4.2, 4.3), through the generic API so that
 * KubeVirt need not be installed (a missing kind reads as a missing object). Callable from an event
 * loop: the reads run on the Kubernetes worker pool.
 */
public final class Kubevirt {
  /** Set by KubeVirt on the launcher pod that is the target of a live migration. */
  public static final String MIGRATION_JOB_ANNOTATION = "kubevirt.io/migrationJobName";
  private static final ResourceDefinitionContext VMI = context(TopController.KUBEVIRT_VMI, "virtualmachineinstances");
  private static final ResourceDefinitionContext VM = context("VirtualMachine", "virtualmachines");
  private static final ResourceDefinitionContext MIGRATION =
      context("VirtualMachineInstanceMigration", "virtualmachineinstancemigrations");

  private final Kube kube;

  public Kubevirt(Kube kube) {
    this.kube = kube;
  }

  /**
   * Whether a VM still holds the IPs of VirtualMachineInstance {@code namespace/vmi}: the VMI lives,
   * or is being deleted while the VirtualMachine that owns it lives (a restart, not the VM's end).
   */
  public Future<Boolean> vmHolds(String namespace, String vmi) {
    return kube.call(() -> {
      GenericKubernetesResource instance = get(VMI, namespace, vmi);
      if (instance == null) {
        return false;
      }
      if (instance.getMetadata().getDeletionTimestamp() == null) {
        return true;
      }
      OwnerReference vmRef = PodRules.controllerOf(instance);
      if (vmRef == null || !"VirtualMachine".equals(vmRef.getKind())) {
        return false;
      }
      GenericKubernetesResource vm = get(VM, namespace, vmRef.getName());
      return vm != null && vm.getMetadata().getDeletionTimestamp() == null;
    });
  }

  /**
   * Whether a launcher pod with these annotations is the target of a live migration in progress:
   * it names a VirtualMachineInstanceMigration that exists. The source pod still answers for the
   * VM's IPs meanwhile, so probing them for conflicts would fail the migration.
   */
  public Future<Boolean> migrationTarget(String namespace, Map<String, String> podAnnotations) {
    String job = podAnnotations == null ? null : podAnnotations.get(MIGRATION_JOB_ANNOTATION);
    if (job == null || job.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return kube.call(() -> get(MIGRATION, namespace, job) != null)
        .recover(e -> Future.failedFuture(new IpamException(IpamException.reasonOf(e), "failed to get VirtualMachineInstanceMigration " + namespace
            + "/" + job + " named by the pod's annotation " + MIGRATION_JOB_ANNOTATION + ": " + e.getMessage())));
  }

  private GenericKubernetesResource get(ResourceDefinitionContext kind, String namespace, String name) {
    return kube.client().genericKubernetesResources(kind).inNamespace(namespace).withName(name).get();
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1").withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }
}
