package io.spidernet.spiderpool.core.subnet;

/**
 * One auto-pool an application needs (spec 6.5): for one NIC and one family, {@code size} IPs of
 * SpiderSubnet {@code subnet}.
 *
 * @param ipNumber the {@code ippool-ip-number} annotation the pool carries ({@code "+N"} or {@code "N"})
 * @param reclaim whether the pool goes with the application
 */
public record AutoPoolDemand(String subnet, int version, String nic, int size, String ipNumber, boolean reclaim) {}
