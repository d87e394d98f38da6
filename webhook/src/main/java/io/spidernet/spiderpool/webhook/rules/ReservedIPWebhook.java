package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRange;
import io.spidernet.spiderpool.api.v2beta1.ReservedIPSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;

/** SpiderReservedIP admission (spec 3.3): family from the first entry, merged ranges; no overlap checks. */
public final class ReservedIPWebhook implements KindWebhook {
  private final WebhookConfig config;
  private final ObjectTrees trees;

  public ReservedIPWebhook(WebhookConfig config, ObjectTrees trees) {
    this.config = config;
    this.trees = trees;
  }

  @Override
  public Kind kind() {
    return Kind.SPIDER_RESERVED_IP;
  }

  @Override
  public Verdict mutate(Review review) {
    SpiderReservedIP reserved = Validation.readOrNull(review, trees, SpiderReservedIP.class);
    ReservedIPSpec spec = reserved == null ? null : reserved.getSpec();
    if (reserved == null || reserved.getMetadata() == null || reserved.getMetadata().getDeletionTimestamp() != null || spec == null
        || spec.ips == null || spec.ips.isEmpty()) {
      return Verdict.ALLOWED;
    }
    if (spec.ipVersion == null) {
      try {
        spec.ipVersion = (long) IPRange.parse(spec.ips.get(0)).version();
      } catch (IPFormatException e) {
        // left to validation
      }
    }
    spec.ips = Defaults.merged(spec.ipVersion, spec.ips);
    return Verdict.patched(trees.patch(review.object(), reserved));
  }

  @Override
  public Verdict validate(Review review) {
    return Validation.dispatch(review, trees, SpiderReservedIP.class, (r, reserved) -> check(r, null, reserved),
        this::check, (r, old) -> Verdict.ALLOWED);
  }

  private Verdict check(Review review, SpiderReservedIP old, SpiderReservedIP reserved) {
    ReservedIPSpec spec = reserved.getSpec() == null ? new ReservedIPSpec() : reserved.getSpec();
    if (review.isUpdate() && old != null) {
      if (old.getMetadata().getDeletionTimestamp() != null && reserved.getMetadata().getDeletionTimestamp() != null
          && Defaults.hasFinalizer(reserved)) {
        return Verdict.refused(Refusal.forbidden(kind(), review.name(), "cannot update a terminating ReservedIP"));
      }
      if (old.getMetadata().getDeletionTimestamp() == null && reserved.getMetadata().getDeletionTimestamp() != null) {
        return Verdict.ALLOWED;
      }
      Long was = old.getSpec() == null ? null : old.getSpec().ipVersion;
      if (was != null && spec.ipVersion != null && !was.equals(spec.ipVersion)) {
        return refuse(review, FieldError.forbidden(SpecChecks.IP_VERSION, "is not changeable"));
      }
    }
    FieldError version = SpecChecks.ipVersion(spec.ipVersion, config, SpecChecks.IPS);
    if (version != null) {
      return refuse(review, version);
    }
    for (int i = 0; spec.ips != null && i < spec.ips.size(); i++) {
      String entry = spec.ips.get(i);
      String path = SpecChecks.IPS + "[" + i + "]";
      try {
        if (entry.contains(" ")) {
          return refuse(review, FieldError.invalid(path, entry, "an IP range must not contain spaces"));
        }
        IPRange range = IPRange.parse(entry);
        if (range.version() != spec.ipVersion) {
          return refuse(review, FieldError.invalid(path, entry, "not an IPv" + spec.ipVersion + " address or range"));
        }
      } catch (IPFormatException e) {
        return refuse(review, FieldError.invalid(path, entry, e.getMessage()));
      }
    }
    return Verdict.ALLOWED;
  }

  private Verdict refuse(Review review, FieldError error) {
    return Verdict.refused(Refusal.invalid(kind(), review.name(), error));
  }
}
