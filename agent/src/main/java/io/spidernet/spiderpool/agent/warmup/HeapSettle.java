package io.spidernet.spiderpool.agent.warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full collection once the warm-up is done: its garbage filled the heap, and with the image's
 * heap settings ({@code agent/jvm-options}: a small initial heap, {@code MaxHeapFreeRatio}) the
 * serial collector then returns what the idle agent does not need. Blocking; off the event loop.
 */
public final class HeapSettle {
  private static final Logger LOG = LoggerFactory.getLogger(HeapSettle.class);

  private HeapSettle() {}

  public static void afterWarmup() {
    MemoryUsage before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.gc();
    MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    LOG.info("warm-up done: heap {} MiB committed ({} MiB used), was {} MiB", after.getCommitted() >> 20, after.getUsed() >> 20,
        before.getCommitted() >> 20);
  }
}
