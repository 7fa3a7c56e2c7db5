package io.ggen.node.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ggen.marketplace.service.PublishResult;
import io.ggen.marketplace.service.YankResult;

/**
 * The control API's JSON: records map to objects with snake_case names ({@code bytesDone} is
 * {@code bytes_done}), so the wire names follow from the records and no handler builds trees by
 * hand. Unknown request fields are ignored, so an older node still serves a newer client.
 */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // "package" is a Java keyword; the records call it id, ggen's output calls it package.
        m.addMixIn(PublishResult.class, PackageNamed.class);
        m.addMixIn(YankResult.class, PackageNamed.class);
        return m;
    }

    private abstract static class PackageNamed {
        @JsonProperty("package")
        abstract String id();
    }
}
