package io.spidernet.spiderpool.core.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSnapshotsTest {
  static SpiderIPPool pool(String name, String resourceVersion, String ips) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    p.getMetadata().setResourceVersion(resourceVersion);
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = "10.0.0.0/24";
    spec.ips = List.of(ips);
    p.setSpec(spec);
    return p;
  }

  @Test
  void anOlderCopyReadLateNeverDisplacesANewerSnapshot() {
    PoolSnapshots snapshots = new PoolSnapshots();
    PoolSnapshot newer = snapshots.of(pool("p", "12", "10.0.0.1-10.0.0.9"));
    PoolSnapshot older = snapshots.of(pool("p", "11", "10.0.0.1-10.0.0.5"));
    assertThat(older.ranges().total()).as("the caller still gets the copy it passed").isEqualTo(5);
    assertThat(snapshots.of(pool("p", "12", "10.0.0.1-10.0.0.9"))).as("the cache kept version 12").isSameAs(newer);
  }

  @Test
  void snapshotsOfPoolsNoLongerKnownAreDropped() {
    PoolSnapshots snapshots = new PoolSnapshots();
    snapshots.of(pool("kept", "1", "10.0.0.1"));
    snapshots.of(pool("deleted", "1", "10.0.0.2"));
    snapshots.retain("kept"::equals, "kept"::equals);
    assertThat(snapshots.size()).isEqualTo(1);
  }

  @Test
  void rangesAreParsedOncePerSpecGenerationNotPerStatusWrite() {
    PoolSnapshots snapshots = new PoolSnapshots();
    SpiderIPPool v1 = pool("p", "1", "10.0.0.1-10.0.0.9");
    v1.getMetadata().setGeneration(1L);
    SpiderIPPool statusWritten = pool("p", "2", "10.0.0.1-10.0.0.9");
    statusWritten.getMetadata().setGeneration(1L);
    assertThat(snapshots.ranges(statusWritten)).as("same generation: the parsed ranges are reused").isSameAs(snapshots.ranges(v1));
    SpiderIPPool edited = pool("p", "3", "10.0.0.1-10.0.0.5");
    edited.getMetadata().setGeneration(2L);
    var parsed = snapshots.ranges(edited);
    assertThat(parsed.total()).as("a new spec is parsed again").isEqualTo(5);
    assertThat(snapshots.ranges(edited)).isSameAs(parsed);
    snapshots.retain(n -> false, n -> false);
    assertThat(snapshots.ranges(edited)).as("dropped, parsed afresh").isNotSameAs(parsed);
  }

  @Test
  void aPlansRecordsCannotBeChangedByItsReaders() {
    PoolSnapshot snapshot = new PoolSnapshots().of(pool("p", "1", "10.0.0.1-10.0.0.3"));
    BatchPlan plan = BatchPlan.plan(snapshot, io.spidernet.spiderpool.api.ip.IPRanges.empty(4),
        io.spidernet.spiderpool.api.ip.SortedIPs.empty(), List.of(new PoolRequest.Allocate("ns/a", "ua")), 10);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> plan.records().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
