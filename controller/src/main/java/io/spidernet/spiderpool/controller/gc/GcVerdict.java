package io.spidernet.spiderpool.controller.gc;

/**
 * What the scan does with one record, and which rule of spec 6.2 said so.
 *
 * @param action keep, release the record, or release it and delete the pod's SpiderEndpoint
 * @param rule a short name for metrics and Events ({@code pod-gone}, {@code recreated}, ...)
 * @param why the sentence an Event carries
 */
public record GcVerdict(Action action, String rule, String why) {
  public enum Action { KEEP, RELEASE, RELEASE_AND_DELETE_ENDPOINT }

  static GcVerdict keep(String rule, String why) {
    return new GcVerdict(Action.KEEP, rule, why);
  }

  static GcVerdict release(String rule, String why) {
    return new GcVerdict(Action.RELEASE, rule, why);
  }

  static GcVerdict releaseAll(String rule, String why) {
    return new GcVerdict(Action.RELEASE_AND_DELETE_ENDPOINT, rule, why);
  }

  public boolean releases() {
    return action != Action.KEEP;
  }
}
