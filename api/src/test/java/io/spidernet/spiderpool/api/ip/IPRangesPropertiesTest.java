package io.spidernet.spiderpool.api.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every set operation and the free-IP walk against a naive bit-set model, over 64-address windows
 * placed where overflow bugs hide: low IPv4, across IPv6's 64-bit word boundary, and at the very
 * top of the IPv6 space.
 */
class IPRangesPropertiesTest {
  private static final int WINDOW = 64;
  private static final String[] BASES = {"10.0.0.0", "::ffff:ffff:ffff:ffe0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffc0"};

  record Window(IP base) {
    IP at(int offset) {
      IP ip = base;
      for (int i = 0; i < offset; i++) {
        ip = ip.next();
      }
      return ip;
    }

    IPRanges ranges(List<int[]> pairs) {
      List<IPRange> out = new ArrayList<>();
      for (int[] p : pairs) {
        out.add(new IPRange(at(Math.min(p[0], p[1])), at(Math.max(p[0], p[1]))));
      }
      return IPRanges.of(base.version(), out);
    }

    BitSet bits(IPRanges ranges) {
      BitSet set = new BitSet(WINDOW);
      for (int i = 0; i < WINDOW; i++) {
        if (ranges.contains(at(i))) {
          set.set(i);
        }
      }
      return set;
    }
  }

  static BitSet model(List<int[]> pairs) {
    BitSet set = new BitSet(WINDOW);
    for (int[] p : pairs) {
      set.set(Math.min(p[0], p[1]), Math.max(p[0], p[1]) + 1);
    }
    return set;
  }

  @Provide
  Arbitrary<Window> windows() {
    return Arbitraries.of(BASES).map(b -> new Window(IP.parse(b)));
  }

  @Provide
  Arbitrary<List<int[]>> pairs() {
    Arbitrary<Integer> offset = Arbitraries.integers().between(0, WINDOW - 1);
    return Combinators.combine(offset, offset).as((a, b) -> new int[] {a, b}).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Integer>> offsets() {
    return Arbitraries.integers().between(0, WINDOW - 1).list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void normalisedRangesAreSortedDisjointAndNonAdjacent(@ForAll("windows") Window w, @ForAll("pairs") List<int[]> a) {
    IPRanges r = w.ranges(a);
    assertThat(w.bits(r)).isEqualTo(model(a));
    assertThat(r.count()).isEqualTo(BigInteger.valueOf(model(a).cardinality()));
    for (int i = 1; i < r.size(); i++) {
      IP gapStart = r.get(i - 1).last().next();
      assertThat(gapStart).isLessThan(r.get(i).first());
    }
    assertThat(IPRanges.parse(r.version(), r.toStrings(), "ips")).isEqualTo(r);
  }

  @Property(tries = 300)
  void setOperationsMatchTheModel(
      @ForAll("windows") Window w, @ForAll("pairs") List<int[]> a, @ForAll("pairs") List<int[]> b) {
    IPRanges ra = w.ranges(a);
    IPRanges rb = w.ranges(b);
    BitSet union = model(a);
    union.or(model(b));
    BitSet minus = model(a);
    minus.andNot(model(b));
    BitSet both = model(a);
    both.and(model(b));
    assertThat(w.bits(ra.union(rb))).isEqualTo(union);
    assertThat(w.bits(ra.subtract(rb))).isEqualTo(minus);
    assertThat(w.bits(ra.intersect(rb))).isEqualTo(both);
    assertThat(ra.containsAll(rb)).isEqualTo(minus(model(b), model(a)).isEmpty());
    assertThat(ra.subtract(rb).count()).isEqualTo(BigInteger.valueOf(minus.cardinality()));
  }

  @Property(tries = 300)
  void lowestAndHighestTakeTheModelsFirstAndLastSetBits(
      @ForAll("windows") Window w, @ForAll("pairs") List<int[]> a, @ForAll("offsets") List<Integer> ns) {
    IPRanges r = w.ranges(a);
    BitSet all = model(a);
    int n = ns.isEmpty() ? 0 : ns.get(0);
    BitSet low = new BitSet(WINDOW);
    for (int i = all.nextSetBit(0), k = 0; i >= 0 && k < n; i = all.nextSetBit(i + 1), k++) {
      low.set(i);
    }
    BitSet high = new BitSet(WINDOW);
    for (int i = all.previousSetBit(WINDOW - 1), k = 0; i >= 0 && k < n; i = all.previousSetBit(i - 1), k++) {
      high.set(i);
    }
    assertThat(w.bits(r.lowest(n))).isEqualTo(low);
    assertThat(w.bits(r.highest(n))).isEqualTo(high);
  }

  private static BitSet minus(BitSet x, BitSet y) {
    BitSet out = (BitSet) x.clone();
    out.andNot(y);
    return out;
  }

  @Property(tries = 300)
  void freeIPsAreTheModelsClearBitsInOrder(
      @ForAll("windows") Window w, @ForAll("pairs") List<int[]> pool, @ForAll("offsets") List<Integer> taken) {
    IPRanges ranges = w.ranges(pool);
    List<IP> allocated = new ArrayList<>();
    BitSet free = model(pool);
    for (int t : taken) {
      allocated.add(w.at(t));
      free.clear(t);
    }
    List<IP> expected = new ArrayList<>();
    for (int i = free.nextSetBit(0); i >= 0; i = free.nextSetBit(i + 1)) {
      expected.add(w.at(i));
    }
    List<IP> actual = new ArrayList<>();
    ranges.free(SortedIPs.of(allocated)).forEachRemaining(actual::add);
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(ranges.lowestFree(SortedIPs.of(allocated))).isEqualTo(expected.isEmpty() ? null : expected.get(0));
  }
}
