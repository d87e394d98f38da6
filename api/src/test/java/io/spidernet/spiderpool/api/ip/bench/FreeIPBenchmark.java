package io.spidernet.spiderpool.api.ip.bench;

import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lowest-free-IP search in the worst case: the lowest {@code allocated} addresses of the pool are
 * taken, so the walk must step over all of them. Run by {@code scripts/bench-ip}; figures go to
 * docs/benchmarks.md. A /24 holds at most 256 addresses, so its largest case is "all but the last".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FreeIPBenchmark {
  @Param({"10.0.0.0/24", "10.64.0.0/10", "fd00::/64"})
  public String subnet;

  @Param({"0", "1000", "5000"})
  public int allocated;

  private IPRanges pool;
  private SortedIPs taken;
  private List<String> statusKeys;

  @Setup
  public void setUp() {
    Cidr cidr = Cidr.parse(subnet);
    pool = IPRanges.of(cidr);
    int n = cidr.size().min(BigInteger.valueOf(allocated + 1L)).intValue() - 1;
    List<IP> ips = new ArrayList<>(n);
    statusKeys = new ArrayList<>(n);
    IP ip = cidr.first();
    for (int i = 0; i < n; i++) {
      ips.add(ip);
      statusKeys.add(ip.toString());
      ip = ip.next();
    }
    taken = SortedIPs.of(ips);
  }

  /** The search alone, given the pool's parsed allocated set. */
  @Benchmark
  public IP lowestFree() {
    return pool.lowestFree(taken);
  }

  /** Parsing the pool's status keys into the sorted set, then searching: an uncached allocation. */
  @Benchmark
  public IP parseStatusThenLowestFree() {
    List<IP> ips = new ArrayList<>(statusKeys.size());
    for (String key : statusKeys) {
      ips.add(IP.parse(key));
    }
    return pool.lowestFree(SortedIPs.of(ips));
  }
}
