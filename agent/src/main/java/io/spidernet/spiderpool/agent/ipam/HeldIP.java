package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;

/** An IP of one family taken from a pool for a NIC; {@code fresh} when this request recorded it. */
record HeldIP(String nic, int version, String pool, String ip, boolean fresh, SpiderIPPool spec) {}
