package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import java.util.List;

/**
 * A process's informer copies of the pools and reserved IPs: read-only, possibly behind the API
 * server, shared (never change what they return). Any thread.
 */
public interface PoolCache {
  /** The cached pool of that name, or null. */
  SpiderIPPool pool(String name);

  List<SpiderIPPool> pools();

  List<SpiderReservedIP> reservedIPs();
}
