package io.spidernet.spiderpool.controller.finalizer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.webhook.cache.AdmissionCache;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the {@code spiderpool.spidernet.io} finalizer the webhooks put on subnets and the
 * SpiderCoordinator once a deleted object holds nothing: a subnet when it has no allocated IPs, a
 * coordinator at once (pools: {@link io.spidernet.spiderpool.controller.status.PoolReconciler}).
 * Each removal is a JSON patch that first tests the resourceVersion it decided on. Leader only:
 * events seen while not leading are skipped, and {@link #resync} checks everything when leadership
 * is won.
 */
public final class Finalizers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Finalizers.class);

  private final Kube kube;
  private final BooleanSupplier leading;
  private final SharedIndexInformer<SpiderCoordinator> coordinators;
  private final List<Runnable> resyncs = new ArrayList<>();

  private Finalizers(Kube kube, BooleanSupplier leading) {
    this.kube = kube;
    this.leading = leading;
    this.coordinators = kube.client().resources(SpiderCoordinator.class).runnableInformer(0);
  }

  /**
   * Watches pools and subnets through the admission cache's informers (one watch and one copy of
   * each per process) and coordinators through its own; completes once synced. Callable from an
   * event loop.
   */
  public static Future<Finalizers> start(Kube kube, AdmissionCache cache, BooleanSupplier leading) {
    Finalizers f = new Finalizers(kube, leading);
    return kube.callUnbounded(() -> {
      // a subnet goes once it controls no pool (its pools go first: the subnet reconciler deletes it in the foreground)
      f.watch(cache.subnetInformer(), SpiderSubnet.class, s -> s.getStatus() == null || (s.getStatus().controlledIPPools == null
          || s.getStatus().controlledIPPools.isBlank() || "{}".equals(s.getStatus().controlledIPPools.strip()))
          && (s.getStatus().allocatedIPCount == null || s.getStatus().allocatedIPCount == 0));
      f.watch(f.coordinators, SpiderCoordinator.class, c -> true);
      f.coordinators.start().toCompletableFuture().get();
      return f;
    });
  }

  /** Checks every subnet and coordinator now (leadership won). Any thread. */
  /** The SpiderCoordinator informer, for the coordinator's status reconciler (one watch, one copy). */
  public SharedIndexInformer<SpiderCoordinator> coordinatorInformer() {
    return coordinators;
  }

  public void resync() {
    resyncs.forEach(Runnable::run);
  }

  private <T extends HasMetadata> void watch(SharedIndexInformer<T> informer, Class<T> type, Predicate<T> holdsNothing) {
    resyncs.add(() -> informer.getStore().list().forEach(o -> check(type, o, holdsNothing)));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        check(type, object, holdsNothing);
      }

      @Override
      public void onUpdate(T before, T object) {
        check(type, object, holdsNothing);
      }

      @Override
      public void onDelete(T object, boolean unknownFinalState) {
        // gone: nothing to release
      }
    });
  }

  /** Informer thread: decides, and hands the write to the API worker pool. */
  private <T extends HasMetadata> void check(Class<T> type, T object, Predicate<T> holdsNothing) {
    var meta = object.getMetadata();
    if (!leading.getAsBoolean() || meta.getDeletionTimestamp() == null || meta.getFinalizers() == null || !meta.getFinalizers().contains(Constants.FINALIZER)
        || !holdsNothing.test(object)) {
      return;
    }
    int index = meta.getFinalizers().indexOf(Constants.FINALIZER);
    String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + meta.getResourceVersion() + "\"},"
        + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + index + "\"}]";
    kube.call(() -> kube.client().resources(type).withName(meta.getName()).patch(PatchContext.of(PatchType.JSON), patch))
        .onSuccess(x -> LOG.info("released the finalizer of deleted {} {}", object.getKind(), meta.getName()))
        .onFailure(e -> {
          if (!(e instanceof KubernetesClientException k && (k.getCode() == 404 || k.getCode() == 409 || k.getCode() == 422))) {
            LOG.warn("cannot release the finalizer of deleted {} {} (the next change retries): {}", object.getKind(),
                meta.getName(), e.getMessage());
          }
        });
  }

  /** Stops the coordinator informer (the shared ones belong to the admission cache). */
  @Override
  public void close() {
    coordinators.close();
  }
}
