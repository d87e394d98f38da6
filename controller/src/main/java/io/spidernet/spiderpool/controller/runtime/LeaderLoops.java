package io.spidernet.spiderpool.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The reconcile loops that run while this replica leads, and what feeds them: each loop has a
 * primary informer whose objects are its keys ({@code namespace/name}, or the name of a
 * cluster-scoped object), enqueued on every event and all of them when leadership is won; other
 * informers can map their objects to keys of a loop. Events only enqueue. Thread-safe once built.
 */
public final class LeaderLoops {
  private final List<ControllerLoop> loops = new ArrayList<>();
  private final List<Runnable> resyncs = new ArrayList<>();

  /** Adds {@code loop}, keyed by the objects of {@code primary}. */
  public <T extends HasMetadata> ControllerLoop add(ControllerLoop loop, SharedIndexInformer<T> primary) {
    loops.add(loop);
    feed(loop, primary, o -> List.of(Cache.metaNamespaceKeyFunc(o)));
    resyncs.add(() -> primary.getStore().listKeys().forEach(loop::enqueue));
    return loop;
  }

  /**
   * Adds {@code loop} whose keys come from several informers: each source's objects map to keys,
   * enqueued on every event and all of them when leadership is won.
   */
  public ControllerLoop add(ControllerLoop loop, List<Source<?>> sources) {
    loops.add(loop);
    for (Source<?> s : sources) {
      s.feed(this, loop);
      resyncs.add(() -> s.all().forEach(loop::enqueue));
    }
    return loop;
  }

  /** An informer and the keys its objects give. */
  public record Source<T>(SharedIndexInformer<T> informer, Function<T, List<String>> keys) {
    void feed(LeaderLoops loops, ControllerLoop loop) {
      loops.feed(loop, informer, keys);
    }

    List<String> all() {
      return informer.getStore().list().stream().flatMap(o -> keys.apply(o).stream()).toList();
    }
  }

  /** Enqueues into {@code loop} the keys {@code keys} gives for each object {@code source} reports. */
  public <T> void feed(ControllerLoop loop, SharedIndexInformer<T> source, Function<T, List<String>> keys) {
    source.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T o) {
        keys.apply(o).forEach(loop::enqueue);
      }

      @Override
      public void onUpdate(T before, T o) {
        keys.apply(o).forEach(loop::enqueue);
      }

      @Override
      public void onDelete(T o, boolean unknownFinalState) {
        keys.apply(o).forEach(loop::enqueue);
      }
    });
  }

  /** Leadership won: every loop starts and looks at every key of its primary informer. */
  public void start() {
    loops.forEach(ControllerLoop::start);
    resyncs.forEach(Runnable::run);
  }

  /** Leadership lost (or closing): every loop stops. */
  public void stop() {
    loops.forEach(ControllerLoop::stop);
  }
}
