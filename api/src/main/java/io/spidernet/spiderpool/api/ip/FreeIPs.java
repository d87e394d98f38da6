package io.spidernet.spiderpool.api.ip;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The free addresses of a set of ranges given the allocated ones, lowest first, computed lazily:
 * walking ranges and allocated IPs side by side costs O(ranges + allocated) for the first
 * address and never materialises the address space, so a /10 or an IPv6 /64 costs no more than
 * a /24 with the same number of allocations.
 */
public final class FreeIPs implements Iterator<IP> {
  private final IPRanges ranges;
  private final SortedIPs allocated;
  private int range;
  private int nextAllocated;
  private IP cursor;
  private IP found;

  FreeIPs(IPRanges ranges, SortedIPs allocated) {
    this.ranges = ranges;
    this.allocated = allocated;
    this.cursor = ranges.isEmpty() ? null : ranges.get(0).first();
    this.nextAllocated = cursor == null ? 0 : allocated.lowerBound(cursor);
  }

  @Override
  public boolean hasNext() {
    if (found == null) {
      found = advance();
    }
    return found != null;
  }

  @Override
  public IP next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no free IP left");
    }
    IP result = found;
    found = null;
    return result;
  }

  private IP advance() {
    while (range < ranges.size()) {
      IPRange current = ranges.get(range);
      if (cursor == null) {
        cursor = current.first();
      }
      while (nextAllocated < allocated.size() && allocated.get(nextAllocated).compareTo(cursor) < 0) {
        nextAllocated++;
      }
      if (nextAllocated < allocated.size() && allocated.get(nextAllocated).equals(cursor)) {
        // Step over the whole run of consecutive allocated IPs, creating one object per run.
        IP runEnd = allocated.get(nextAllocated++);
        while (runEnd.compareTo(current.last()) < 0
            && nextAllocated < allocated.size()
            && allocated.get(nextAllocated).isSuccessorOf(runEnd)) {
          runEnd = allocated.get(nextAllocated++);
        }
        cursor = runEnd.compareTo(current.last()) >= 0 ? null : runEnd.next();
      }
      if (cursor == null) {
        range++;
        continue;
      }
      IP free = cursor;
      if (free.equals(current.last())) {
        range++;
        cursor = null;
      } else {
        cursor = free.next();
      }
      return free;
    }
    return null;
  }
}
