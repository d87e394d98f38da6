package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer store that keeps, per object, only the facts the GC reads ({@link GcPod},
 * {@link GcEndpoint}) under the object's namespace/name key. fabric8's own
 * {@code ReducedStateItemStore} keeps JSON trees of the chosen fields and turns every read back into
 * a full model object; this keeps small records and hands them out as they are ({@link #facts}).
 *
 * <p>The informer itself still sees objects: {@link #put}/{@link #remove} return the former facts
 * as an object ({@code restore}) for its update and delete notifications, and {@link #values} gives
 * identity-only objects ({@code skeleton}), which is all the informer needs to find the objects
 * that went away while it was not watching, without building a full object per item when it lists
 * again. Thread-safe.
 *
 * @param <T> the Kubernetes kind
 * @param <F> its facts
 */
final class ReducedStore<T extends HasMetadata, F> implements ItemStore<T> {
  private final ConcurrentHashMap<String, F> facts = new ConcurrentHashMap<>();
  private final Function<T, F> reduce;
  private final BiFunction<String, F, T> restore;
  private final BiFunction<String, F, T> skeleton;

  ReducedStore(Function<T, F> reduce, BiFunction<String, F, T> restore, BiFunction<String, F, T> skeleton) {
    this.reduce = reduce;
    this.restore = restore;
    this.skeleton = skeleton;
  }

  /** The facts of the object {@code namespace/name}, or null when there is none. */
  F facts(String namespace, String name) {
    return facts.get(Cache.namespaceKeyFunc(namespace, name));
  }

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public T put(String key, T obj) {
    F before = facts.put(key, reduce.apply(obj));
    return before == null ? null : restore.apply(key, before);
  }

  @Override
  public T remove(String key) {
    F before = facts.remove(key);
    return before == null ? null : restore.apply(key, before);
  }

  @Override
  public Stream<String> keySet() {
    return facts.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return facts.entrySet().stream().map(e -> skeleton.apply(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return facts.size();
  }

  @Override
  public T get(String key) {
    F f = facts.get(key);
    return f == null ? null : restore.apply(key, f);
  }

  @Override
  public boolean isFullState() {
    return false;
  }
}
