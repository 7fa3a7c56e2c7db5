package io.ggen.marketplace.catalog;

import io.ggen.marketplace.release.ReleaseRecord;
import io.ggen.marketplace.release.SignedRecord;

/** A release as the catalog holds it: the verified record, its signed bytes and yank state. */
public record ReleaseRow(ReleaseRecord record, SignedRecord signed, boolean yanked, String yankReason) {}
